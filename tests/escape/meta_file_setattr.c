/* Escape probe: set an inode attribute flag (FS_XFLAG_NODUMP) on a file outside every grant
 * with file_setattr (Linux 6.17), the path-based FS_IOC_FSSETXATTR. Argument: the file. */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "probe.h"

#define NR_file_getattr 468
#define NR_file_setattr 469

struct file_attr {
    uint64_t fa_xflags;
    uint32_t fa_extsize, fa_nextents, fa_projid, fa_cowextsize;
};

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_file_setattr FILE");
    struct file_attr attr = {0};
    if (syscall(NR_file_getattr, AT_FDCWD, argv[1], &attr, sizeof attr, 0) != 0) refused(errno, "file_getattr %s", argv[1]);
    attr.fa_xflags |= FS_XFLAG_NODUMP;
    if (syscall(NR_file_setattr, AT_FDCWD, argv[1], &attr, sizeof attr, 0) != 0) refused(errno, "file_setattr %s", argv[1]);
    escaped("set the no-dump attribute of %s by path", argv[1]);
}
