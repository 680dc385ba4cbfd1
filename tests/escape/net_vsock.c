/* Escape probe: open an AF_VSOCK socket, a channel to the hypervisor host and other VMs
 * that no TCP/IP rule covers. Creating it is the escape; the probe talks to no one. */
#include <linux/vm_sockets.h>

#include "net.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "net_vsock");
    if (socket(AF_VSOCK, SOCK_STREAM, 0) < 0) refused(errno, "socket(AF_VSOCK)");
    escaped("opened an AF_VSOCK socket");
}
