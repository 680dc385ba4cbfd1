/* Escape probe: watch a file the profile denies every right on with inotify, which reports
 * every open and read of it by anyone (when the user's ssh uses the key): Landlock does not
 * check inotify_add_watch. The namespace view covers what is denied with an empty directory
 * or file. Argument: the file, inside a denied directory. */
#include <sys/inotify.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_watch_denied FILE");
    const int fd = inotify_init1(IN_CLOEXEC);
    if (fd < 0) refused(errno, "inotify_init1");
    if (inotify_add_watch(fd, argv[1], IN_OPEN | IN_ACCESS) < 0) refused(errno, "inotify_add_watch %s", argv[1]);
    escaped("watching every open and read of %s", argv[1]);
}
