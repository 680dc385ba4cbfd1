/* Escape probe: read a denied file through the /proc/self/root magic link.
 * Argument: the denied file (absolute). */
#include <fcntl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "fs_proc_root DENIED_FILE");
    if (argv[1][0] != '/') setup_failed("the denied file must be an absolute path");
    char path[4096];
    snprintf(path, sizeof path, "/proc/self/root%s", argv[1]);
    int fd = open(path, O_RDONLY);
    if (fd < 0) refused(errno, "open %s", path);
    read_one_byte_or_refused(fd, path);
    escaped("read %s", path);
}
