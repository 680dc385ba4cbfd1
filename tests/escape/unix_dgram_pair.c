/* Escape probe: a unix datagram socket from socketpair(), where socket(AF_UNIX) is refused,
 * sends to any named datagram socket (/dev/log, a daemon's control socket): Landlock before
 * ABI 9 does not check the path. Argument: the outside socket's path. */
#include <sys/socket.h>
#include <sys/un.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "unix_dgram_pair PATH");
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) != 0) refused(errno, "socketpair(AF_UNIX, SOCK_DGRAM)");
    struct sockaddr_un to = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof to.sun_path) setup_failed("path too long: %s", argv[1]);
    strcpy(to.sun_path, argv[1]);
    if (sendto(pair[0], "escape", 6, 0, (struct sockaddr*)&to, sizeof to) != 6) refused(errno, "sendto %s", argv[1]);
    escaped("sent a datagram to %s", argv[1]);
}
