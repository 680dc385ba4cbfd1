// The IR as text, after any pass.
#include "compiler/dump_ir.hpp"

#include <algorithm>
#include <sstream>

namespace nono {

namespace {

std::string hex(std::uint64_t v) {
    std::ostringstream s;
    s << "0x" << std::hex << v;
    return s.str();
}

void dump_node(std::ostream& out, const ir::PathNode& node, ir::Rights parent, const std::string& path) {
    const ir::Rights effective = ir::effective_rights(node, parent);
    out << "  " << (path.empty() ? "/" : path) << "  effective: " << ir::rights_to_string(effective)
        << (ir::is_carve_out(parent, effective) ? "  carve-out" : "") << '\n';
    for (const ir::PathRule& r : node.rules)
        out << "    " << (r.effect == ir::Effect::Allow ? "allow " : "deny ") << ir::rights_to_string(r.rights)
            << "  <- " << origin_to_string(r.origin) << '\n';
    for (const auto& [name, child] : node.children) dump_node(out, child, effective, path + "/" + name);
}

void dump_ports(std::ostream& out, const char* what, const std::vector<ir::PortRange>& ranges) {
    for (const ir::PortRange& r : ranges) {
        out << "  " << what << ' ' << r.first;
        if (r.last != r.first) out << '-' << r.last;
        out << "  <- " << origin_to_string(r.origin) << '\n';
    }
}

void dump_flag(std::ostream& out, const char* what, const std::optional<ir::Origin>& origin) {
    if (origin) out << "  " << what << "  <- " << origin_to_string(*origin) << '\n';
}

void dump_decision(std::ostream& out, const ir::SyscallDecision& d) {
    for (const ir::CondRule& rule : d.rules) {
        out << "      if";
        for (std::size_t i = 0; i < rule.checks.size(); ++i)
            out << (i ? " && " : " ") << check_to_string(rule.checks[i]);
        out << ": " << ir::action_to_string(rule.action) << "  <- " << origin_to_string(rule.origin) << '\n';
    }
    out << "      " << (d.rules.empty() ? "" : "otherwise: ") << ir::action_to_string(d.otherwise);
    for (const ir::Origin& o : d.origins) out << "  <- " << origin_to_string(o);
    out << '\n';
}

// A dump's parts by name, in order: a part starts at each line not indented (its name is
// the text before ':' or '('), and a syscall table's ranges are a part of their own.
std::vector<std::pair<std::string, std::string>> parts_of(const std::string& dump) {
    std::vector<std::pair<std::string, std::string>> parts;
    std::istringstream lines(dump);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with(' ')) {
            parts.push_back({line.substr(0, line.find_first_of(":(")), {}});
            while (parts.back().first.ends_with(' ')) parts.back().first.pop_back();
        } else if (line == "  ranges:" && !parts.empty()) {
            parts.push_back({parts.back().first + " ranges", {}});
        }
        if (!parts.empty()) parts.back().second += line + '\n';
    }
    return parts;
}

}  // namespace

std::vector<std::string> changed_parts(const std::string& before, const std::string& after) {
    const auto old_parts = parts_of(before), new_parts = parts_of(after);
    auto find = [](const auto& parts, const std::string& name) {
        return std::find_if(parts.begin(), parts.end(), [&](const auto& p) { return p.first == name; });
    };
    std::vector<std::string> changed;
    for (const auto& [name, text] : new_parts) {
        const auto old = find(old_parts, name);
        if (old == old_parts.end() || old->second != text) changed.push_back(name);
    }
    for (const auto& [name, text] : old_parts)
        if (find(new_parts, name) == new_parts.end()) changed.push_back(name);
    return changed;
}

std::string origin_to_string(const ir::Origin& origin) {
    std::string loc = origin.loc.line ? origin.loc.file.str() + ":" + std::to_string(origin.loc.line) : origin.loc.file.str();
    if (loc.empty()) return origin.statement;
    return origin.statement + " (" + loc + ")";
}

std::string check_to_string(const ir::ArgCheck& c) {
    std::string arg = "arg" + std::to_string(c.arg);
    switch (c.op) {
        case ir::ArgCheck::Op::Eq: return arg + " == " + hex(c.value);
        case ir::ArgCheck::Op::Ne: return arg + " != " + hex(c.value);
        case ir::ArgCheck::Op::Lt: return arg + " < " + hex(c.value);
        case ir::ArgCheck::Op::Le: return arg + " <= " + hex(c.value);
        case ir::ArgCheck::Op::Gt: return arg + " > " + hex(c.value);
        case ir::ArgCheck::Op::Ge: return arg + " >= " + hex(c.value);
        case ir::ArgCheck::Op::MaskedEq: return arg + " & " + hex(c.mask) + " == " + hex(c.value);
    }
    return arg;
}

namespace {

// `optimized`: the policy's ranges, shown in each table's part once the "ranges" pass made them.
std::string dump(const ir::Policy& p, const OptimizedPolicy* optimized) {
    std::ostringstream out;
    out << "policy " << p.name << " (" << (p.platform == ir::Platform::Linux ? "linux" : "macos") << ")\n";
    if (!p.description.empty()) out << "description: " << p.description << '\n';
    out << "bindings:\n";
    for (const auto& [var, value] : p.bindings) out << "  " << var << " = " << value << '\n';
    out << "paths:\n";
    dump_node(out, p.root, 0, "");
    out << "globs:\n";
    for (const ir::GlobRule& g : p.globs)
        out << "  " << g.pattern << "  " << (g.rule.effect == ir::Effect::Allow ? "allow " : "deny ")
            << ir::rights_to_string(g.rule.rights) << "  <- " << origin_to_string(g.rule.origin) << '\n';
    if (!p.protect.empty()) out << "protect:\n";  // only then, so dumps from before the statement stay as they were
    for (const auto& [path, origin] : p.protect) out << "  " << path << "  <- " << origin_to_string(origin) << '\n';
    out << "network:\n";
    dump_flag(out, "all", p.network.all);
    dump_ports(out, "connect tcp", p.network.tcp_connect);
    dump_ports(out, "bind tcp", p.network.tcp_bind);
    dump_flag(out, "udp", p.network.udp);
    dump_flag(out, "unix", p.network.unix_sockets);
    dump_flag(out, "signal outside", p.network.signal_outside);
    dump_flag(out, "abstract-socket outside", p.network.abstract_socket_outside);
    for (const ir::HostRule& h : p.network.tcp_connect_hosts)
        out << "  connect tcp " << net::to_string(h.rule) << "  <- " << origin_to_string(h.origin) << '\n';
    dump_flag(out, "loopback", p.network.loopback);
    for (const auto& [path, origin] : p.network.unix_connect)
        out << "  unix connect " << path << "  <- " << origin_to_string(origin) << '\n';
    for (const ir::SyscallTable& t : p.syscalls) {
        out << "syscalls " << ir::arch_name(t.arch) << ": default " << ir::action_to_string(t.default_action)
            << "  <- " << origin_to_string(t.default_origin) << '\n';
        out << "  unknown numbers: " << ir::action_to_string(t.unknown_action) << "  <- "
            << origin_to_string(t.unknown_origin) << '\n';
        for (const auto& [nr, d] : t.decisions) {
            out << "    " << nr << ' ' << t.name_of(nr) << ":\n";
            dump_decision(out, d);
        }
        if (!optimized) continue;
        out << "  ranges:\n";
        for (const ir::SyscallRange& r : *optimized->ranges(t.arch)) {
            out << "    [" << hex(r.first) << ", " << hex(r.last) << "]:\n";
            dump_decision(out, r.decision);
        }
    }
    if (!p.macos.mach_lookup.empty() || p.macos.sysctl_read) out << "macos:\n";
    for (const auto& [service, origin] : p.macos.mach_lookup)
        out << "  mach-lookup " << service << "  <- " << origin_to_string(origin) << '\n';
    dump_flag(out, "sysctl-read", p.macos.sysctl_read);
    if (!p.env.keep.empty() || !p.env.drop.empty() || !p.env.set.empty()) out << "env:\n";
    for (const auto& [name, origin] : p.env.keep) out << "  keep " << name << "  <- " << origin_to_string(origin) << '\n';
    for (const auto& [name, origin] : p.env.drop) out << "  drop " << name << "  <- " << origin_to_string(origin) << '\n';
    for (const auto& [name, value] : p.env.set)
        out << "  set " << name << " = " << value.first << "  <- " << origin_to_string(value.second) << '\n';
    return out.str();
}

}  // namespace

std::string dump_ir(const ir::Policy& policy) { return dump(policy, nullptr); }

std::string dump_ir(const OptimizedPolicy& optimized) { return dump(optimized.policy(), &optimized); }

}  // namespace nono
