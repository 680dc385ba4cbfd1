/* Escape probe: set a user.* extended attribute on a file outside every grant with
 * setxattrat (Linux 6.13), the at-variant a filter written before it would not name.
 * Argument: the file. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "probe.h"

#define NR_setxattrat 463

struct xattr_args {
    uint64_t value;
    uint32_t size, flags;
};

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_setxattrat FILE");
    const char value[] = "1";
    struct xattr_args args = {(uintptr_t)value, 1, 0};
    if (syscall(NR_setxattrat, AT_FDCWD, argv[1], 0, "user.nono_escape", &args, sizeof args) != 0)
        refused(errno, "setxattrat user.nono_escape %s", argv[1]);
    escaped("set user.nono_escape on %s with setxattrat", argv[1]);
}
