/* Escape probe: change the mode of a file outside every grant that the caller owns (chmod
 * 0666 ~/.ssh/id_rsa). The owner needs no capability, and Landlock has no right for
 * metadata; a read-only view of the file system refuses it. Argument: the file. */
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_chmod FILE");
    if (chmod(argv[1], 0666) != 0) refused(errno, "chmod 0666 %s", argv[1]);
    escaped("made %s writable for everyone", argv[1]);
}
