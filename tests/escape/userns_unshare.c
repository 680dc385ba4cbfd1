/* Escape probe: move into a new user namespace with unshare(CLONE_NEWUSER). */
#include <sched.h>

#include "userns.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "userns_unshare");
    if (unshare(CLONE_NEWUSER) != 0) refused(errno, "unshare(CLONE_NEWUSER)");
    escaped("unshare(CLONE_NEWUSER) created a new user namespace");
}
