/* Escape probe: lower the priority of a process outside the sandbox (setpriority), which
 * Landlock's signal scope does not cover. Argument: the outside pid. */
#include <sys/resource.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "pid_setpriority PID");
    const id_t pid = (id_t)atoi(argv[1]);
    if (setpriority(PRIO_PROCESS, pid, 19) != 0) refused(errno, "setpriority of pid %u", pid);
    escaped("set the nice value of outside pid %u to 19", pid);
}
