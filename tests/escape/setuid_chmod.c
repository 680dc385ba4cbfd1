/* Escape probe: make a file outside every grant setuid (chmod u+s). The owner needs no
 * capability for that, and Landlock has no right for metadata: a setuid binary planted by a
 * sandbox run as root runs as root for whoever starts it. Argument: the file. */
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "setuid_chmod FILE");
    if (chmod(argv[1], 04755) != 0) refused(errno, "chmod u+s %s", argv[1]);
    escaped("made %s setuid", argv[1]);
}
