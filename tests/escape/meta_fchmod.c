/* Escape probe: change the mode of a file outside every write grant through a descriptor
 * the sandbox may open (for reading): fchmod needs no path, so nothing path-based sees it.
 * Argument: the file. */
#include <fcntl.h>
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_fchmod FILE");
    const int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) refused(errno, "open %s for reading", argv[1]);
    if (fchmod(fd, 0666) != 0) refused(errno, "fchmod 0666 %s", argv[1]);
    escaped("made %s writable for everyone through a read-only descriptor", argv[1]);
}
