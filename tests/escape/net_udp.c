/* Escape probe: send a UDP datagram (Landlock has no UDP rules; only seccomp can refuse it).
 * Argument: a loopback port to send to. */
#include "net.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "net_udp PORT");
    struct sockaddr_in to = loopback4(parse_port(argv[1]));
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) refused(errno, "socket(AF_INET, SOCK_DGRAM)");
    if (sendto(s, "x", 1, 0, (struct sockaddr*)&to, sizeof to) != 1) refused(errno, "sendto");
    escaped("sent a UDP datagram to 127.0.0.1:%s", argv[1]);
}
