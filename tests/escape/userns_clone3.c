/* Escape probe: start a child in a new user namespace with clone3, whose flags sit in a
 * struct in memory that a seccomp filter cannot read: a filter that only checks clone's
 * arguments misses it, so clone3 must be refused as a whole (ENOSYS makes libc fall back). */
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include "userns.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "userns_clone3");
    struct clone_args args = {.flags = CLONE_NEWUSER, .exit_signal = SIGCHLD};
    pid_t child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    expect_child_in_new_namespace(child, "clone3(CLONE_NEWUSER)");
}
