// Lowering, its last step (lower() calls it): the network statements that Landlock cannot state become
// socket()/socketpair() argument rules in every syscall table.
#pragma once

#include "compiler/ir.hpp"

namespace nono {

// Restricts socket() to what policy.network allows, unless it allows everything
// (`allow network`):
//   AF_INET/AF_INET6 stream sockets with protocol 0 or TCP, when any TCP port is allowed
//     (Landlock then decides which ports);
//   AF_INET/AF_INET6 datagram sockets with protocol 0 or UDP, with `allow udp`;
//   AF_UNIX, with `allow unix` (Landlock before ABI 9 cannot say which socket a process
//     connects to, and a reachable docker.sock is root);
//   nothing else: no ICMP, raw, packet, SCTP, MPTCP, vsock, netlink, … sockets. Netlink is
//     refused too: NETLINK_ROUTE can change routes and addresses for a process with
//     CAP_NET_ADMIN, and glibc's getaddrinfo works without it (its AI_ADDRCONFIG probe
//     treats a refused netlink socket as "IPv4 and IPv6 present"); `ip` and `ss` need
//     `allow network`.
// socketpair() is restricted to AF_UNIX, and without `allow unix` to stream and seqpacket
// pairs (a datagram one could send to any named unix socket). listen() is refused without a
// TCP bind grant or `allow unix` (listen() on an unbound TCP socket binds a port Landlock
// never checked). On i386, socketcall() passes its arguments in memory, where seccomp
// cannot read them, so socketcall(SYS_SOCKET, …), and SYS_SOCKETPAIR and SYS_LISTEN where
// their direct calls are restricted, are refused (glibc uses the direct calls on Linux 4.3+).
// Refusals return EACCES. The rules only narrow a decision: a syscall the profile
// denies stays denied, and its argument rules keep their order. io_uring, which can
// create sockets without socket(), is refused by the base profile, not here.
// Before the optimizer: the tables must not be coalesced yet.
void add_network_syscall_rules(ir::Policy& policy);

}  // namespace nono
