/* Escape probe: start a child in a new user namespace with clone(CLONE_NEWUSER), whose flags
 * a seccomp filter can read (arg0). */
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include "userns.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "userns_clone");
    pid_t child = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    expect_child_in_new_namespace(child, "clone(CLONE_NEWUSER)");
}
