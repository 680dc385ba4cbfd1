// Stage 3: the optimizer passes over the IR, one file each (compiler/optimize_*.cpp),
// in the order they run. `nonoc compile --dump-ir=after:NAME` prints the IR after one
// and names the parts of it that the pass changed.
#pragma once

#include <string_view>
#include <vector>

#include "compiler/ir.hpp"

namespace nono {

// Removes rules that change nothing (the node allows exactly what its parent does and no
// glob could outrank the parent's rules there), then nodes left with no rules and no
// children. What any path is allowed stays as it was.
void drop_implied_paths(ir::Policy& policy);
// Sets every table's ranges (the pass).
void coalesce_syscall_ranges(ir::Policy& policy);
// One table's ranges (tests, benchmarks).
[[nodiscard]] ir::SyscallRanges coalesce_syscall_ranges(const ir::SyscallTable& table);

struct Pass {
    std::string_view name;  // as written after --dump-ir=after:
    void (*run)(ir::Policy&);
};

// "drop-implied", "ranges". (Effective rights and carve-outs are no passes: they are
// computed where they are read, ir::effective_rights.)
const std::vector<Pass>& optimizer_passes();

// Runs every pass in order.
void optimize(ir::Policy& policy);

}  // namespace nono
