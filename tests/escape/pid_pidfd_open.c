/* Escape probe: open a pidfd of a process outside the sandbox (pidfd_open checks nothing): a
 * handle that tells when it ends, and with PIDFD_GET_INFO its ids and cgroup, which Landlock
 * keeps from /proc/PID. Argument: the outside pid. */
#include <sys/syscall.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "pid_pidfd_open PID");
    const int pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[1]), 0);
    if (pidfd < 0) refused(errno, "pidfd_open %s", argv[1]);
    escaped("holds a pidfd of outside process %s", argv[1]);
}
