/* Escape probe: set the timestamps of a file outside every grant that the caller owns (what
 * `touch -d` does to hide a change, or to make make(1) skip a rebuild). Argument: the file. */
#include <fcntl.h>
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_utimes FILE");
    const struct timespec times[2] = {{0, 0}, {0, 0}};
    if (utimensat(AT_FDCWD, argv[1], times, 0) != 0) refused(errno, "utimensat %s", argv[1]);
    escaped("set the timestamps of %s to 1970", argv[1]);
}
