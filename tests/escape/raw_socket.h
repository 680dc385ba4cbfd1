/* Escape probes that bypass a filter: the forbidden action they try once past it.
 * Opening a raw IP socket is refused by every profile that does not allow the network, it
 * succeeds for the root runner outside a sandbox, and only seccomp can refuse it. */
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

enum { RAW_DOMAIN = AF_INET, RAW_TYPE = SOCK_RAW, RAW_PROTOCOL = IPPROTO_ICMP };
