/* Escape probe: send an ICMP echo request through an unprivileged ping socket
 * (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), allowed by net.ipv4.ping_group_range). */
#include <netinet/ip_icmp.h>

#include "net.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "net_icmp");
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (s < 0) refused(errno, "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)");
    struct icmphdr echo = {.type = ICMP_ECHO};
    struct sockaddr_in to = loopback4(0);
    if (sendto(s, &echo, sizeof echo, 0, (struct sockaddr*)&to, sizeof to) < 0) refused(errno, "sendto");
    escaped("sent an ICMP echo request through a ping socket");
}
