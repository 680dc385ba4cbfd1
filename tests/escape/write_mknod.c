/* Escape probe: create a block device node for the disk that holds the workspace; reading it
 * would bypass every path rule. `write` never includes create-block. Creating the node is
 * the escape, so the probe stops there. Works in the workspace (the current directory). */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "write_mknod");
    struct stat here;
    if (stat(".", &here) != 0) setup_failed("stat .: %s", strerror(errno));
    const char* node = "escape-blockdev";
    unlink(node);
    if (mknod(node, S_IFBLK | 0600, here.st_dev) != 0) refused(errno, "mknod block device");
    unlink(node);
    escaped("created block device %u:%u", major(here.st_dev), minor(here.st_dev));
}
