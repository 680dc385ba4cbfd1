/* Escape probe: read a denied file through a descriptor opened outside the sandbox and
 * inherited across exec: path rules are checked at open, never again. nono closes every
 * descriptor above 2 before exec unless the user passes it with --keep-fd.
 * Argument: the inherited descriptor's number. */
#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "fd_inherited FD");
    int fd = atoi(argv[1]);
    if (fd <= 2) setup_failed("the descriptor must be above 2, got %s", argv[1]);
    read_one_byte_or_refused(fd, "the inherited descriptor");
    escaped("read a denied file through inherited descriptor %d", fd);
}
