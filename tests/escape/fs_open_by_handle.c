/* Escape probe: read a denied file by its file handle (open_by_handle_at), which skips the
 * path walk. Needs CAP_DAC_READ_SEARCH, which the root runner has; the mount is named by the
 * workspace (the current directory), on the same filesystem. Argument: the denied file. */
#include <fcntl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "fs_open_by_handle DENIED_FILE");
    union {
        struct file_handle handle;
        char bytes[sizeof(struct file_handle) + MAX_HANDLE_SZ];
    } h;
    h.handle.handle_bytes = MAX_HANDLE_SZ;
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, argv[1], &h.handle, &mount_id, 0) != 0)
        refused(errno, "name_to_handle_at");
    int mount_fd = open(".", O_RDONLY | O_DIRECTORY);
    if (mount_fd < 0) setup_failed("open the workspace: %s", strerror(errno));
    int fd = open_by_handle_at(mount_fd, &h.handle, O_RDONLY);
    if (fd < 0) refused(errno, "open_by_handle_at");
    read_one_byte_or_refused(fd, "through the handle");
    escaped("read %s through open_by_handle_at", argv[1]);
}
