// Optimizer pass: effective rights per trie node (merge the rights of the rules written
// on a node with what it inherits). Precedence per right: the deepest node whose rules
// mention the right decides; there, deny wins a tie.
#include "compiler/optimize.hpp"

namespace nono {

namespace {

void compute(ir::PathNode& node, ir::Rights inherited) {
    ir::Rights allowed = 0, denied = 0;
    for (const ir::PathRule& rule : node.rules) (rule.effect == ir::Effect::Allow ? allowed : denied) |= rule.rights;
    ir::Rights mentioned = allowed | denied;
    node.effective = (inherited & ~mentioned) | (allowed & ~denied);
    for (auto& [name, child] : node.children) compute(child, node.effective);
}

}  // namespace

void compute_effective_rights(ir::Policy& policy) { compute(policy.root, 0); }

}  // namespace nono
