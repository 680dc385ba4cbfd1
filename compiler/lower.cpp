// Stage 2b: lower the resolved facts into the IR.
//
// Syscalls follow docs/language.md's precedence for one syscall: an unconditional deny
// decides alone; otherwise conditional denies (strictest first), then conditional allows,
// then an unconditional allow, then the default.
#include "compiler/lower.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <functional>
#include <set>
#include <tuple>

#include "compiler/lower_network_syscalls.hpp"
#include "compiler/syscalls.hpp"
#include "core/paths.hpp"

namespace nono {

namespace {

int strictness(ir::Action::Kind k) {
    switch (k) {
        case ir::Action::Kind::Allow: return 0;
        case ir::Action::Kind::Log: return 1;
        case ir::Action::Kind::Errno: return 2;
        case ir::Action::Kind::Trap: return 3;
        case ir::Action::Kind::KillThread: return 4;
        case ir::Action::Kind::KillProcess: return 5;
    }
    return 5;
}

// Whether an `allow` statement names exactly `path` (canonical): that re-opens a
// `deny secret` of it.
bool allowed_by_name(const ResolvedProfile& profile, const std::string& path) {
    return std::any_of(profile.fs.begin(), profile.fs.end(), [&](const FsFact& fact) {
        return fact.effect == ir::Effect::Allow && (fact.literal || !is_glob(fact.path)) && canonical_path(fact.path) == path;
    });
}

void lower_paths(const ResolvedProfile& profile, ir::Policy& policy) {
    for (const FsFact& fact : profile.fs) {
        ir::PathRule rule{fact.effect, fact.rights, fact.origin, fact.directory};
        std::string path = canonical_path(fact.path);
        if (fact.protect) {
            policy.protect.emplace(std::move(path), fact.origin);  // the first statement, when several name it
            continue;
        }
        // A secret is an ordinary deny, or nothing once an allow names its path: the path
        // then has what the allows give it, as if the secret were not written.
        if (fact.secret && allowed_by_name(profile, path)) continue;
        if (!fact.literal && is_glob(path))
            policy.globs.push_back({std::move(path), std::move(rule)});
        else
            ir::add_path_rule(policy, path, std::move(rule));
    }
    // Facts arrive in file order; the order of globs must not depend on it.
    std::sort(policy.globs.begin(), policy.globs.end(), [](const ir::GlobRule& a, const ir::GlobRule& b) {
        return std::tie(a.pattern, a.rule.origin, a.rule.effect, a.rule.rights) <
               std::tie(b.pattern, b.rule.origin, b.rule.effect, b.rule.rights);
    });
}

// Ports 1..65535 -> the fact that allows each (the earliest-written one when several do),
// minus the denied ones; runs of one origin become sorted, disjoint ranges. A sweep over
// the ports where some fact starts or stops applying, so the cost follows the number of
// statements, not of ports.
std::vector<ir::PortRange> port_ranges(const std::vector<const NetFact*>& allows,
                                       const std::vector<const NetFact*>& denies) {
    struct Edge {
        std::uint32_t port;  // the first port where `fact` applies, or the first where it stops
        const NetFact* fact;
        bool deny;
        bool starts;
    };
    std::vector<Edge> edges;
    for (bool deny : {false, true})
        for (const NetFact* fact : deny ? denies : allows)
            for (auto [first, last] : fact->ports) {
                if (first > last) continue;
                edges.push_back({std::max<std::uint32_t>(first, 1), fact, deny, true});
                edges.push_back({last + 1u, fact, deny, false});
            }
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.port < b.port; });

    auto earlier = [](const NetFact* a, const NetFact* b) {
        if (a->origin < b->origin || b->origin < a->origin) return a->origin < b->origin;
        return std::less<const NetFact*>{}(a, b);
    };
    std::multiset<const NetFact*, decltype(earlier)> open_allows(earlier);
    std::size_t open_denies = 0;
    std::vector<ir::PortRange> ranges;
    const NetFact* owner = nullptr;  // of the ports between the previous edge and this one
    for (std::size_t e = 0; e < edges.size();) {
        const std::uint32_t port = edges[e].port;
        for (; e < edges.size() && edges[e].port == port; ++e) {
            const Edge& edge = edges[e];
            if (edge.deny) {
                edge.starts ? ++open_denies : --open_denies;
            } else if (edge.starts) {
                open_allows.insert(edge.fact);
            } else {
                open_allows.erase(open_allows.find(edge.fact));
            }
        }
        if (port > 65535) break;
        const NetFact* next = open_denies || open_allows.empty() ? nullptr : *open_allows.begin();
        if (next && next != owner)
            ranges.push_back({static_cast<std::uint16_t>(port), static_cast<std::uint16_t>(port), next->origin});
        owner = next;
        // Every fact that starts also stops, so past the last edge nothing is open.
        if (owner) ranges.back().last = static_cast<std::uint16_t>(edges[e].port - 1);
    }
    return ranges;
}

void lower_network(const ResolvedProfile& profile, ir::Policy& policy) {
    using Kind = ast::NetRule::Kind;
    std::map<Kind, std::vector<const NetFact*>> allows, denies;
    for (const NetFact& fact : profile.net)
        (fact.effect == ir::Effect::Allow ? allows : denies)[fact.kind].push_back(&fact);
    auto first_origin = [&](Kind kind) -> std::optional<ir::Origin> {
        if (denies.count(kind) || !allows.count(kind)) return std::nullopt;
        return std::min_element(allows[kind].begin(), allows[kind].end(),
                                [](const NetFact* a, const NetFact* b) { return a->origin < b->origin; })
            .operator*()
            ->origin;
    };

    ir::Network& net = policy.network;
    std::optional<ir::Origin> all = first_origin(Kind::Network);
    NetFact everything;  // `allow network` spelled out below; `allows` points to it to the end
    bool any_network_deny = denies.count(Kind::ConnectTcp) || denies.count(Kind::BindTcp) ||
                            denies.count(Kind::Udp) || denies.count(Kind::Unix);
    if (all && !any_network_deny) {
        net.all = all;
    } else if (all) {
        // `allow network` with a deny: spell "everything" out as TCP on every port, UDP
        // and unix sockets, and take the deny out of that. Other families (raw, packet)
        // are then refused: stricter than written, never weaker.
        everything = NetFact{ir::Effect::Allow, Kind::Network, {{1, 65535}}, *all};
        allows[Kind::ConnectTcp].push_back(&everything);
        allows[Kind::BindTcp].push_back(&everything);
        net.tcp_connect = port_ranges(allows[Kind::ConnectTcp], denies[Kind::ConnectTcp]);
        net.tcp_bind = port_ranges(allows[Kind::BindTcp], denies[Kind::BindTcp]);
        if (!denies.count(Kind::Udp)) net.udp = first_origin(Kind::Udp).value_or(*all);
        if (!denies.count(Kind::Unix)) net.unix_sockets = first_origin(Kind::Unix).value_or(*all);
    }
    if (!all) {
        net.tcp_connect = port_ranges(allows[Kind::ConnectTcp], denies[Kind::ConnectTcp]);
        net.tcp_bind = port_ranges(allows[Kind::BindTcp], denies[Kind::BindTcp]);
        net.udp = first_origin(Kind::Udp);
        net.unix_sockets = first_origin(Kind::Unix);
    }
    net.signal_outside = first_origin(Kind::SignalOutside);
    net.abstract_socket_outside = first_origin(Kind::AbstractSocketOutside);
    if (net.all) return;  // every peer already

    // A denied port holds for named hosts too: a host whose ports touch one is left out
    // (stricter than written, never weaker).
    auto denied = [&](std::uint16_t first, std::uint16_t last) {
        for (const NetFact* d : denies[Kind::ConnectTcp])
            for (auto [f, l] : d->ports)
                if (f <= last && first <= l) return true;
        return false;
    };
    for (const NetFact* fact : allows[Kind::ConnectTcp])
        for (const auto& [host, ports] : fact->hosts)
            if (!denied(ports.first, ports.second))
                net.tcp_connect_hosts.push_back({{host, ports.first, ports.second}, fact->origin});
    std::sort(net.tcp_connect_hosts.begin(), net.tcp_connect_hosts.end());
    net.loopback = first_origin(Kind::Loopback);
    if (!net.unix_sockets)  // `allow unix` already reaches every socket
        for (const NetFact* fact : allows[Kind::UnixConnect])
            for (const std::string& path : fact->paths) net.unix_connect.emplace(canonical_path(path), fact->origin);
}

// The statements that touch one syscall number, sorted into the four precedence classes.
struct SyscallStatements {
    std::vector<const SyscallFact*> deny, conditional_deny, conditional_allow, allow;
};

// The strictest action among `facts`, and the origins of the facts that have it.
std::pair<ir::Action, std::vector<ir::Origin>> strictest(const std::vector<const SyscallFact*>& facts) {
    ir::Action action = facts.front()->action;
    for (const SyscallFact* f : facts)
        if (stricter(f->action, action)) action = f->action;
    std::vector<ir::Origin> origins;
    for (const SyscallFact* f : facts)
        if (f->action == action) origins.push_back(f->origin);
    std::sort(origins.begin(), origins.end());
    origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
    return {action, origins};
}

void append_conditional(std::vector<const SyscallFact*> facts, std::vector<ir::CondRule>& rules) {
    std::stable_sort(facts.begin(), facts.end(), [](const SyscallFact* a, const SyscallFact* b) {
        if (a->action != b->action) return stricter(a->action, b->action);
        return std::tie(a->alternatives, a->origin) < std::tie(b->alternatives, b->origin);
    });
    for (const SyscallFact* f : facts)
        for (const auto& checks : f->alternatives) rules.push_back({checks, f->action, f->origin});
}

ir::SyscallDecision decide(const SyscallStatements& s, const ir::Action& default_action) {
    ir::SyscallDecision d;
    if (!s.deny.empty()) {
        std::tie(d.otherwise, d.origins) = strictest(s.deny);
        return d;
    }
    append_conditional(s.conditional_deny, d.rules);
    append_conditional(s.conditional_allow, d.rules);
    if (!s.allow.empty())
        std::tie(d.otherwise, d.origins) = strictest(s.allow);
    else
        d.otherwise = default_action;
    // A last rule with the same action as `otherwise` changes nothing; without such
    // rules the kernel's constant-action cache can answer the syscall.
    while (!d.rules.empty() && d.rules.back().action == d.otherwise) d.rules.pop_back();
    return d;
}

// A number that no syscall in nono's tables has: it may be a syscall newer than them.
const ir::Action kUnknownSyscall{ir::Action::Kind::Errno, ENOSYS};
const ir::Origin kUnknownSyscallOrigin{{}, "built-in: numbers unknown to nono's syscall tables are refused"};

void lower_syscalls(const ResolvedProfile& profile, std::span<const ir::Arch> arches, ir::Policy& policy) {
    ir::Action default_action{ir::Action::Kind::Allow, 0};
    ir::Origin default_origin{{}, "built-in default: syscalls default allow"};
    if (!profile.syscall_defaults.empty()) {
        const SyscallDefaultFact* chosen = &profile.syscall_defaults.front();
        for (const SyscallDefaultFact& d : profile.syscall_defaults)
            if (stricter(d.action, chosen->action) || (d.action == chosen->action && d.origin < chosen->origin))
                chosen = &d;
        default_action = chosen->action;
        default_origin = chosen->origin;
    }
    for (ir::Arch arch : arches) {
        std::map<std::uint32_t, SyscallStatements> by_number;
        for (const SyscallFact& fact : profile.syscalls) {
            bool deny = fact.effect == ir::Effect::Deny;
            for (const std::string& name : fact.names) {
                std::optional<std::uint32_t> nr = syscall_number(arch, name);
                if (!nr) continue;
                SyscallStatements& s = by_number[*nr];
                auto& bucket = fact.conditional() ? (deny ? s.conditional_deny : s.conditional_allow)
                                                  : (deny ? s.deny : s.allow);
                bucket.push_back(&fact);
            }
        }
        ir::SyscallTable table;
        table.arch = arch;
        table.default_action = default_action;
        table.default_origin = default_origin;
        table.unknown_action = default_action.lets_through() ? kUnknownSyscall : default_action;
        table.unknown_origin = default_action.lets_through() ? kUnknownSyscallOrigin : default_origin;
        table.names = syscall_names(arch);
        for (const auto& [nr, statements] : by_number) table.decisions.emplace(nr, decide(statements, default_action));
        policy.syscalls.push_back(std::move(table));
    }
}

void lower_macos(const ResolvedProfile& profile, ir::Policy& policy) {
    std::vector<const MacosFact*> ordered;
    for (const MacosFact& f : profile.macos) ordered.push_back(&f);
    // Allows first, then denies, so a deny wins whatever the order of the statements.
    std::stable_sort(ordered.begin(), ordered.end(), [](const MacosFact* a, const MacosFact* b) {
        return std::tie(a->effect, a->origin) < std::tie(b->effect, b->origin);
    });
    for (const MacosFact* f : ordered) {
        bool allow = f->effect == ir::Effect::Allow;
        if (f->kind == ast::MacosRule::Kind::SysctlRead) {
            if (allow && !policy.macos.sysctl_read) policy.macos.sysctl_read = f->origin;
            if (!allow) policy.macos.sysctl_read.reset();
            continue;
        }
        for (const std::string& name : f->names) {
            if (allow)
                policy.macos.mach_lookup.emplace(name, f->origin);
            else
                policy.macos.mach_lookup.erase(name);
        }
    }
}

void lower_env(const ResolvedProfile& profile, ir::Policy& policy) {
    for (const EnvFact& f : profile.env) {
        for (const std::string& name : f.names) {
            switch (f.kind) {
                case ast::EnvRule::Kind::Keep: policy.env.keep.emplace(name, f.origin); break;
                case ast::EnvRule::Kind::Drop: policy.env.drop.emplace(name, f.origin); break;
                case ast::EnvRule::Kind::Set: policy.env.set.emplace(name, std::make_pair(f.value, f.origin)); break;
            }
        }
    }
    // Removing a variable is the safe side: `drop` wins over `keep`.
    for (const auto& [name, origin] : policy.env.drop) policy.env.keep.erase(name);
}

// The smallest amount of each kind wins, wherever it is written. `extends` adds the
// parent's statements as a set, so a limit cannot depend on which profile states it: a
// child that could raise its parent's limit would make `extends strict` mean less than
// strict, and the smaller amount is the one that every profile in the chain agreed to.
void lower_limits(const ResolvedProfile& profile, ir::Policy& policy) {
    for (const LimitFact& f : profile.limits) {
        auto [it, inserted] = policy.limits.try_emplace(f.kind, ir::Limit{f.amount, f.origin});
        if (!inserted && f.amount < it->second.amount) it->second = {f.amount, f.origin};
    }
}

}  // namespace

bool stricter(const ir::Action& a, const ir::Action& b) {
    int sa = strictness(a.kind), sb = strictness(b.kind);
    if (sa != sb) return sa > sb;
    return a.kind == ir::Action::Kind::Errno && a.errno_value < b.errno_value;
}

ir::Policy lower(const ResolvedProfile& profile, std::span<const ir::Arch> arches) {
    ir::Policy policy;
    policy.name = profile.name;
    policy.description = profile.description;
    policy.platform = profile.platform;
    policy.bindings = profile.bindings;
    lower_paths(profile, policy);
    lower_network(profile, policy);
    if (profile.platform == ir::Platform::Linux) lower_syscalls(profile, arches, policy);
    // Security rules, not an optimization: what Landlock cannot state of the network
    // statements becomes socket() argument rules (compiler/lower_network_syscalls.hpp).
    add_network_syscall_rules(policy);
    lower_macos(profile, policy);
    lower_env(profile, policy);
    lower_limits(profile, policy);
    return policy;
}

}  // namespace nono
