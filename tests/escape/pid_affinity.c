/* Escape probe: pin a process outside the sandbox to CPUs of our choosing
 * (sched_setaffinity), here to the ones it has. Argument: the outside pid. */
#include <sched.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "pid_affinity PID");
    const pid_t pid = atoi(argv[1]);
    cpu_set_t cpus;
    /* In a pid namespace the outside pid names nothing (ESRCH): refused already. */
    if (sched_getaffinity(pid, sizeof cpus, &cpus) != 0) refused(errno, "sched_getaffinity of pid %d", pid);
    if (sched_setaffinity(pid, sizeof cpus, &cpus) != 0) refused(errno, "sched_setaffinity of pid %d", pid);
    escaped("set the CPU affinity of outside pid %d", pid);
}
