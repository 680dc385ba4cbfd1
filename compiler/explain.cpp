// Presentation of the optimized IR: what may be read, written and executed, the
// carve-outs, globs, network, syscalls grouped by what happens to them, environment, limits.
#include "compiler/explain.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "compiler/beyond_landlock.hpp"
#include "compiler/dump_ir.hpp"
#include "compiler/json.hpp"

namespace nono {

std::string origin_place(const ir::Origin& origin) {
    if (origin.loc.file.empty()) return "built-in";
    if (origin.loc.line == 0) return origin.loc.file;
    return origin.loc.file.str() + ":" + std::to_string(origin.loc.line);
}

std::string origin_places(const std::vector<ir::Origin>& origins) {
    std::vector<std::string> out;
    for (const ir::Origin& o : origins) out.push_back(origin_place(o));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    std::string joined;
    for (const std::string& p : out) joined += (joined.empty() ? "" : ", ") + p;
    return joined;
}

namespace {

// Two columns: what, and where it was written.
struct Lines {
    std::vector<std::pair<std::string, std::string>> rows;
    void add(std::string what, std::string where) { rows.emplace_back(std::move(what), std::move(where)); }
    void print(std::ostream& out, const std::string& title, const std::string& when_empty = "") const {
        if (rows.empty() && when_empty.empty()) return;
        out << title << ":\n";
        if (rows.empty()) out << "  " << when_empty << '\n';
        std::size_t width = 0;
        for (const auto& [what, where] : rows) width = std::max(width, what.size());
        width = std::min<std::size_t>(width, 48);
        for (const auto& [what, where] : rows) {
            out << "  " << what;
            if (!where.empty()) out << std::string(what.size() < width ? width - what.size() : 0, ' ') << "  " << where;
            out << '\n';
        }
    }
};

struct PathSections {
    Lines read, write, exec, other, carve_outs;
};

// The rules on a node that mention any of `rights`.
std::vector<ir::Origin> origins_for(const ir::PathNode& node, ir::Rights rights) {
    std::vector<ir::Origin> out;
    for (const ir::PathRule& r : node.rules)
        if (r.rights & rights) out.push_back(r.origin);
    return out;
}

void walk(const ir::PathNode& node, ir::Rights parent, const std::string& path, PathSections& s) {
    std::string here = path.empty() ? "/" : path;
    const ir::Rights effective = ir::effective_rights(node, parent);
    ir::Rights gained = effective & ~parent;
    ir::Rights lost = parent & ~effective;
    ir::Rights rest = gained;
    // A group counts as granted here when the node completes it.
    auto section = [&](Lines& lines, ir::Rights group, const std::string& label) {
        if ((effective & group) == group && (parent & group) != group && (gained & group)) {
            lines.add(label, origin_places(origins_for(node, group)));
            rest &= ~group;
        }
    };
    // A directory the runtime makes when missing says so where its write grant is listed.
    const bool made = std::any_of(node.rules.begin(), node.rules.end(), [](const ir::PathRule& r) {
        return r.effect == ir::Effect::Allow && r.directory && (r.rights & ir::kWrite);
    });
    section(s.read, ir::kRead, here);
    section(s.write, ir::kWrite, made ? here + "/ (made when missing)" : here);
    section(s.exec, ir::kExec, here);
    if (rest) s.other.add(here + ": " + ir::rights_to_string(rest), origin_places(origins_for(node, rest)));
    if (lost) s.carve_outs.add(here + ": no " + ir::rights_to_string(lost), origin_places(origins_for(node, lost)));
    for (const auto& [name, child] : node.children) walk(child, effective, path + "/" + name, s);
}

std::string ports(const std::vector<ir::PortRange>& ranges, std::size_t i) {
    const ir::PortRange& r = ranges[i];
    return r.first == r.last ? std::to_string(r.first) : std::to_string(r.first) + "-" + std::to_string(r.last);
}

std::string decision_text(const ir::SyscallDecision& d) {
    std::string out;
    for (const ir::CondRule& rule : d.rules) {
        out += ir::action_to_string(rule.action) + " if ";
        for (std::size_t i = 0; i < rule.checks.size(); ++i) out += (i ? " && " : "") + check_to_string(rule.checks[i]);
        out += " (" + origin_place(rule.origin) + "); ";
    }
    if (!d.rules.empty()) out += "otherwise ";
    return out + ir::action_to_string(d.otherwise);
}

void explain_syscalls(std::ostream& out, const ir::Policy& policy) {
    if (policy.syscalls.empty()) return;
    const ir::SyscallTable& first = policy.syscalls.front();
    out << "syscalls: default " << ir::action_to_string(first.default_action) << "  "
        << origin_place(first.default_origin) << '\n';
    out << "syscalls unknown to nono (newer than its Linux 6.18 tables): " << ir::action_to_string(first.unknown_action)
        << "  " << origin_place(first.unknown_origin) << '\n';
    // One line per distinct treatment, with the names it applies to on any architecture.
    std::map<std::pair<std::string, std::string>, std::set<std::string>> by_treatment;
    std::map<std::string, std::set<std::string>> missing;  // arch -> names used but absent there
    std::set<std::string> used;
    for (const ir::SyscallTable& t : policy.syscalls)
        for (const auto& [nr, d] : t.decisions) {
            const std::string name = t.name_of(nr);
            used.insert(name);
            by_treatment[{decision_text(d), origin_places(d.origins)}].insert(name);
        }
    for (const auto& [treatment, names] : by_treatment) {
        out << "  " << treatment.first << ':';
        for (const std::string& n : names) out << ' ' << n;
        if (!treatment.second.empty()) out << "  " << treatment.second;
        out << '\n';
    }
    for (const ir::SyscallTable& t : policy.syscalls) {
        std::set<std::string> present;
        for (const ir::SyscallName& s : t.names) present.emplace(s.name);
        std::string absent;
        for (const std::string& n : used)
            if (!present.count(n)) absent += (absent.empty() ? "" : " ") + n;
        if (!absent.empty()) out << "  not on " << ir::arch_name(t.arch) << ": " << absent << '\n';
    }
}

// ---------------------------------------------------------------------------- JSON

std::string json_origin(const ir::Origin& o) {
    return "{\"file\": " + json_string(o.loc.file.str()) + ", \"line\": " + std::to_string(o.loc.line) +
           ", \"statement\": " + json_string(o.statement) + "}";
}

std::string json_rights(ir::Rights rights) {
    std::string out = "[";
    bool first = true;
    for (std::uint32_t bit = 1; bit <= ir::IoctlDev; bit <<= 1)
        if (rights & bit) {
            out += (first ? "" : ", ") + json_string(ir::right_name(static_cast<ir::Right>(bit)));
            first = false;
        }
    return out + "]";
}

std::string json_rule(const ir::PathRule& r) {
    return std::string("{\"effect\": ") + (r.effect == ir::Effect::Allow ? "\"allow\"" : "\"deny\"") +
           ", \"rights\": " + json_rights(r.rights) + ", \"origin\": " + json_origin(r.origin) +
           (r.directory ? ", \"directory\": true}" : "}");
}

void json_nodes(std::ostream& out, const ir::PathNode& node, ir::Rights parent, const std::string& path, bool& first) {
    std::string here = path.empty() ? "/" : path;
    const ir::Rights effective = ir::effective_rights(node, parent);
    const bool carve_out = ir::is_carve_out(parent, effective);
    if (!node.rules.empty() || carve_out) {
        out << (first ? "\n    " : ",\n    ") << "{\"path\": " << json_string(here) << ", \"effective\": "
            << json_rights(effective) << ", \"carve_out\": " << (carve_out ? "true" : "false")
            << ", \"rules\": [";
        for (std::size_t i = 0; i < node.rules.size(); ++i) out << (i ? ", " : "") << json_rule(node.rules[i]);
        out << "]}";
        first = false;
    }
    for (const auto& [name, child] : node.children) json_nodes(out, child, effective, path + "/" + name, first);
}

std::string json_optional(const std::optional<ir::Origin>& o) { return o ? json_origin(*o) : "null"; }

std::string json_ports(const std::vector<ir::PortRange>& ranges) {
    std::string out = "[";
    for (std::size_t i = 0; i < ranges.size(); ++i)
        out += (i ? ", " : "") + std::string("{\"first\": ") + std::to_string(ranges[i].first) +
               ", \"last\": " + std::to_string(ranges[i].last) + ", \"origin\": " + json_origin(ranges[i].origin) + "}";
    return out + "]";
}

std::string json_action(const ir::Action& a) { return json_string(ir::action_to_string(a)); }

}  // namespace

std::string explain_text(const OptimizedPolicy& optimized) {
    const ir::Policy& policy = optimized.policy();
    std::ostringstream out;
    out << "profile " << policy.name << " (" << (policy.platform == ir::Platform::Linux ? "linux" : "macos") << ")\n";
    if (!policy.description.empty()) out << "  " << policy.description << '\n';
    if (!policy.bindings.empty()) {
        out << "variables:";
        for (const auto& [name, value] : policy.bindings) out << ' ' << name << '=' << value;
        out << '\n';
    }
    PathSections s;
    walk(policy.root, 0, "", s);
    s.read.print(out, "read", "nothing");
    s.write.print(out, "write", "nothing");
    s.exec.print(out, "exec", "nothing");
    s.other.print(out, "other rights");
    s.carve_outs.print(out, "carve-outs (less than the directory around them)");
    Lines globs;
    for (const ir::GlobRule& g : policy.globs)
        globs.add(std::string(g.rule.effect == ir::Effect::Allow ? "allow " : "deny ") +
                      ir::rights_to_string(g.rule.rights) + " " + g.pattern,
                  origin_place(g.rule.origin));
    globs.print(out, "globs (as specific as the path they match)");
    Lines protect;
    for (const auto& [path, origin] : policy.protect) protect.add(path, origin_place(origin));
    protect.print(out, policy.platform == ir::Platform::Macos
                           ? "protected (code runs from them later: writing, creating and removing them refused)"
                           : "protected (code runs from them later: read-only where they exist in a write grant and "
                             "namespaces exist; else checked when the run ends, and moved aside if the run made or "
                             "changed them)");

    const ir::Network& net = policy.network;
    Lines network;
    if (net.all) network.add("everything", origin_place(*net.all));
    for (std::size_t i = 0; i < net.tcp_connect.size(); ++i)
        network.add("connect tcp " + ports(net.tcp_connect, i), origin_place(net.tcp_connect[i].origin));
    for (std::size_t i = 0; i < net.tcp_bind.size(); ++i)
        network.add("bind tcp " + ports(net.tcp_bind, i), origin_place(net.tcp_bind[i].origin));
    if (net.udp) network.add("udp", origin_place(*net.udp));
    if (net.unix_sockets) network.add("unix sockets", origin_place(*net.unix_sockets));
    if (net.signal_outside) network.add("signals outside the sandbox", origin_place(*net.signal_outside));
    if (net.abstract_socket_outside)
        network.add("abstract unix sockets outside the sandbox", origin_place(*net.abstract_socket_outside));
    for (const ir::HostRule& h : net.tcp_connect_hosts)
        network.add("connect tcp " + net::to_string(h.rule) +
                        (h.rule.host.kind == net::HostPattern::Kind::Network ? " (checked per connect)" : " (through the proxy)"),
                    origin_place(h.origin));
    if (net.loopback) network.add("loopback: bind, listen, connect on 127.0.0.0/8 and ::1", origin_place(*net.loopback));
    for (const auto& [path, origin] : net.unix_connect) network.add("unix connect " + path, origin_place(origin));
    network.print(out, "network", "none (socketpair only)");

    explain_syscalls(out, policy);
    if (!policy.syscalls.empty()) out << beyond_landlock_text(optimized, policy.syscalls.front().arch);

    Lines macos;
    for (const auto& [service, origin] : policy.macos.mach_lookup) macos.add("mach-lookup " + service, origin_place(origin));
    if (policy.macos.sysctl_read) macos.add("sysctl-read", origin_place(*policy.macos.sysctl_read));
    macos.print(out, "macos");

    Lines env;
    for (const auto& [name, origin] : policy.env.keep) env.add("keep " + name, origin_place(origin));
    for (const auto& [name, origin] : policy.env.drop) env.add("drop " + name, origin_place(origin));
    for (const auto& [name, value] : policy.env.set) env.add("set " + name + "=" + value.first, origin_place(value.second));
    env.print(out, "environment");

    Lines limit_lines;
    for (const auto& [kind, limit] : policy.limits)
        limit_lines.add(std::string(limits::info(kind).name) + " " + limits::format_amount(kind, limit.amount),
                   origin_place(limit.origin));
    if (!policy.limits.empty()) limit_lines.add("core dumps: off", "built-in");
    limit_lines.print(out, "limits");
    return out.str();
}

std::string explain_json(const OptimizedPolicy& optimized) {
    const ir::Policy& policy = optimized.policy();
    std::ostringstream out;
    out << "{\n  \"name\": " << json_string(policy.name) << ",\n  \"description\": " << json_string(policy.description)
        << ",\n  \"platform\": " << (policy.platform == ir::Platform::Linux ? "\"linux\"" : "\"macos\"")
        << ",\n  \"variables\": {";
    bool first = true;
    for (const auto& [name, value] : policy.bindings) {
        out << (first ? "" : ", ") << json_string(name) << ": " << json_string(value);
        first = false;
    }
    out << "},\n  \"paths\": [";
    first = true;
    json_nodes(out, policy.root, 0, "", first);
    out << "\n  ],\n  \"globs\": [";
    for (std::size_t i = 0; i < policy.globs.size(); ++i)
        out << (i ? ",\n    " : "\n    ") << "{\"pattern\": " << json_string(policy.globs[i].pattern)
            << ", \"rule\": " << json_rule(policy.globs[i].rule) << "}";
    if (!policy.protect.empty()) {  // absent otherwise, so that outputs from before the statement stay as they were
        out << "\n  ],\n  \"protect\": [";
        bool first_protected = true;
        for (const auto& [path, origin] : policy.protect)
            out << (std::exchange(first_protected, false) ? "\n    " : ",\n    ") << "{\"path\": " << json_string(path)
                << ", \"origin\": " << json_origin(origin) << "}";
    }
    const ir::Network& net = policy.network;
    out << "\n  ],\n  \"network\": {\"all\": " << json_optional(net.all) << ", \"tcp_connect\": "
        << json_ports(net.tcp_connect) << ", \"tcp_bind\": " << json_ports(net.tcp_bind)
        << ", \"udp\": " << json_optional(net.udp) << ", \"unix\": " << json_optional(net.unix_sockets)
        << ", \"signal_outside\": " << json_optional(net.signal_outside)
        << ", \"abstract_socket_outside\": " << json_optional(net.abstract_socket_outside);
    if (net.mediated()) {  // absent otherwise, so that outputs from before these facts stay as they were
        out << ", \"tcp_connect_hosts\": [";
        for (std::size_t i = 0; i < net.tcp_connect_hosts.size(); ++i)
            out << (i ? ", " : "") << "{\"target\": " << json_string(net::to_string(net.tcp_connect_hosts[i].rule))
                << ", \"origin\": " << json_origin(net.tcp_connect_hosts[i].origin) << "}";
        out << "], \"loopback\": " << json_optional(net.loopback) << ", \"unix_connect\": [";
        bool first_socket = true;
        for (const auto& [path, origin] : net.unix_connect) {
            out << (first_socket ? "" : ", ") << "{\"path\": " << json_string(path) << ", \"origin\": " << json_origin(origin) << "}";
            first_socket = false;
        }
        out << "]";
    }
    out << "},\n  \"syscalls\": [";
    for (std::size_t t = 0; t < policy.syscalls.size(); ++t) {
        const ir::SyscallTable& table = policy.syscalls[t];
        out << (t ? ",\n    " : "\n    ") << "{\"arch\": " << json_string(ir::arch_name(table.arch))
            << ", \"default\": " << json_action(table.default_action)
            << ", \"default_origin\": " << json_origin(table.default_origin)
            << ", \"unknown\": " << json_action(table.unknown_action) << ", \"decisions\": [";
        bool first_decision = true;
        for (const auto& [nr, d] : table.decisions) {
            out << (first_decision ? "" : ", ") << "{\"nr\": " << nr << ", \"name\": " << json_string(table.name_of(nr))
                << ", \"rules\": [";
            for (std::size_t i = 0; i < d.rules.size(); ++i) {
                out << (i ? ", " : "") << "{\"checks\": [";
                for (std::size_t c = 0; c < d.rules[i].checks.size(); ++c)
                    out << (c ? ", " : "") << json_string(check_to_string(d.rules[i].checks[c]));
                out << "], \"action\": " << json_action(d.rules[i].action)
                    << ", \"origin\": " << json_origin(d.rules[i].origin) << "}";
            }
            out << "], \"otherwise\": " << json_action(d.otherwise) << ", \"origins\": [";
            for (std::size_t i = 0; i < d.origins.size(); ++i) out << (i ? ", " : "") << json_origin(d.origins[i]);
            out << "]}";
            first_decision = false;
        }
        out << "]}";
    }
    out << "\n  ],\n  \"macos\": {\"mach_lookup\": {";
    first = true;
    for (const auto& [service, origin] : policy.macos.mach_lookup) {
        out << (first ? "" : ", ") << json_string(service) << ": " << json_origin(origin);
        first = false;
    }
    out << "}, \"sysctl_read\": " << json_optional(policy.macos.sysctl_read) << "},\n  \"env\": {\"keep\": [";
    first = true;
    for (const auto& [name, origin] : policy.env.keep) out << (std::exchange(first, false) ? "" : ", ") << json_string(name);
    out << "], \"drop\": [";
    first = true;
    for (const auto& [name, origin] : policy.env.drop) out << (std::exchange(first, false) ? "" : ", ") << json_string(name);
    out << "], \"set\": {";
    first = true;
    for (const auto& [name, value] : policy.env.set)
        out << (std::exchange(first, false) ? "" : ", ") << json_string(name) << ": " << json_string(value.first);
    out << "}},\n  \"limits\": {";
    first = true;
    for (const auto& [kind, limit] : policy.limits)
        out << (std::exchange(first, false) ? "" : ", ") << json_string(limits::info(kind).name) << ": {\"amount\": "
            << limit.amount << ", \"origin\": " << json_origin(limit.origin) << "}";
    out << "}\n}\n";
    return out.str();
}

}  // namespace nono
