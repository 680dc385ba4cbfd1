/* Escape probe: set a user.* extended attribute on a file outside every grant that the
 * caller owns (data that tools read back: user.xdg.origin.url, capabilities-like markers).
 * Argument: the file. */
#include <sys/xattr.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_xattr FILE");
    if (setxattr(argv[1], "user.nono_escape", "1", 1, 0) != 0) refused(errno, "setxattr user.nono_escape %s", argv[1]);
    escaped("set user.nono_escape on %s", argv[1]);
}
