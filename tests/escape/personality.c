/* Escape probe: turn off address-space randomization for this process and what it execs
 * (personality ADDR_NO_RANDOMIZE), a step in exploiting a memory bug outside the filter. */
#include <sys/personality.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "personality");
    if (personality(ADDR_NO_RANDOMIZE) == -1) refused(errno, "personality(ADDR_NO_RANDOMIZE)");
    int now = personality(0xffffffff);
    if (now == -1) refused(errno, "personality query");
    if (!(now & ADDR_NO_RANDOMIZE)) refused(EPERM, "ADDR_NO_RANDOMIZE silently not set");
    escaped("turned off address-space randomization");
}
