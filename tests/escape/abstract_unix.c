/* Escape probe: connect to an abstract unix socket that a process outside the sandbox
 * listens on (abstract names have no path, so no path rule covers them).
 * Argument: the name without the leading NUL. */
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "abstract_unix NAME");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t name_len = strlen(argv[1]);
    if (name_len == 0 || name_len >= sizeof addr.sun_path) setup_failed("bad socket name");
    memcpy(addr.sun_path + 1, argv[1], name_len);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + name_len);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) refused(errno, "socket(AF_UNIX)");
    if (connect(s, (struct sockaddr*)&addr, len) != 0) refused(errno, "connect to @%s", argv[1]);
    escaped("connected to the abstract socket @%s outside the sandbox", argv[1]);
}
