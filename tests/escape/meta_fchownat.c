/* Escape probe: change the group of a file outside every grant with fchownat (to one of the
 * caller's own groups, which needs no capability), the at-variant of chown. Argument: the file. */
#include <fcntl.h>
#include <unistd.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_fchownat FILE");
    if (fchownat(AT_FDCWD, argv[1], (uid_t)-1, getgid(), 0) != 0) refused(errno, "fchownat %s", argv[1]);
    escaped("changed the group of %s", argv[1]);
}
