/* Escape probe: connect over IPv6 to a port the profile does not allow (a filter written
 * for IPv4 only would miss it). Argument: a port where the runner listens on ::1. */
#include "net.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "net_ipv6 PORT");
    struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_port = htons(parse_port(argv[1])),
                              .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int s = socket(AF_INET6, SOCK_STREAM, 0);
    if (s < 0) refused(errno, "socket(AF_INET6, SOCK_STREAM)");
    if (connect(s, (struct sockaddr*)&to, sizeof to) != 0) refused(errno, "connect to [::1]:%s", argv[1]);
    escaped("connected to [::1]:%s", argv[1]);
}
