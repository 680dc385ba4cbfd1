/* Escape probe: give a file outside every grant file capabilities (security.capability,
 * CAP_SETFCAP): whoever runs it next gains them. Version 2 data granting CAP_SYS_ADMIN. */
#include <linux/capability.h>
#include <sys/xattr.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "cap_setcap FILE");
    struct vfs_cap_data caps = {.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE};
    caps.data[0].permitted = 1u << CAP_SYS_ADMIN;
    if (setxattr(argv[1], "security.capability", &caps, XATTR_CAPS_SZ_2, 0) != 0)
        refused(errno, "setxattr security.capability on %s", argv[1]);
    escaped("set file capabilities on %s", argv[1]);
}
