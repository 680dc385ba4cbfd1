// Optimizer pass: effective rights per trie node (merge the rights of the rules written
// on a node with what it inherits), by the language's precedence (plan/precedence.hpp).
#include "compiler/optimize.hpp"
#include "plan/precedence.hpp"

namespace nono {

namespace {

void compute(ir::PathNode& node, ir::Rights inherited) {
    ir::Rights allowed = 0, denied = 0;
    for (const ir::PathRule& rule : node.rules) (rule.effect == ir::Effect::Allow ? allowed : denied) |= rule.rights;
    node.effective = rights_after(inherited, allowed, denied);
    for (auto& [name, child] : node.children) compute(child, node.effective);
}

}  // namespace

void compute_effective_rights(ir::Policy& policy) { compute(policy.root, 0); }

}  // namespace nono
