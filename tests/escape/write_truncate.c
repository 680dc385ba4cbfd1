/* Escape probe: destroy a file the sandbox may not write by truncating it by path
 * (truncate(2) needs no open for writing). Argument: the file. */
#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "write_truncate FILE");
    if (truncate(argv[1], 0) != 0) refused(errno, "truncate %s", argv[1]);
    escaped("truncated %s", argv[1]);
}
