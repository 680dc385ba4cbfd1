/* The floor for nono's namespace mode: its processes and namespaces, and nothing else. A
 * parent that waits; a child cloned into new user, mount, pid, ipc and uts namespaces (its
 * uid and gid mapped), which forks the command and waits, as nono's reaper does; the
 * command, which execs its arguments. No view is laid out, no sandbox applied: exec_bench
 * runs /bin/true through it, so that what nono does beyond the process structure of its
 * namespace mode shows in the difference, and so does what that structure costs against
 * bubblewrap's. Exits 125 when the kernel refuses the namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher.h"

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    char uid_map[32], gid_map[32];
    snprintf(uid_map, sizeof uid_map, "%u %u 1", (unsigned)geteuid(), (unsigned)geteuid());
    snprintf(gid_map, sizeof gid_map, "%u %u 1", (unsigned)getegid(), (unsigned)getegid());
    struct clone_args args = {
        .flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS,
        .exit_signal = SIGCHLD,
    };
    const long init = syscall(SYS_clone3, &args, sizeof args);
    if (init < 0) return 125;
    if (init > 0) return exit_status((pid_t)init);
    if (!write_file("/proc/self/setgroups", "deny") || !write_file("/proc/self/uid_map", uid_map) ||
        !write_file("/proc/self/gid_map", gid_map))
        _exit(125);
    const pid_t command = fork();
    if (command < 0) _exit(125);
    if (command == 0) {
        execv(argv[1], argv + 1);
        _exit(127);
    }
    _exit(exit_status(command));
}
