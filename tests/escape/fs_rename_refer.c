/* Escape probe: move a denied directory into the writable workspace (rename across a
 * Landlock boundary, the REFER rule), then read a file inside it where it landed.
 * Arguments: the denied directory, where to move it, the file to read after the move. */
#include <fcntl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 3, "fs_rename_refer DENIED_DIR DESTINATION FILE_AFTER_MOVE");
    if (rename(argv[1], argv[2]) != 0) refused(errno, "rename %s to %s", argv[1], argv[2]);
    int fd = open(argv[3], O_RDONLY);
    if (fd < 0) refused(errno, "open %s after the move", argv[3]);
    read_one_byte_or_refused(fd, argv[3]);
    escaped("moved %s into the workspace and read %s", argv[1], argv[3]);
}
