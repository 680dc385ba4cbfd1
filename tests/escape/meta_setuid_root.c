/* Escape probe: as root, make a root-owned file outside every grant setuid (chmod u+s): the
 * `chmod u+s /usr/bin/X` of a root-run sandbox, a setuid-root binary for whoever runs it
 * later. The owner needs no capability for it. Argument: the file. */
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_setuid_root FILE");
    if (chmod(argv[1], 04755) != 0) refused(errno, "chmod u+s %s", argv[1]);
    escaped("made the root-owned %s setuid", argv[1]);
}
