/* Escape probe: as root, make a root-owned file outside every grant writable for everyone
 * (chmod 0777). Capabilities are cleared, but root owns /usr and /etc: the owner needs none
 * to change a mode, and Landlock has no right for metadata. Argument: the file. */
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_chmod_root FILE");
    if (chmod(argv[1], 0777) != 0) refused(errno, "chmod 0777 %s", argv[1]);
    escaped("made the root-owned %s writable for everyone", argv[1]);
}
