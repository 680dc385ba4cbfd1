// Lowering pass: ir::Network → socket()/socketpair()/socketcall() argument rules. Every
// comparison is on the low 32 bits (MaskedEq with 0xffffffff), because the kernel
// truncates these int arguments: a full 64-bit compare could be dodged with garbage in
// the high word.
#include "compiler/lower_network_syscalls.hpp"

#include <linux/net.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "compiler/constants.hpp"

namespace nono {

namespace {

using ir::ArgCheck;
using Op = ir::ArgCheck::Op;

constexpr std::uint64_t kIntMask = 0xffffffff;
constexpr std::uint64_t kSocketTypeMask = 0xf;  // SOCK_TYPE_MASK: the rest are SOCK_CLOEXEC/NONBLOCK
const ir::Action kAllow{ir::Action::Kind::Allow, 0};
const ir::Action kRefused{ir::Action::Kind::Errno, EACCES};

ArgCheck int_equals(std::uint8_t arg, std::uint64_t value) { return {arg, Op::MaskedEq, value, kIntMask}; }

std::vector<ir::CondRule> inet_rules(int type, int protocol, const ir::Origin& origin) {
    std::vector<ir::CondRule> rules;
    // AF_INET6 from Linux's table: a macOS build host's is 30, Linux's 10. The other socket
    // constants here (AF_UNIX, AF_INET, SOCK_*, IPPROTO_*, EACCES) are the same on both.
    for (int family : {AF_INET, static_cast<int>(*constant_value("AF_INET6"))})
        for (int proto : {0, protocol})
            rules.push_back({{int_equals(0, family), {1, Op::MaskedEq, static_cast<std::uint64_t>(type), kSocketTypeMask},
                              int_equals(2, proto)},
                             kAllow,
                             origin});
    return rules;
}

// The socket() calls the network statements allow, and the statements behind them.
struct SocketPolicy {
    std::vector<ir::CondRule> allowed;
    std::vector<ir::Origin> origins;
};

SocketPolicy socket_policy(const ir::Network& net) {
    SocketPolicy p;
    // TCP for the ports, and for the hosts and loopback the supervisor decides per call.
    std::optional<ir::Origin> tcp;
    if (!net.tcp_connect.empty()) tcp = net.tcp_connect.front().origin;
    else if (!net.tcp_bind.empty()) tcp = net.tcp_bind.front().origin;
    else if (!net.tcp_connect_hosts.empty()) tcp = net.tcp_connect_hosts.front().origin;
    else if (net.loopback) tcp = net.loopback;
    if (tcp) {
        auto rules = inet_rules(SOCK_STREAM, IPPROTO_TCP, *tcp);
        p.allowed.insert(p.allowed.end(), rules.begin(), rules.end());
    }
    if (net.udp) {
        auto rules = inet_rules(SOCK_DGRAM, IPPROTO_UDP, *net.udp);
        p.allowed.insert(p.allowed.end(), rules.begin(), rules.end());
    }
    if (net.unix_sockets) p.allowed.push_back({{int_equals(0, AF_UNIX)}, kAllow, *net.unix_sockets});
    // `allow unix connect`: stream and seqpacket sockets, whose connect the supervisor
    // decides by path; a datagram socket could send to any named one.
    if (!net.unix_sockets && !net.unix_connect.empty())
        for (int type : {SOCK_STREAM, SOCK_SEQPACKET})
            p.allowed.push_back({{int_equals(0, AF_UNIX), {1, Op::MaskedEq, static_cast<std::uint64_t>(type), kSocketTypeMask}},
                                 kAllow,
                                 net.unix_connect.begin()->second});
    for (const auto* ranges : {&net.tcp_connect, &net.tcp_bind})
        for (const auto& range : *ranges) p.origins.push_back(range.origin);
    for (const ir::HostRule& h : net.tcp_connect_hosts) p.origins.push_back(h.origin);
    for (const auto* origin : {&net.udp, &net.unix_sockets, &net.loopback})
        if (*origin) p.origins.push_back(**origin);
    for (const auto& [path, origin] : net.unix_connect) p.origins.push_back(origin);
    if (p.origins.empty()) p.origins.push_back({{}, "no network statement"});
    return p;
}

// Narrows `d` so that what it let through runs only when one of `allowed_when` also holds
// (keeping its action, allow or log); the rest is refused. First-match order is kept: a
// rule that let the call through becomes its conjunction with each of `allowed_when`,
// followed by itself refused.
void narrow(ir::SyscallDecision& d, const std::vector<ir::CondRule>& allowed_when,
            const std::vector<ir::Origin>& refusal_origins) {
    // The profile's rule (or, for `otherwise`, the network statement) stays the origin.
    auto when_all = [&](const ir::CondRule* rule, const ir::Action& action, std::vector<ir::CondRule>& out) {
        for (const auto& when : allowed_when) {
            ir::CondRule both = when;
            both.action = action;
            if (rule) {
                both.checks.insert(both.checks.begin(), rule->checks.begin(), rule->checks.end());
                both.origin = rule->origin;
            }
            out.push_back(std::move(both));
        }
    };
    std::vector<ir::CondRule> rules;
    for (const auto& rule : d.rules) {
        if (!rule.action.lets_through()) {
            rules.push_back(rule);
            continue;
        }
        when_all(&rule, rule.action, rules);
        rules.push_back({rule.checks, kRefused, refusal_origins.front()});
    }
    if (d.otherwise.lets_through()) {
        when_all(nullptr, d.otherwise, rules);
        d.otherwise = kRefused;
        d.origins = refusal_origins;
    }
    d.rules = std::move(rules);
}

bool allows_something(const ir::SyscallDecision& d) {
    if (d.otherwise.lets_through()) return true;
    for (const auto& rule : d.rules)
        if (rule.action.lets_through()) return true;
    return false;
}

// The decision for a syscall by name if it allows anything (made explicit when it came
// from the default); nullptr if the syscall is refused anyway or the architecture has none.
ir::SyscallDecision* allowing_decision(ir::SyscallTable& table, const std::string& name) {
    for (const auto& [nr, n] : table.names) {
        if (n != name) continue;
        auto it = table.decisions.find(nr);
        if (it == table.decisions.end()) {
            if (!table.default_action.lets_through()) return nullptr;
            it = table.decisions.emplace(nr, ir::SyscallDecision{{}, table.default_action, {table.default_origin}}).first;
        }
        return allows_something(it->second) ? &it->second : nullptr;
    }
    return nullptr;
}

// The socketpair() calls allowed: AF_UNIX of any type with `allow unix`; otherwise stream
// and seqpacket only, which come connected to each other, where an unbound datagram
// socket could send to any named one (/dev/log).
std::vector<ir::CondRule> socketpair_policy(const ir::Network& net) {
    if (net.unix_sockets) return {{{int_equals(0, AF_UNIX)}, kAllow, *net.unix_sockets}};
    const ir::Origin origin{{}, "socketpair() of connected unix sockets always works"};
    std::vector<ir::CondRule> rules;
    for (int type : {SOCK_STREAM, SOCK_SEQPACKET})
        rules.push_back({{int_equals(0, AF_UNIX), {1, Op::MaskedEq, static_cast<std::uint64_t>(type), kSocketTypeMask}},
                         kAllow,
                         origin});
    return rules;
}

// listen() needs a socket that may accept: a TCP bind grant, `allow loopback` (whose
// listen the supervisor decides), or `allow unix`. Without them, listen() on a fresh TCP
// socket would bind it to a port Landlock never saw.
bool listen_allowed(const ir::Network& net) { return !net.tcp_bind.empty() || net.loopback || net.unix_sockets; }

}  // namespace

void add_network_syscall_rules(ir::Policy& policy) {
    if (policy.network.all) return;
    const SocketPolicy sockets = socket_policy(policy.network);
    const std::vector<ir::CondRule> pairs = socketpair_policy(policy.network);
    const bool listen = listen_allowed(policy.network);
    const ir::Origin listen_origin{{}, "listen() needs `allow bind tcp`, `allow loopback` or `allow unix`"};
    for (auto& table : policy.syscalls) {
        if (auto* d = allowing_decision(table, "socket")) narrow(*d, sockets.allowed, sockets.origins);
        if (auto* d = allowing_decision(table, "socketpair")) narrow(*d, pairs, sockets.origins);
        if (!listen)
            if (auto* d = allowing_decision(table, "listen")) narrow(*d, {}, {listen_origin});
        if (auto* d = allowing_decision(table, "socketcall")) {
            std::vector<ir::CondRule> refused = {{{int_equals(0, SYS_SOCKET)}, kRefused, sockets.origins.front()}};
            if (!policy.network.unix_sockets)
                refused.push_back({{int_equals(0, SYS_SOCKETPAIR)}, kRefused, sockets.origins.front()});
            if (!listen) refused.push_back({{int_equals(0, SYS_LISTEN)}, kRefused, listen_origin});
            d->rules.insert(d->rules.begin(), refused.begin(), refused.end());
        }
    }
}

}  // namespace nono
