/* Escape probe: open a packet socket (sniff and inject link-layer frames). */
#include <linux/if_ether.h>

#include "net.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "net_packet");
    if (socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) < 0) refused(errno, "socket(AF_PACKET, SOCK_RAW)");
    escaped("opened a packet socket");
}
