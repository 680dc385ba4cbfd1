// Optimizer pass: drop the path rules a parent already implies, and the nodes left empty.
//
// A node whose effective rights equal its parent's changes nothing in the trie. Its
// rules still matter when a glob matches the node's path or one of its ancestors: the
// node's rules outrank (or tie with) such a glob where the parent's would not. So rules
// are dropped only on paths that no glob matches at any depth. A deny stays wherever it
// is: the runtime follows its path to the file it names, which another, allowed path may
// reach (`deny ~/.ssh` where ~/.ssh is a symlink into the workspace). An allow that makes
// its directory when missing stays too: an implied right still needs the directory.
#include "compiler/optimize.hpp"
#include "core/paths.hpp"

namespace nono {

namespace {

bool any_glob_matches(const std::vector<ir::GlobRule>& globs, const std::string& path) {
    for (const ir::GlobRule& g : globs)
        if (glob_match(g.pattern, path)) return true;
    return false;
}

// Returns whether `node` can be removed from its parent.
bool prune(ir::PathNode& node, ir::Rights parent_effective, const std::string& path, bool glob_on_path,
           const std::vector<ir::GlobRule>& globs) {
    glob_on_path = glob_on_path || any_glob_matches(globs, path.empty() ? "/" : path);
    const ir::Rights effective = ir::effective_rights(node, parent_effective);
    if (!glob_on_path && effective == parent_effective)
        std::erase_if(node.rules, [](const ir::PathRule& r) { return r.effect == ir::Effect::Allow && !r.directory; });
    for (auto it = node.children.begin(); it != node.children.end();) {
        if (prune(it->second, effective, path + "/" + it->first, glob_on_path, globs))
            it = node.children.erase(it);
        else
            ++it;
    }
    return node.rules.empty() && node.children.empty();
}

}  // namespace

void drop_implied_paths(ir::Policy& policy) { prune(policy.root, 0, "", false, policy.globs); }

}  // namespace nono
