// Optimizer pass: coalesce a syscall table's per-number decisions into ranges.
#pragma once

#include "compiler/ir.hpp"

namespace nono {

// Fills table.ranges from table.decisions and table.default_action: ranges that cover
// [0, 0xffffffff] exactly, sorted, with neighbours of the same behaviour merged (their
// origins joined). Numbers without a decision take the default.
void coalesce_syscall_ranges(ir::SyscallTable& table);

}  // namespace nono
