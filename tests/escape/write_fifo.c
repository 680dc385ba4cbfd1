/* Escape probe: write into a FIFO outside the writable area, one that a process outside the
 * sandbox reads (the runner holds it open). Argument: the FIFO. */
#include <fcntl.h>
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "write_fifo FIFO");
    struct stat st;
    if (lstat(argv[1], &st) == 0 && !S_ISFIFO(st.st_mode)) setup_failed("%s is not a FIFO", argv[1]);
    int fd = open(argv[1], O_WRONLY | O_NONBLOCK);
    if (fd < 0) refused(errno, "open %s for writing", argv[1]);
    if (write(fd, "x", 1) != 1) refused(errno, "write %s", argv[1]);
    escaped("wrote into the FIFO %s", argv[1]);
}
