/* Escape probe: connect to a port the profile does not allow, with MPTCP instead of TCP
 * (Landlock's TCP rules apply to TCP sockets only). Argument: a loopback port where the
 * runner listens. */
#include "net.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

int main(int argc, char** argv) {
    need_args(argc, 1, "net_mptcp PORT");
    struct sockaddr_in to = loopback4(parse_port(argv[1]));
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
    if (s < 0) refused(errno, "socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP)");
    if (connect(s, (struct sockaddr*)&to, sizeof to) != 0) refused(errno, "MPTCP connect to port %s", argv[1]);
    escaped("connected with MPTCP to 127.0.0.1:%s", argv[1]);
}
