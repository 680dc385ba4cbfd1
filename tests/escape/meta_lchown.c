/* Escape probe: change the owner of a symlink outside every grant with lchown, which does not
 * follow it (the object is the link itself, not what it names). Argument: the symlink. */
#include <unistd.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_lchown SYMLINK");
    if (lchown(argv[1], getuid(), getgid()) != 0) refused(errno, "lchown %s", argv[1]);
    escaped("changed the owner of the symlink %s", argv[1]);
}
