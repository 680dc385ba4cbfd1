/* Escape probe: read a denied file through a hard link made in the writable workspace.
 * Landlock refuses a link that would give the file more rights than its own place
 * (the REFER rule). Argument: the denied file. */
#include <fcntl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "fs_hardlink DENIED_FILE");
    const char* link = "escape-hardlink";
    unlink(link);
    if (linkat(AT_FDCWD, argv[1], AT_FDCWD, link, 0) != 0) refused(errno, "link into the workspace");
    int fd = open(link, O_RDONLY);
    if (fd < 0) refused(errno, "open the hard link");
    read_one_byte_or_refused(fd, "through the hard link");
    escaped("read %s through a hard link", argv[1]);
}
