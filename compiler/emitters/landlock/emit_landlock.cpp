// Emitter: Landlock. The IR's per-path statements become the plan's path entries (the
// runtime lays them out into rules and expansions, after expanding the globs), network
// statements become TCP port rules and scopes, env statements the environment plan.
#include "compiler/emitters/landlock/emit_landlock.hpp"

#include <algorithm>
#include <map>

#include "compiler/json.hpp"
#include "plan/glob_match.hpp"

namespace nono {

using landlock::Access;

namespace {

// ir::Right uses Landlock's bit positions, so a set converts as is.
static_assert(ir::Execute == landlock::kAccessFsExecute && ir::Refer == landlock::kAccessFsRefer &&
              ir::Truncate == landlock::kAccessFsTruncate && ir::IoctlDev == landlock::kAccessFsIoctlDev &&
              ir::kAllRights == landlock::kAllFsRights);

// Collects the trie's entries, and the directories to make: those an allow with a right
// of `write` states with a trailing `/`.
void collect_paths(const ir::PathNode& node, const std::string& path, landlock::Plan& plan) {
    if (!node.rules.empty()) {
        landlock::PathEntry entry{path, 0, 0, 0};
        bool make = false;
        for (const ir::PathRule& rule : node.rules) {
            (rule.effect == ir::Effect::Allow ? entry.allow : entry.deny) |= rule.rights;
            make = make || (rule.effect == ir::Effect::Allow && rule.directory && (rule.rights & ir::kWrite));
        }
        plan.paths.push_back(entry);
        if (make) plan.make_directories.push_back(path);
    }
    for (const auto& [name, child] : node.children) collect_paths(child, landlock::child_path(path, name), plan);
}

void collect_deny_origins(const ir::PathNode& node, std::vector<ir::Origin>& out) {
    for (const ir::PathRule& rule : node.rules)
        if (rule.effect == ir::Effect::Deny) out.push_back(rule.origin);
    for (const auto& [name, child] : node.children) collect_deny_origins(child, out);
}

std::vector<landlock::PortRange> ports(const std::vector<ir::PortRange>& ranges) {
    std::vector<landlock::PortRange> out;
    for (const ir::PortRange& r : ranges) out.push_back({r.first, r.last});
    return out;
}

// ---------------------------------------------------------------------------- JSON

template <class T, class F>
std::string json_array(const std::vector<T>& items, F item) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + item(items[i]);
    return out + "]";
}

// A top-level array with one item per line, so that diffs of artifacts read line by line.
template <class T, class F>
std::string json_lines(const std::vector<T>& items, F item) {
    if (items.empty()) return "[]";
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n    " : "\n    ") + item(items[i]);
    return out + "\n  ]";
}

std::string json_rights(Access access) {
    std::vector<std::string> names;
    for (int bit = 0; bit < 16; ++bit)
        if (access & (Access{1} << bit)) names.push_back(landlock::fs_access_to_string(Access{1} << bit));
    return json_array(names, json_string);
}

// A layout path the plan does not state is opened from its anchor without following symlinks.
std::string json_beneath(const std::string& path, const std::string& anchor) {
    return anchor == path ? "" : ", \"beneath\": " + json_string(anchor);
}

std::string json_ports(const std::vector<landlock::PortRange>& ranges) {
    return json_array(ranges, [](const landlock::PortRange& r) {
        return "[" + std::to_string(r.first) + ", " + std::to_string(r.last) + "]";
    });
}

}  // namespace

landlock::Plan landlock_plan(const ir::Policy& policy) {
    landlock::Plan plan;
    plan.name = policy.name;
    collect_paths(policy.root, "/", plan);
    std::map<std::string, landlock::GlobEntry> globs;
    for (const ir::GlobRule& g : policy.globs) {
        landlock::GlobEntry& entry = globs[g.pattern];
        entry.pattern = g.pattern;
        (g.rule.effect == ir::Effect::Allow ? entry.allow : entry.deny) |= g.rule.rights;
    }
    for (auto& [pattern, entry] : globs) plan.globs.push_back(entry);
    for (const auto& [path, origin] : policy.protect) plan.protect.push_back(path);

    const ir::Network& net = policy.network;
    plan.handle_tcp = !net.all.has_value();
    if (plan.handle_tcp) {
        plan.tcp_connect = ports(net.tcp_connect);
        plan.tcp_bind = ports(net.tcp_bind);
    }
    for (const ir::HostRule& h : net.tcp_connect_hosts) plan.peers.hosts.push_back(h.rule);
    plan.peers.hosts.erase(std::unique(plan.peers.hosts.begin(), plan.peers.hosts.end()), plan.peers.hosts.end());
    plan.peers.loopback = net.loopback.has_value();
    for (const auto& [path, origin] : net.unix_connect) plan.peers.unix_connect.push_back(path);
    plan.scoped = (net.abstract_socket_outside ? 0 : landlock::kScopeAbstractUnixSocket) |
                  (net.signal_outside ? 0 : landlock::kScopeSignal);

    for (const auto& [name, origin] : policy.env.keep) plan.env.keep.push_back(name);
    for (const auto& [name, origin] : policy.env.drop) plan.env.drop.push_back(name);
    for (const auto& [name, value] : policy.env.set) plan.env.set.emplace_back(name, value.first);
    for (const auto& [kind, limit] : policy.limits) plan.limits[kind] = limit.amount;
    return plan;
}

std::string landlock_json(const landlock::Plan& plan) {
    const landlock::Layout layout = landlock::lay_out(plan.paths);
    int full_abi = 1;
    for (const landlock::AbiNeed& need : landlock::abi_needs(plan)) full_abi = std::max(full_abi, need.abi);

    std::string j = "{\n";
    j += "  \"format\": \"nono-landlock\",\n  \"version\": 1,\n";
    j += "  \"profile\": " + json_string(plan.name) + ",\n";
    j += "  \"abi\": {\"minimum\": 1, \"full\": " + std::to_string(full_abi) + ", \"needs\": " +
         json_array(landlock::abi_needs(plan), [](const landlock::AbiNeed& n) {
             return "{\"what\": " + json_string(n.what) + ", \"abi\": " + std::to_string(n.abi) + "}";
         }) + "},\n";
    std::vector<std::string> net, scoped;
    if (plan.handle_tcp) net = {"bind-tcp", "connect-tcp"};
    if (plan.scoped & landlock::kScopeAbstractUnixSocket) scoped.push_back("abstract-unix-socket");
    if (plan.scoped & landlock::kScopeSignal) scoped.push_back("signal");
    j += "  \"handled\": {\"fs\": " + json_rights(plan.handled_fs) + ", \"net\": " + json_array(net, json_string) +
         ", \"scoped\": " + json_array(scoped, json_string) + "},\n";
    j += "  \"paths\": " + json_lines(plan.paths, [](const landlock::PathEntry& p) {
             return "{\"path\": " + json_string(p.path) + ", \"allow\": " + json_rights(p.allow) +
                    ", \"deny\": " + json_rights(p.deny) + "}";
         }) + ",\n";
    j += "  \"globs\": " + json_lines(plan.globs, [](const landlock::GlobEntry& g) {
             return "{\"pattern\": " + json_string(g.pattern) + ", \"allow\": " + json_rights(g.allow) +
                    ", \"deny\": " + json_rights(g.deny) + "}";
         }) + ",\n";
    j += "  \"rules\": " + json_lines(layout.rules, [](const landlock::PathRule& r) {
             return "{\"path\": " + json_string(r.path) + ", \"access\": " + json_rights(r.access) + json_beneath(r.path, r.anchor) + "}";
         }) + ",\n";
    j += "  \"expansions\": " + json_lines(layout.expansions, [](const landlock::Expansion& e) {
             return "{\"directory\": " + json_string(e.directory) + ", \"access\": " + json_rights(e.access) +
                    ", \"except\": " + json_array(e.except, json_string) + json_beneath(e.directory, e.anchor) + "}";
         }) + ",\n";
    j += "  \"tcp\": {\"connect\": " + json_ports(plan.tcp_connect) + ", \"bind\": " + json_ports(plan.tcp_bind) + "},\n";
    j += "  \"environment\": {\"keep\": " + json_array(plan.env.keep, json_string) +
         ", \"drop\": " + json_array(plan.env.drop, json_string) + ", \"set\": " +
         json_array(plan.env.set, [](const std::pair<std::string, std::string>& kv) {
             return "{\"name\": " + json_string(kv.first) + ", \"value\": " + json_string(kv.second) + "}";
         }) + "}";
    // Only a profile with directories to make, protected paths or limits has the key, so that the plans of
    // all others stay as they were.
    if (!plan.make_directories.empty()) j += ",\n  \"make_directories\": " + json_array(plan.make_directories, json_string);
    if (!plan.protect.empty()) j += ",\n  \"protect\": " + json_array(plan.protect, json_string);
    if (!plan.limits.empty()) {
        std::vector<std::string> amounts;
        for (const limits::KindInfo& k : limits::kKinds)
            if (plan.limits[k.kind]) amounts.push_back(json_string(k.name) + ": " + std::to_string(*plan.limits[k.kind]));
        j += ",\n  \"limits\": {";
        for (std::size_t i = 0; i < amounts.size(); ++i) j += (i ? ", " : "") + amounts[i];
        j += "}";
    }
    return j + "\n}\n";
}

Fidelity landlock_fidelity(const ir::Policy& policy, const landlock::Plan& plan, int abi) {
    using Level = FidelityItem::Level;
    Fidelity f;
    f.target = "landlock";
    if (abi <= 0) {
        f.items.push_back({Level::Weaker, "Landlock is not available on this kernel: nothing would be enforced (nono refuses to run)", {}});
        return f;
    }
    for (const landlock::AbiNeed& need : landlock::abi_needs(plan)) {
        std::vector<ir::Origin> origins;
        if (need.abi == 4) {
            for (const ir::PortRange& r : policy.network.tcp_connect) origins.push_back(r.origin);
            for (const ir::PortRange& r : policy.network.tcp_bind) origins.push_back(r.origin);
        }
        if (abi >= need.abi)
            f.items.push_back({Level::Exact, need.what + " (Landlock ABI " + std::to_string(need.abi) + ")", origins});
        else if (need.stricter_without)
            f.items.push_back({Level::Stricter, need.what + ": refused everywhere on Landlock ABI " + std::to_string(abi), origins});
        else
            f.items.push_back({Level::Weaker, need.what + ": not enforced on Landlock ABI " + std::to_string(abi) +
                                                  " (needs ABI " + std::to_string(need.abi) + ")", origins});
    }
    for (const landlock::Expansion& e : landlock::lay_out(plan.paths).expansions) {
        std::vector<ir::Origin> origins;
        if (const ir::PathNode* node = ir::find_node(policy.root, e.directory)) collect_deny_origins(*node, origins);
        f.items.push_back({Level::Stricter,
                           e.directory + ": holds a path with fewer rights, so it keeps no " + landlock::fs_access_to_string(e.access) +
                               " for itself, and its entries created after the sandbox starts get none",
                           origins});
    }
    for (const ir::GlobRule& g : policy.globs) {
        if (g.rule.effect == ir::Effect::Allow)
            f.items.push_back({Level::Stricter, g.pattern + ": expanded when the sandbox starts; later matches are not allowed", {g.rule.origin}});
        else if (landlock::wildcard_in_directory(g.pattern))
            f.items.push_back({Level::Weaker,
                               g.pattern + ": expanded when the sandbox starts; a match created later, in a directory that "
                                           "held none, is not denied",
                               {g.rule.origin}});
        else
            f.items.push_back({Level::Stricter,
                               g.pattern + ": expanded when the sandbox starts; its directory's entries created later get nothing",
                               {g.rule.origin}});
    }
    // Not Landlock's, but in the plan that nono applies: the supervisor's part.
    for (const ir::HostRule& h : policy.network.tcp_connect_hosts)
        f.items.push_back({Level::Exact,
                           "connect tcp " + net::to_string(h.rule) +
                               (h.rule.host.kind == net::HostPattern::Kind::Network
                                    ? ": decided per connect by nono's supervisor"
                                    : ": through nono's proxy, which resolves the name itself"),
                           {h.origin}});
    if (policy.network.loopback)
        f.items.push_back({Level::Exact, "loopback: bind, listen and connect decided per call by nono's supervisor",
                           {*policy.network.loopback}});
    for (const auto& [path, origin] : policy.network.unix_connect)
        f.items.push_back({Level::Exact, "unix connect " + path + ": decided per connect by nono's supervisor", {origin}});
    // As the statement says, not Landlock's: a bind where one is possible, else the check,
    // which leaves the file writable while the run lasts (--dry-run says where).
    for (const auto& [path, origin] : policy.protect)
        f.items.push_back({Level::Exact,
                           "protect " + path + ": bound read-only by nono where it exists in a write grant and a user "
                           "namespace exists; else weaker than a bind: writable while the run lasts, and what the run "
                           "made or changed there moved aside by nono's supervisor when it ends",
                           {origin}});
    return f;
}

TargetOutput emit_landlock(const OptimizedPolicy& optimized, const TargetOptions& options) {
    const ir::Policy& policy = optimized.policy();
    const landlock::Plan plan = landlock_plan(policy);
    TargetOutput out;
    out.artifacts.push_back({options.base_name + ".landlock.json", landlock_json(plan)});
    out.fidelity = landlock_fidelity(policy, plan, options.landlock_abi);
    return out;
}

}  // namespace nono
