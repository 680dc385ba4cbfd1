/* Escape probe: change the system clock (CAP_SYS_TIME). The clock's tick is set to the value
 * it has, which needs the same capability as clock_settime without moving the machine's
 * time (setting the time itself would, by the microseconds between reading and writing). */
#include <sys/timex.h>
#include <time.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "cap_clock");
    struct timex now = {0};
    if (clock_adjtime(CLOCK_REALTIME, &now) < 0) setup_failed("clock_adjtime read: %s", strerror(errno));
    struct timex same = {.modes = ADJ_TICK, .tick = now.tick};
    if (clock_adjtime(CLOCK_REALTIME, &same) < 0) refused(errno, "clock_adjtime ADJ_TICK");
    escaped("set the system clock's tick");
}
