/* Escape probe: learn the size and times of a file the profile denies every right on
 * (stat ~/.ssh/id_rsa): Landlock refuses opening it, not looking it up. The namespace view
 * covers what is denied with an empty directory or file. Argument: the file (planted with
 * content, so that a size of 0 is the cover's). */
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_stat_denied FILE");
    struct stat st;
    if (stat(argv[1], &st) != 0) refused(errno, "stat %s", argv[1]);
    if (st.st_size == 0) refused(ENODATA, "stat %s: an empty cover, size 0", argv[1]);
    escaped("%s is %lld bytes, modified at %lld", argv[1], (long long)st.st_size, (long long)st.st_mtime);
}
