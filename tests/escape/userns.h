/* Escape probes into a new user namespace: inside one, the process holds every capability
 * over the namespace's objects, which is where most kernel privilege escalations start. */
#pragma once

#include <sys/wait.h>

#include "probe.h"

/* The parent's side after a clone into a new namespace: the child must have run and exited 0. */
static inline void expect_child_in_new_namespace(pid_t child, const char* how) {
    if (child < 0) refused(errno, "%s", how);
    if (child == 0) _exit(0);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        setup_failed("the child in the new namespace did not exit cleanly");
    escaped("%s created a new user namespace", how);
}
