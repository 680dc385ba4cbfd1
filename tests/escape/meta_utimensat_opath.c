/* Escape probe: set the timestamps of a file outside every grant through an O_PATH
 * descriptor and utimensat(fd, "", AT_EMPTY_PATH): no path in the call, and an O_PATH open
 * needs no right at all. Argument: the file. */
#include <fcntl.h>
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_utimensat_opath FILE");
    const int fd = open(argv[1], O_PATH | O_CLOEXEC);
    if (fd < 0) refused(errno, "open %s O_PATH", argv[1]);
    const struct timespec times[2] = {{0, 0}, {0, 0}};
    if (utimensat(fd, "", times, AT_EMPTY_PATH) != 0) refused(errno, "utimensat AT_EMPTY_PATH on an O_PATH %s", argv[1]);
    escaped("set the timestamps of %s to 1970 through an O_PATH descriptor", argv[1]);
}
