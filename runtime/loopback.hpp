// Runtime: this machine's addresses: the loopback address and listener that the proxy, the
// network benchmark and the enforcement tests use, so that none writes its own sockaddr_in
// and bind/listen; and the interfaces' addresses, which the proxy refuses unless named.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <vector>

#include "plan/net_address.hpp"

namespace nono::net {

// 127.0.0.1:PORT as bind and connect take it (port 0: one the kernel picks when bound).
sockaddr_in loopback(std::uint16_t port);
// A TCP socket listening on 127.0.0.1 at a port the kernel picks (`port` gets it), made
// with SOCK_STREAM | `flags` (Linux's SOCK_CLOEXEC, SOCK_NONBLOCK); -1 and errno on failure.
int listen_on_loopback(int flags, int backlog, std::uint16_t& port);
// This machine's own addresses, as its interfaces have them now (getifaddrs): a server
// bound to 0.0.0.0 or :: answers on each of them, loopback or not. Empty when they cannot
// be listed.
std::vector<Address> own_addresses();

}  // namespace nono::net
