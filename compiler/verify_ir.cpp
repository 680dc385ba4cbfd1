// Between passes: the IR's invariants (see verify_ir.hpp).
#include "compiler/verify_ir.hpp"

#include <algorithm>
#include <string>

#include "compiler/optimize.hpp"
#include "compiler/query.hpp"
#include "core/paths.hpp"

namespace nono {

namespace {

class Verifier {
public:
    Verifier(const ir::Policy& policy, std::string_view after) : policy_(policy), after_(after) {}

    void run() {
        node(policy_.root, "");
        for (const ir::GlobRule& g : policy_.globs) {
            if (g.pattern.empty() || g.pattern[0] != '/' || canonical_path(g.pattern) != g.pattern || !is_glob(g.pattern))
                fail("glob `" + g.pattern + "` is not a canonical absolute pattern");
            rights(g.rule.rights, g.pattern);
        }
        network(policy_.network);
        for (const ir::SyscallTable& t : policy_.syscalls) table(t);
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw InvalidIr("the IR after " + std::string(after_) + " is invalid: " + what);
    }

    void rights(ir::Rights r, const std::string& where) const {
        if (r & ~ir::kAllRights) fail("unknown rights on " + where);
    }

    void node(const ir::PathNode& n, const std::string& path) const {
        const std::string shown = path.empty() ? "/" : path;
        for (const ir::PathRule& r : n.rules) rights(r.rights, shown);
        for (const auto& [name, child] : n.children) {
            if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
                fail("the trie holds the name `" + name + "` under " + shown);
            node(child, path + "/" + name);
        }
    }

    void ports(const std::vector<ir::PortRange>& ranges, const char* what) const {
        for (std::size_t i = 0; i < ranges.size(); ++i) {
            if (ranges[i].first < 1 || ranges[i].first > ranges[i].last)
                fail(std::string(what) + " port range " + std::to_string(ranges[i].first) + "-" +
                     std::to_string(ranges[i].last) + " is empty or holds port 0");
            if (i > 0 && ranges[i - 1].last >= ranges[i].first)
                fail(std::string(what) + " port ranges are not sorted and disjoint");
        }
    }

    void network(const ir::Network& net) const {
        ports(net.tcp_connect, "connect");
        ports(net.tcp_bind, "bind");
        if (net.all && !net.tcp_connect_hosts.empty()) fail("hosts are listed beside `allow network`");
        for (const auto& [path, origin] : net.unix_connect)
            if (path.empty() || path[0] != '/') fail("unix socket path `" + path + "` is not absolute");
    }

    void action(const ir::Action& a, const std::string& where) const {
        if (a.kind == ir::Action::Kind::Errno && a.errno_value > 4095)
            fail("errno " + std::to_string(a.errno_value) + " on " + where + " is above 4095");
    }

    void decision(const ir::SyscallDecision& d, const std::string& where) const {
        action(d.otherwise, where);
        for (const ir::CondRule& rule : d.rules) {
            action(rule.action, where);
            for (const ir::ArgCheck& c : rule.checks)
                if (c.arg > 5) fail("a condition on " + where + " names arg" + std::to_string(c.arg));
        }
    }

    void table(const ir::SyscallTable& t) const {
        const std::string arch(ir::arch_name(t.arch));
        action(t.default_action, arch + "'s default");
        action(t.unknown_action, arch + "'s unknown numbers");
        for (const auto& [nr, d] : t.decisions) decision(d, arch + " " + t.name_of(nr));
    }

    const ir::Policy& policy_;
    std::string_view after_;
};

// Walks the two tries side by side, through every name either holds: a node one of them
// lacks allows what its parent there allows.
void same_rights(const ir::PathNode* before, ir::Rights before_parent, const ir::PathNode* after,
                 ir::Rights after_parent, const std::string& path, std::string_view pass) {
    const ir::Rights was = before ? ir::effective_rights(*before, before_parent) : before_parent;
    const ir::Rights is = after ? ir::effective_rights(*after, after_parent) : after_parent;
    if (was != is)
        throw InvalidIr("the IR after " + std::string(pass) + " is invalid: " + (path.empty() ? "/" : path) +
                        " allows " + ir::rights_to_string(was) + " before the pass and " + ir::rights_to_string(is) +
                        " after it");
    auto child = [](const ir::PathNode* n, const std::string& name) -> const ir::PathNode* {
        if (!n) return nullptr;
        auto it = n->children.find(name);
        return it == n->children.end() ? nullptr : &it->second;
    };
    if (before)
        for (const auto& [name, b] : before->children)
            same_rights(&b, was, child(after, name), is, path + "/" + name, pass);
    if (after)
        for (const auto& [name, a] : after->children)
            if (!child(before, name)) same_rights(nullptr, was, &a, is, path + "/" + name, pass);
}

}  // namespace

void verify_ir(const ir::Policy& policy, std::string_view after) { Verifier(policy, after).run(); }

void verify_ir(const OptimizedPolicy& optimized, std::string_view after) {
    verify_ir(optimized.policy(), after);
    for (const ir::SyscallTable& t : optimized.policy().syscalls) verify_ranges(t, *optimized.ranges(t.arch), after);
}

void verify_ranges(const ir::SyscallTable& table, const ir::SyscallRanges& ranges, std::string_view after) {
    for (const auto& [nr, d] : table.decisions)
        if (!find_decision(ranges, nr).same_behaviour(d))
            throw InvalidIr("the IR after " + std::string(after) + " is invalid: the " +
                            std::string(ir::arch_name(table.arch)) + " ranges disagree with the decision for " +
                            table.name_of(nr));
}

void verify_same_rights(const ir::PathNode& before, const ir::PathNode& after, std::string_view pass) {
    same_rights(&before, 0, &after, 0, "", pass);
}

}  // namespace nono
