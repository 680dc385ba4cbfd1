/* Escape probe: set an inode flag (FS_NODUMP_FL, which the owner may set) on a file outside
 * every write grant with ioctl(FS_IOC_SETFLAGS) on a descriptor opened for reading: no path,
 * no write. The same ioctl sets append-only and immutable with CAP_LINUX_IMMUTABLE.
 * Argument: the file. */
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_setflags FILE");
    const int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) refused(errno, "open %s for reading", argv[1]);
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) refused(errno, "FS_IOC_GETFLAGS %s", argv[1]);
    flags |= FS_NODUMP_FL;
    if (ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0) refused(errno, "FS_IOC_SETFLAGS %s", argv[1]);
    escaped("set the no-dump flag of %s through a read-only descriptor", argv[1]);
}
