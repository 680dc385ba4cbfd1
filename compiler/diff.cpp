// Comparing two optimized policies by their decisions, not their text.
//
// Paths: a decision can only change at a path some rule names, so it is enough to ask
// both policies about every trie node of either, and every glob pattern of either (a
// pattern, read as a path, is matched by itself); a difference is reported where it
// starts, not again on each path below with the same difference. Network: every port
// and flag. Syscalls: every number of every architecture, compared by behaviour.
#include "compiler/diff.hpp"

#include <map>
#include <set>

#include "compiler/dump_ir.hpp"
#include "compiler/explain.hpp"
#include "compiler/query.hpp"

namespace nono {

namespace {

void node_paths(const ir::PathNode& node, const std::string& path, std::set<std::string>& out) {
    out.insert(path.empty() ? "/" : path);
    for (const auto& [name, child] : node.children) node_paths(child, path + "/" + name, out);
}

std::string parent_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

// The statements that grant `rights` on `path` in `policy`.
std::string where(const ir::Policy& policy, const std::string& path, ir::Rights rights) {
    std::string out;
    for (const AppliedRule& r : decide_path(policy, path, rights).deciding)
        out += (out.empty() ? "" : ", ") + origin_place(r.rule.origin);
    return out.empty() ? "" : "  (" + out + ")";
}

void diff_paths(const ir::Policy& a, const ir::Policy& b, std::vector<std::string>& out) {
    std::set<std::string> paths;
    node_paths(a.root, "", paths);
    node_paths(b.root, "", paths);
    for (const ir::GlobRule& g : a.globs) paths.insert(g.pattern);
    for (const ir::GlobRule& g : b.globs) paths.insert(g.pattern);
    std::map<std::string, std::pair<ir::Rights, ir::Rights>> differences;  // path -> (gained, lost)
    for (const std::string& path : paths) {
        PathDecision da = decide_path(a, path, ir::kAllRights);
        PathDecision db = decide_path(b, path, ir::kAllRights);
        ir::Rights gained = db.allowed_rights & ~da.allowed_rights;
        ir::Rights lost = da.allowed_rights & ~db.allowed_rights;
        if (!gained && !lost) continue;
        // Reported already where it starts: the nearest ancestor asked about differs alike.
        std::string up = path;
        bool inherited = false;
        while (up != "/") {
            up = parent_of(up);
            if (!paths.count(up)) continue;
            auto it = differences.find(up);
            inherited = it != differences.end() && it->second == std::make_pair(gained, lost);
            break;
        }
        differences[path] = {gained, lost};
        if (inherited) continue;
        if (gained) out.push_back("+ " + ir::rights_to_string(gained) + " " + path + where(b, path, gained));
        if (lost) out.push_back("- " + ir::rights_to_string(lost) + " " + path + where(a, path, lost));
    }
}

void diff_ports(const ir::Policy& a, const ir::Policy& b, const char* what,
                NetVerdict (*decide)(const ir::Policy&, std::uint16_t), std::vector<std::string>& out) {
    // Runs of ports with the same difference, as ranges.
    for (int sign : {+1, -1}) {
        const ir::Policy& more = sign > 0 ? b : a;
        const ir::Policy& less = sign > 0 ? a : b;
        std::uint32_t start = 0;
        for (std::uint32_t p = 1; p <= 65536; ++p) {
            bool differs = p <= 65535 && decide(more, static_cast<std::uint16_t>(p)).allowed &&
                           !decide(less, static_cast<std::uint16_t>(p)).allowed;
            if (differs && !start) start = p;
            if (!differs && start) {
                std::string range = start == p - 1 ? std::to_string(start) : std::to_string(start) + "-" + std::to_string(p - 1);
                out.push_back(std::string(sign > 0 ? "+ " : "- ") + what + " " + range);
                start = 0;
            }
        }
    }
}

void diff_flag(bool in_a, bool in_b, const std::string& what, std::vector<std::string>& out) {
    if (in_b && !in_a) out.push_back("+ " + what);
    if (in_a && !in_b) out.push_back("- " + what);
}

std::string treatment(const ir::SyscallTable& t, std::uint32_t nr) {
    const auto it = t.decisions.find(nr);
    if (it == t.decisions.end()) return ir::action_to_string(t.default_action);
    const ir::SyscallDecision& d = it->second;
    std::string out;
    for (const ir::CondRule& r : d.rules) {
        out += ir::action_to_string(r.action) + " if";
        for (std::size_t i = 0; i < r.checks.size(); ++i) out += (i ? " && " : " ") + check_to_string(r.checks[i]);
        out += "; ";
    }
    return out + (d.rules.empty() ? "" : "otherwise ") + ir::action_to_string(d.otherwise);
}

void diff_syscalls(const ir::Policy& a, const ir::Policy& b, std::vector<std::string>& out) {
    if (a.syscalls.size() != b.syscalls.size()) return;  // different platforms: compared by paths only
    // name -> (treatment in A, treatment in B) -> architectures
    std::map<std::string, std::map<std::pair<std::string, std::string>, std::string>> changes;
    for (std::size_t t = 0; t < a.syscalls.size(); ++t) {
        const ir::SyscallTable& ta = a.syscalls[t];
        const ir::SyscallTable& tb = b.syscalls[t];
        for (const auto& [nr, name] : ta.names) {
            std::string in_a = treatment(ta, nr), in_b = treatment(tb, nr);
            if (in_a == in_b) continue;
            std::string& arches = changes[std::string(name)][{in_a, in_b}];
            arches += (arches.empty() ? "" : ", ") + std::string(ir::arch_name(ta.arch));
        }
    }
    for (const auto& [name, by_change] : changes)
        for (const auto& [change, arches] : by_change)
            out.push_back("~ syscall " + name + ": " + change.first + " -> " + change.second + "  [" + arches + "]");
}

// A larger limit, or none, lets B use more than A: `+`; the reverse: `-`.
void diff_limits(const ir::Policy& a, const ir::Policy& b, std::vector<std::string>& out) {
    auto amount = [](const ir::Policy& p, limits::Kind kind) -> std::optional<std::uint64_t> {
        auto it = p.limits.find(kind);
        if (it == p.limits.end()) return std::nullopt;
        return it->second.amount;
    };
    auto text = [](limits::Kind kind, std::optional<std::uint64_t> v) {
        return v ? limits::format_amount(kind, *v) : std::string("no limit");
    };
    for (const limits::KindInfo& k : limits::kKinds) {
        const auto in_a = amount(a, k.kind), in_b = amount(b, k.kind);
        if (in_a == in_b) continue;
        const bool b_allows_more = !in_b || (in_a && *in_b > *in_a);
        out.push_back(std::string(b_allows_more ? "+ " : "- ") + "limit " + std::string(k.name) + ": " +
                      text(k.kind, in_a) + " -> " + text(k.kind, in_b));
    }
}

}  // namespace

std::vector<std::string> policy_diff(const ir::Policy& a, const ir::Policy& b) {
    std::vector<std::string> out;
    diff_paths(a, b, out);
    diff_ports(a, b, "connect tcp", decide_connect_tcp, out);
    diff_ports(a, b, "bind tcp", decide_bind_tcp, out);
    diff_flag(decide_udp(a).allowed, decide_udp(b).allowed, "udp", out);
    diff_flag(decide_unix(a).allowed, decide_unix(b).allowed, "unix sockets", out);
    diff_flag(a.network.all.has_value(), b.network.all.has_value(), "network: every family", out);
    diff_flag(a.network.signal_outside.has_value(), b.network.signal_outside.has_value(), "signals outside", out);
    diff_flag(a.network.abstract_socket_outside.has_value(), b.network.abstract_socket_outside.has_value(),
              "abstract unix sockets outside", out);
    diff_flag(a.network.loopback.has_value(), b.network.loopback.has_value(), "loopback", out);
    std::set<std::string> peers_a, peers_b;
    for (const ir::HostRule& h : a.network.tcp_connect_hosts) peers_a.insert("connect tcp " + net::to_string(h.rule));
    for (const ir::HostRule& h : b.network.tcp_connect_hosts) peers_b.insert("connect tcp " + net::to_string(h.rule));
    for (const auto& [path, origin] : a.network.unix_connect) peers_a.insert("unix connect " + path);
    for (const auto& [path, origin] : b.network.unix_connect) peers_b.insert("unix connect " + path);
    for (const std::string& p : peers_b)
        if (!peers_a.count(p)) out.push_back("+ " + p);
    for (const std::string& p : peers_a)
        if (!peers_b.count(p)) out.push_back("- " + p);
    // A protected path is written less freely: the side without the statement allows more.
    for (const auto& [path, origin] : a.protect)
        if (!b.protect.count(path)) out.push_back("+ unprotected " + path);
    for (const auto& [path, origin] : b.protect)
        if (!a.protect.count(path)) out.push_back("- unprotected " + path);
    diff_syscalls(a, b, out);
    std::set<std::string> services_a, services_b;
    for (const auto& [s, o] : a.macos.mach_lookup) services_a.insert(s);
    for (const auto& [s, o] : b.macos.mach_lookup) services_b.insert(s);
    for (const std::string& s : services_b)
        if (!services_a.count(s)) out.push_back("+ mach-lookup " + s);
    for (const std::string& s : services_a)
        if (!services_b.count(s)) out.push_back("- mach-lookup " + s);
    diff_flag(a.macos.sysctl_read.has_value(), b.macos.sysctl_read.has_value(), "sysctl-read", out);
    diff_limits(a, b, out);
    return out;
}

}  // namespace nono
