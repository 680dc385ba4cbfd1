// The Landlock plan's layout: from "what each path allows" to rules Landlock can state.
#include "plan/landlock_plan.hpp"

#include <algorithm>
#include <map>

#include "plan/precedence.hpp"

namespace nono::landlock {

namespace {

struct Node {
    Access allow = 0;
    Access deny = 0;
    Access sealed = 0;
    bool stated = false;   // the plan has an entry for exactly this path
    Access effective = 0;  // the rights allowed here after precedence
    Access floor = 0;      // the rights every path at or below here has
    std::map<std::string, Node> children;
};

void resolve(Node& node, Access inherited) {
    node.effective = rights_after(inherited, node.allow, node.deny);
    node.floor = node.effective & ~node.sealed;
    for (auto& [name, child] : node.children) {
        resolve(child, node.effective);
        node.floor &= child.floor;
    }
}

// Landlock grants along a path the union of the rules on it and its ancestors, so a right
// may sit in a directory's rule only if nothing below lacks it (`floor`). Along any path
// the floors only grow, so what the ancestors already grant is the parent's floor.
void emit(const Node& node, const std::string& path, Access granted, std::string anchor, Layout& out) {
    if (node.stated) anchor = path;
    if (Access rule = node.floor & ~granted) out.rules.push_back({path, rule, anchor});
    if (Access lost = node.effective & ~node.floor) {
        Expansion e{path, lost, {}, anchor};
        for (const auto& [name, child] : node.children) e.except.push_back(name);
        out.expansions.push_back(std::move(e));
    }
    for (const auto& [name, child] : node.children) emit(child, child_path(path, name), node.floor, anchor, out);
}

}  // namespace

std::string child_path(const std::string& parent, std::string_view name) {
    return parent == "/" ? "/" + std::string(name) : parent + "/" + std::string(name);
}

Layout lay_out(const std::vector<PathEntry>& paths) {
    Node root;
    for (const PathEntry& entry : paths) {
        Node* node = &root;
        std::size_t i = 1;
        while (i < entry.path.size()) {
            std::size_t slash = std::min(entry.path.find('/', i), entry.path.size());
            node = &node->children[entry.path.substr(i, slash - i)];
            i = slash + 1;
        }
        node->allow |= entry.allow;
        node->deny |= entry.deny;
        node->sealed |= entry.sealed;
        node->stated = true;
    }
    resolve(root, 0);
    Layout out;
    emit(root, "/", 0, "/", out);
    return out;
}

std::vector<PathEntry> merge_paths(std::vector<PathEntry> paths) {
    std::stable_sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    std::vector<PathEntry> merged;
    for (PathEntry& p : paths) {
        if (!merged.empty() && merged.back().path == p.path) {
            merged.back().allow |= p.allow;
            merged.back().deny |= p.deny;
            merged.back().sealed |= p.sealed;
        } else {
            merged.push_back(std::move(p));
        }
    }
    return merged;
}

std::vector<AbiNeed> abi_needs(const Plan& plan) {
    std::vector<AbiNeed> needs = {
        {"filesystem rules", 1, false},
        {"refer (rename and link across directories)", 2, true},
        {"truncate", 3, false},
    };
    if (plan.handle_tcp) needs.push_back({"TCP bind and connect ports", 4, false});
    needs.push_back({"ioctl on devices", 5, false});
    if (plan.scoped & kScopeAbstractUnixSocket) needs.push_back({"abstract unix sockets scoped to the sandbox", 6, false});
    if (plan.scoped & kScopeSignal) needs.push_back({"signals scoped to the sandbox", 6, false});
    return needs;
}

std::string fs_access_to_string(Access access) {
    static constexpr const char* kNames[] = {
        "exec",          "write-file",  "read-file",   "read-dir",    "remove-dir",   "remove-file",
        "create-char",   "create-dir",  "create-file", "create-socket", "create-fifo", "create-block",
        "create-symlink", "refer",      "truncate",    "ioctl-dev",
    };
    std::string out;
    for (int bit = 0; bit < 16; ++bit) {
        if (!(access & (Access{1} << bit))) continue;
        if (!out.empty()) out += ", ";
        out += kNames[bit];
    }
    return out.empty() ? "nothing" : out;
}

}  // namespace nono::landlock
