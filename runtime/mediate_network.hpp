// Runtime: the supervisor's mediation of connect, bind and listen (DESIGN.md, "Network").
//
// The one mediation (mediation.hpp) sends connect(), bind() and listen() to the supervisor
// through seccomp user notification, and hands them to this part. The supervisor reads
// the call's address from the command's memory, checks that the notification is still
// live, decides on that copy, and performs the call itself on a duplicate of the command's
// socket (pidfd_getfd) with the same copy, replying with its result: a thread that rewrites
// the address after the check changes nothing. A call the supervisor decides is never let
// continue in the command; only connect and bind calls it does not decide (a unix bind, a
// UDP socket) continue, for the kernel and Landlock to decide as without it. Landlock
// therefore never allows what only the supervisor decides: not the named addresses, not
// loopback, not the proxy's port.
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

#include "plan/landlock_plan.hpp"
#include "runtime/mediation.hpp"

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

// The network's part of the one mediation (mediation.hpp): connect, bind and listen.
class NetworkMediation {
public:
    NetworkMediation(MediationRules rules, std::shared_ptr<Listener> listener);
    ~NetworkMediation();
    NetworkMediation(const NetworkMediation&) = delete;
    NetworkMediation& operator=(const NetworkMediation&) = delete;

    // Whether `nr` is one of its calls.
    static bool mediates(int nr);
    void handle(const seccomp_notif& request);
    // One line per refused peer and reason, with counts.
    std::vector<std::string> refusals() const;

    struct State;

private:
    std::unique_ptr<State> state_;
};

}  // namespace nono::runtime
