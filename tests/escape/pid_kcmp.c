/* Escape probe: compare kernel objects (here the address space) of a process outside the
 * sandbox with the probe's own (kcmp): which files and memory two processes share. Argument:
 * the outside pid. */
#include <linux/kcmp.h>
#include <sys/syscall.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "pid_kcmp PID");
    const long order = syscall(SYS_kcmp, atoi(argv[1]), getpid(), KCMP_VM, 0, 0);
    if (order < 0) refused(errno, "kcmp %s", argv[1]);
    escaped("compared the address space of outside process %s with its own (%ld)", argv[1], order);
}
