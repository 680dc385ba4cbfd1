/* Escape probe: send a signal to a process outside the sandbox (the runner's target, which
 * ignores SIGUSR1). Argument: its pid. */
#include <signal.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "signal_outside PID");
    pid_t target = (pid_t)atoi(argv[1]);
    if (target <= 1) setup_failed("bad pid %s", argv[1]);
    if (kill(target, SIGUSR1) != 0) refused(errno, "kill(%d, SIGUSR1)", target);
    escaped("signalled process %d outside the sandbox", target);
}
