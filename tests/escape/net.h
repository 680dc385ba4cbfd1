/* Escape probes on the network: loopback addresses and port parsing shared by the probes. */
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "probe.h"

static inline unsigned short parse_port(const char* text) {
    char* end;
    long port = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || port < 1 || port > 65535) setup_failed("bad port %s", text);
    return (unsigned short)port;
}

static inline struct sockaddr_in loopback4(unsigned short port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}
