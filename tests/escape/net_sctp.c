/* Escape probe: open an SCTP socket, a transport that Landlock's TCP port rules do not cover
 * (creating it is the escape; the probe talks to no one). */
#include "net.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "net_sctp");
    if (socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP) < 0) refused(errno, "socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)");
    escaped("opened an SCTP socket");
}
