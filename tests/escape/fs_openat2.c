/* Escape probe: read a denied file with openat2 and unusual resolve flags: RESOLVE_IN_ROOT
 * anchored at an O_PATH descriptor of the file's own directory (O_PATH is not checked), so the
 * walk starts inside the denied tree. Arguments: the denied file's directory, its name. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 2, "fs_openat2 DENIED_DIR NAME");
    int dir_fd = open(argv[1], O_PATH | O_DIRECTORY);
    if (dir_fd < 0) refused(errno, "O_PATH open of %s", argv[1]);
    struct open_how how = {
        .flags = O_RDONLY,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
    };
    int fd = (int)syscall(SYS_openat2, dir_fd, argv[2], &how, sizeof how);
    if (fd < 0) refused(errno, "openat2 RESOLVE_IN_ROOT");
    read_one_byte_or_refused(fd, "through openat2");
    escaped("read %s/%s through openat2", argv[1], argv[2]);
}
