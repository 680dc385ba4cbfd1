/* Escape probe: change a resource limit of a process outside the sandbox (`prlimit --pid`):
 * a file size limit of 0 kills it at its next write. The limit set is RLIMIT_CORE at the
 * value it has, which needs the same permission. Argument: the outside pid. */
#include <sys/resource.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "pid_prlimit PID");
    const pid_t pid = atoi(argv[1]);
    struct rlimit limit;
    if (prlimit(pid, RLIMIT_CORE, NULL, &limit) != 0) refused(errno, "prlimit read of pid %d", pid);
    if (prlimit(pid, RLIMIT_CORE, &limit, NULL) != 0) refused(errno, "prlimit set on pid %d", pid);
    escaped("set a resource limit of outside pid %d", pid);
}
