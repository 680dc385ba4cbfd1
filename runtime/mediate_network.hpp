// Runtime: the supervisor's mediation of connect, bind and listen (DESIGN.md, "Network").
//
// The command installs, besides the profile's filter, a small one that sends connect(),
// bind() and listen() to the supervisor through seccomp user notification, and hands the
// listener over a socketpair before exec. The supervisor reads the call's address from
// the command's memory, checks that the notification is still live, decides on that copy,
// and performs the call itself on a duplicate of the command's socket (pidfd_getfd) with
// the same copy, replying with its result: a thread that rewrites the address after the
// check changes nothing. A call the supervisor decides is never let continue in the
// command; only connect and bind calls it does not decide (a unix bind, a UDP socket)
// continue, for the kernel and Landlock to decide as without it. Landlock therefore never
// allows what only the supervisor decides: not the named addresses, not loopback, not the
// proxy's port.
//
// Performed by the supervisor, a call is outside Landlock: the decision repeats what
// Landlock would say of the port (any address) and adds the addresses the profile names.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/landlock_plan.hpp"

namespace nono::runtime {

struct MediationRules {
    std::vector<landlock::PortRange> tcp_connect;  // any address
    std::vector<landlock::PortRange> tcp_bind;     // any address
    net::Peers peers;                              // addresses, loopback, unix sockets (none under `allow unix`)
    bool abstract_outside = false;                 // `allow abstract-socket outside`
    std::uint16_t proxy_port = 0;                  // 127.0.0.1 only; 0: no proxy
};

// What the supervisor decides, as a pure function of the call (for tests and `why`):
// 0 to perform it, or the errno to refuse it with.
int decide_inet_connect(const MediationRules& rules, const net::Address& address, std::uint16_t port);
int decide_inet_bind(const MediationRules& rules, const net::Address& address, std::uint16_t port);

// The filter for the host architecture: user notification for connect, bind and listen,
// EOPNOTSUPP for a TCP Fast Open send (a connect inside sendto/sendmsg), allow for the
// rest without loading an argument, so the kernel's constant-action cache keeps serving
// every other syscall. Foreign architectures are the profile filter's to kill.
std::vector<sock_filter> mediation_filter();

// In the command, after no_new_privs and before the profile's filter: installs the
// mediation filter and sends its listener over `channel`, then closes both. Throws SandboxError.
void hand_over_listener(int channel);

// Why this machine cannot mediate (seccomp user notification or pidfd_getfd refused, as
// some container runtimes do), or nullopt when it can. Probes with a child process.
std::optional<std::string> mediation_unavailable();

class Mediator {
public:
    // Throws SandboxError.
    explicit Mediator(MediationRules rules);
    ~Mediator();
    Mediator(const Mediator&) = delete;
    Mediator& operator=(const Mediator&) = delete;

    // The command's end of the channel (for hand_over_listener); nono closes its copy in start().
    int command_end() const;
    // After the fork: receives the listener and serves on a thread of its own.
    void start();
    // One line per refused peer and reason, with counts; read after the run.
    std::vector<std::string> refusals() const;

    struct State;

private:
    std::unique_ptr<State> state_;
};

}  // namespace nono::runtime
