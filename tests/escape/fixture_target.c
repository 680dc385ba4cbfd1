/* Escape suite fixture: what lies outside the sandbox for the probes to reach. It listens on
 * TCP PORT on 127.0.0.1 and ::1 and on the abstract unix socket @NAME, has a unix datagram
 * socket bound at DGRAM_PATH (a /dev/log), ignores SIGUSR1 (the signal probe's target),
 * prints "ready" once all is set up, and waits to be killed.
 * Connections complete in the listen backlog: accepting them is not needed. */
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void listen_or_die(int s, const struct sockaddr* addr, socklen_t len, const char* what) {
    int on = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (s < 0 || bind(s, addr, len) != 0 || listen(s, 64) != 0) {
        perror(what);
        exit(2);
    }
}

int main(int argc, char** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: fixture_target PORT ABSTRACT_NAME DGRAM_PATH\n");
        return 2;
    }
    unsigned short port = (unsigned short)atoi(argv[1]);
    signal(SIGUSR1, SIG_IGN);

    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons(port)};
    v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    listen_or_die(socket(AF_INET, SOCK_STREAM, 0), (struct sockaddr*)&v4, sizeof v4, "listen on 127.0.0.1");

    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons(port), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    listen_or_die(socket(AF_INET6, SOCK_STREAM, 0), (struct sockaddr*)&v6, sizeof v6, "listen on ::1");

    struct sockaddr_un un = {.sun_family = AF_UNIX};
    size_t name_len = strlen(argv[2]);
    if (name_len == 0 || name_len >= sizeof un.sun_path) {
        fprintf(stderr, "bad abstract socket name\n");
        return 2;
    }
    memcpy(un.sun_path + 1, argv[2], name_len);
    listen_or_die(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr*)&un,
                  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + name_len), "listen on the abstract socket");

    struct sockaddr_un log = {.sun_family = AF_UNIX};
    if (strlen(argv[3]) >= sizeof log.sun_path) {
        fprintf(stderr, "datagram socket path too long\n");
        return 2;
    }
    strcpy(log.sun_path, argv[3]);
    if (bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr*)&log, sizeof log) != 0) {
        perror("bind the datagram socket");
        return 2;
    }

    printf("ready\n");
    fflush(stdout);
    for (;;) pause();
}
