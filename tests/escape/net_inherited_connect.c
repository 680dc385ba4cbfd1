/* Escape probe: connect an already-open TCP socket inherited from outside the sandbox (on
 * stdin, which nono cannot close) to a port the profile does not allow. No socket() call
 * happens inside, so only Landlock's connect rule can refuse. Argument: the port. */
#include "net.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "net_inherited_connect PORT");
    struct sockaddr_in to = loopback4(parse_port(argv[1]));
    int type;
    socklen_t len = sizeof type;
    if (getsockopt(0, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
        setup_failed("stdin is not an inherited stream socket");
    if (connect(0, (struct sockaddr*)&to, sizeof to) != 0) refused(errno, "connect the inherited socket to port %s", argv[1]);
    escaped("connected the inherited socket to 127.0.0.1:%s", argv[1]);
}
