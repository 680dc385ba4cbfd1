/* Escape probe: change a network device through a socket any profile has (CAP_NET_ADMIN):
 * a unix socket from socketpair() reaches the device ioctls. The flags set are the ones lo
 * has, and the runner gives the suite its own network namespace. */
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "cap_netdev");
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) setup_failed("socketpair: %s", strerror(errno));
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(pair[0], SIOCGIFFLAGS, &ifr) != 0) setup_failed("SIOCGIFFLAGS lo: %s", strerror(errno));
    if (ioctl(pair[0], SIOCSIFFLAGS, &ifr) != 0) refused(errno, "SIOCSIFFLAGS lo");
    escaped("set the flags of lo through a unix socket");
}
