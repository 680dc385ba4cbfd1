// Stage 2b: lower. Resolved facts -> the IR (compiler/ir.hpp), before optimization.
#pragma once

#include <span>

#include "compiler/ir.hpp"
#include "compiler/resolve.hpp"

namespace nono {

// Paths are canonicalized before entering the trie; globs go to Policy::globs. One syscall
// table per architecture in `arches`, each total: numbers without a statement take the
// default, and the network statements' socket() rules added. Cannot fail: everything that
// can be wrong was reported by resolve.
ir::Policy lower(const ResolvedProfile& profile, std::span<const ir::Arch> arches = ir::kAllArches);

// How strict an action is, for "strictest first": allow < log < errno < trap <
// kill-thread < kill. Between two errno actions, the smaller number counts as stricter,
// only so that the choice never depends on statement order.
bool stricter(const ir::Action& a, const ir::Action& b);

}  // namespace nono
