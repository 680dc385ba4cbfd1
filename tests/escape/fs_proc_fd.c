/* Escape probe: reopen a denied file for reading through /proc/self/fd. O_PATH opens are not
 * access-checked, so the attack gets an O_PATH descriptor and reopens its magic link.
 * Argument: the denied file. */
#include <fcntl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "fs_proc_fd DENIED_FILE");
    int path_fd = open(argv[1], O_PATH);
    if (path_fd < 0) refused(errno, "O_PATH open");
    char magic[64];
    snprintf(magic, sizeof magic, "/proc/self/fd/%d", path_fd);
    int fd = open(magic, O_RDONLY);
    if (fd < 0) refused(errno, "reopen %s", magic);
    read_one_byte_or_refused(fd, magic);
    escaped("read %s through %s", argv[1], magic);
}
