// Queries over the optimized IR.
#include "compiler/query.hpp"

#include <algorithm>

#include "core/paths.hpp"
#include "plan/precedence.hpp"

namespace nono {

namespace {

std::vector<ir::Right> rights_in(ir::Rights rights) {
    std::vector<ir::Right> out;
    for (std::uint32_t bit = 1; bit <= ir::IoctlDev; bit <<= 1)
        if (rights & bit) out.push_back(static_cast<ir::Right>(bit));
    return out;
}

// Every rule that applies to `path`: those on the path's trie nodes (itself and its
// ancestors) and the globs matching the path or an ancestor, with their depths, by depth.
std::vector<AppliedRule> applicable_rules(const ir::Policy& policy, const std::string& path) {
    std::vector<AppliedRule> rules;
    std::vector<std::string> parts = ir::split_path(path);
    std::string prefix;
    const ir::PathNode* node = &policy.root;
    for (std::size_t depth = 0; depth <= parts.size(); ++depth) {
        if (depth > 0) prefix += "/" + parts[depth - 1];
        std::string here = prefix.empty() ? "/" : prefix;
        if (node) {
            for (const ir::PathRule& rule : node->rules) rules.push_back({here, false, depth, rule});
            if (depth < parts.size()) {
                auto it = node->children.find(parts[depth]);
                node = it == node->children.end() ? nullptr : &it->second;
            }
        }
        for (const ir::GlobRule& g : policy.globs)
            if (glob_match(g.pattern, here)) rules.push_back({g.pattern, true, depth, g.rule});
    }
    return rules;
}

}  // namespace

const std::pair<const std::string, ir::Origin>* protecting(const ir::Policy& policy, std::string_view raw_path) {
    const std::string path = canonical_path(raw_path);
    for (const auto& entry : policy.protect) {
        const std::string& p = entry.first;
        if (path.compare(0, p.size(), p) == 0 && (path.size() == p.size() || p == "/" || path[p.size()] == '/'))
            return &entry;
    }
    return nullptr;
}

PathDecision decide_path(const ir::Policy& policy, std::string_view raw_path, ir::Rights rights) {
    const std::vector<AppliedRule> rules = applicable_rules(policy, canonical_path(raw_path));
    // The rights at the path: the language's precedence applied depth by depth.
    ir::Rights effective = 0;
    for (std::size_t i = 0; i < rules.size();) {
        ir::Rights allowed = 0, denied = 0;
        const std::size_t depth = rules[i].depth;
        for (; i < rules.size() && rules[i].depth == depth; ++i)
            (rules[i].rule.effect == ir::Effect::Allow ? allowed : denied) |= rules[i].rule.rights;
        effective = rights_after(effective, allowed, denied);
    }
    PathDecision decision;
    decision.allowed_rights = effective & rights;
    decision.allowed = rights != 0 && decision.allowed_rights == rights;
    // Per asked right, the rules at the deepest depth that mentions it and that agree with
    // the verdict decided it; the other rules mentioning it were overridden.
    std::vector<bool> deciding(rules.size(), false), mentioning(rules.size(), false);
    for (ir::Right right : rights_in(rights)) {
        long depth = -1;
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (!(rules[i].rule.rights & right)) continue;
            mentioning[i] = true;
            depth = std::max(depth, static_cast<long>(rules[i].depth));
        }
        const ir::Effect verdict = (effective & right) ? ir::Effect::Allow : ir::Effect::Deny;
        for (std::size_t i = 0; i < rules.size(); ++i)
            if ((rules[i].rule.rights & right) && static_cast<long>(rules[i].depth) == depth &&
                rules[i].rule.effect == verdict)
                deciding[i] = true;
    }
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (deciding[i])
            decision.deciding.push_back(rules[i]);
        else if (mentioning[i])
            decision.overridden.push_back(rules[i]);
    }
    return decision;
}

std::optional<std::string> granted_at(const PathDecision& d) {
    if (!d.allowed) return std::nullopt;
    const auto grant = std::find_if(d.deciding.begin(), d.deciding.end(), [](const AppliedRule& r) {
        return !r.glob && r.rule.effect == ir::Effect::Allow;
    });
    if (grant == d.deciding.end()) return std::nullopt;
    return grant->path;
}

bool check_holds(const ir::ArgCheck& check, const std::array<std::uint64_t, 6>& args) {
    std::uint64_t a = args[check.arg];
    switch (check.op) {
        case ir::ArgCheck::Op::Eq: return a == check.value;
        case ir::ArgCheck::Op::Ne: return a != check.value;
        case ir::ArgCheck::Op::Lt: return a < check.value;
        case ir::ArgCheck::Op::Le: return a <= check.value;
        case ir::ArgCheck::Op::Gt: return a > check.value;
        case ir::ArgCheck::Op::Ge: return a >= check.value;
        case ir::ArgCheck::Op::MaskedEq: return (a & check.mask) == check.value;
    }
    return false;
}

const ir::SyscallDecision& find_decision(const ir::SyscallRanges& ranges, std::uint32_t nr) {
    auto it = std::upper_bound(ranges.begin(), ranges.end(), nr,
                               [](std::uint32_t n, const ir::SyscallRange& r) { return n < r.first; });
    return std::prev(it)->decision;
}

SyscallVerdict decide_syscall(const OptimizedPolicy& policy, ir::Arch arch, std::uint32_t nr,
                              const std::array<std::uint64_t, 6>& args) {
    SyscallVerdict verdict;
    const ir::SyscallTable* table = ir::syscall_table(policy.policy(), arch);
    if (!table) {
        // No table for this architecture: the filter kills it.
        verdict.action = {ir::Action::Kind::KillProcess, 0};
        return verdict;
    }
    const ir::SyscallDecision& decision = find_decision(*policy.ranges(arch), nr);
    verdict.action = decision.otherwise;
    verdict.origins = decision.origins;
    for (const ir::CondRule& rule : decision.rules) {
        if (std::all_of(rule.checks.begin(), rule.checks.end(),
                        [&](const ir::ArgCheck& c) { return check_holds(c, args); })) {
            verdict.action = rule.action;
            verdict.rule = &rule;
            verdict.origins = {rule.origin};
            break;
        }
    }
    if (!verdict.rule && verdict.origins.empty()) {
        verdict.origins = {table->default_origin};
        verdict.is_default = true;
    }
    verdict.allowed = verdict.action.lets_through();
    return verdict;
}

namespace {

NetVerdict in_ranges(const ir::Network& net, const std::vector<ir::PortRange>& ranges, std::uint16_t port) {
    if (net.all) return {true, net.all};
    for (const ir::PortRange& r : ranges)
        if (r.first <= port && port <= r.last) return {true, r.origin};
    return {};
}

NetVerdict flag(const ir::Network& net, const std::optional<ir::Origin>& origin) {
    if (net.all) return {true, net.all};
    if (origin) return {true, origin};
    return {};
}

}  // namespace

NetVerdict decide_connect_tcp(const ir::Policy& policy, std::uint16_t port) {
    return in_ranges(policy.network, policy.network.tcp_connect, port);
}
NetVerdict decide_bind_tcp(const ir::Policy& policy, std::uint16_t port) {
    return in_ranges(policy.network, policy.network.tcp_bind, port);
}
NetVerdict decide_connect_host(const ir::Policy& policy, std::string_view host, std::uint16_t port) {
    const ir::Network& net = policy.network;
    for (const ir::HostRule& r : net.tcp_connect_hosts)
        if (r.rule.allows(host, port)) return {true, r.origin};
    const std::optional<net::Address> address = net::literal_address(host);
    if (net.loopback && address && net::is_loopback(*address)) return {true, net.loopback};
    return decide_connect_tcp(policy, port);
}
NetVerdict decide_udp(const ir::Policy& policy) { return flag(policy.network, policy.network.udp); }
NetVerdict decide_unix(const ir::Policy& policy) { return flag(policy.network, policy.network.unix_sockets); }

}  // namespace nono
