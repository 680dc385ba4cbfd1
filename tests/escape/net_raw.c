/* Escape probe: open a raw IP socket (forged packets, any protocol). Root has CAP_NET_RAW;
 * only the seccomp filter stands between a sandboxed root and this. */
#include "probe.h"
#include "raw_socket.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "net_raw");
    if (socket(RAW_DOMAIN, RAW_TYPE, RAW_PROTOCOL) < 0) refused(errno, "socket(AF_INET, SOCK_RAW)");
    escaped("opened a raw IP socket");
}
