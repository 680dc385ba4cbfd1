/* Escape probe: read a denied file through a symlink planted in the writable workspace.
 * Landlock checks the resolved target, not the link. Argument: the denied file. */
#include <fcntl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "fs_symlink DENIED_FILE");
    const char* link = "escape-symlink";
    unlink(link);
    if (symlink(argv[1], link) != 0) refused(errno, "symlink in the workspace");
    int fd = open(link, O_RDONLY);
    if (fd < 0) refused(errno, "open through the symlink");
    read_one_byte_or_refused(fd, "through the symlink");
    escaped("read %s through a symlink", argv[1]);
}
