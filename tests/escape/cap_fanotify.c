/* Escape probe: a fanotify group that may watch whole mounts and file systems
 * (CAP_SYS_ADMIN): every open and write on the machine, with a descriptor to the file. */
#include <fcntl.h>
#include <sys/fanotify.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "cap_fanotify");
    const int fd = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
    if (fd < 0) refused(errno, "fanotify_init");
    if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, "/") != 0)
        refused(errno, "fanotify_mark on the root mount");
    escaped("watching every open on the root mount");
}
