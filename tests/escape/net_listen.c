/* Escape probe: accept connections without bind(): listen() on a fresh TCP socket binds it
 * to an ephemeral port, which Landlock's bind right never sees. */
#include <netinet/in.h>
#include <sys/socket.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "net_listen");
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) refused(errno, "socket(AF_INET, SOCK_STREAM)");
    if (listen(s, 1) != 0) refused(errno, "listen without bind");
    struct sockaddr_in at;
    socklen_t len = sizeof at;
    getsockname(s, (struct sockaddr*)&at, &len);
    escaped("listening on port %u", ntohs(at.sin_port));
}
