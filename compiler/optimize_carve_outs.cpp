// Optimizer pass: mark carve-outs, the nodes that allow less than their parent. Landlock
// cannot state them directly (its rules only add rights); its emitter expands them.
#include "compiler/optimize.hpp"

namespace nono {

namespace {

void mark(ir::PathNode& node, ir::Rights parent_effective) {
    node.carve_out = (parent_effective & ~node.effective) != 0;
    for (auto& [name, child] : node.children) mark(child, node.effective);
}

}  // namespace

void mark_carve_outs(ir::Policy& policy) { mark(policy.root, 0); }

}  // namespace nono
