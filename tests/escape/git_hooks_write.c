/* Escape probe: write a hook into the workspace's repository, which git runs outside the
 * sandbox at the user's next commit. Where .git/hooks is a read-only bind, it first tries
 * to undo the bind: unmount it (to reach the writable directory below) and remount it
 * read-write. Argument: the hooks directory. */
#include <fcntl.h>
#include <sys/mount.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "git_hooks_write HOOKS_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/pre-commit", argv[1]);
    const char* how = "";
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    const int err = errno;  /* the answer to the plain write, reported if nothing undoes it */
    if (fd < 0 && umount2(argv[1], MNT_DETACH) == 0) {
        how = " after unmounting its bind";
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    }
    if (fd < 0 && mount(NULL, argv[1], NULL, MS_REMOUNT | MS_BIND, NULL) == 0) {
        how = " after remounting it read-write";
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    }
    if (fd < 0) refused(err, "create %s (unmounting and remounting its bind refused too)", path);
    escaped("wrote %s%s", path, how);
}
