// Stage 3: the optimizer passes over the IR, one file each (compiler/optimize_*.cpp), in
// the order they run: drop-implied, then ranges, whose result (OptimizedPolicy) is the
// only thing the emitters take. `nonoc compile --dump-ir=after:NAME` prints the IR after
// one and names the parts of it that the pass changed.
#pragma once

#include <map>
#include <utility>

#include "compiler/ir.hpp"

namespace nono {

// The pass "drop-implied": removes rules that change nothing (the node allows exactly what
// its parent does and no glob could outrank the parent's rules there), then nodes left
// with no rules and no children. What any path is allowed stays as it was.
void drop_implied_paths(ir::Policy& policy);

// The optimizer's result, and what the emitters read: the IR after the passes, with each
// syscall table coalesced into ranges. Only the last pass, coalesce_syscall_ranges(Policy),
// makes one, from the tables it holds: so a policy whose tables are not coalesced cannot
// be emitted, and the ranges always are those of the tables beside them.
class OptimizedPolicy {
public:
    const ir::Policy& policy() const { return policy_; }
    // The ranges of the policy's table for `arch`, or nullptr when it has none (see
    // ir::syscall_table).
    const ir::SyscallRanges* ranges(ir::Arch arch) const;

private:
    friend OptimizedPolicy coalesce_syscall_ranges(ir::Policy policy);
    OptimizedPolicy(ir::Policy policy, std::map<ir::Arch, ir::SyscallRanges> ranges)
        : policy_(std::move(policy)), ranges_(std::move(ranges)) {}

    ir::Policy policy_;
    std::map<ir::Arch, ir::SyscallRanges> ranges_;
};

// The pass "ranges", the last: every table coalesced.
[[nodiscard]] OptimizedPolicy coalesce_syscall_ranges(ir::Policy policy);
// One table's ranges (the pass, tests, benchmarks).
[[nodiscard]] ir::SyscallRanges coalesce_syscall_ranges(const ir::SyscallTable& table);

// Every pass in order: drop-implied, ranges. (compile_file runs them one by one, to dump
// and verify the IR between them.) Effective rights and carve-outs are no passes: they are
// computed where they are read (ir::effective_rights).
[[nodiscard]] OptimizedPolicy optimize(ir::Policy policy);

}  // namespace nono
