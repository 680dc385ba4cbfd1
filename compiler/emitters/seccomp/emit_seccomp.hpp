// Emitter: one architecture's syscall table → a classic seccomp BPF program.
//
// Layout: load arch; a foreign architecture takes the table's bad-arch action; load nr;
// a search tree over the coalesced ranges (x32 numbers on x86_64 and native numbers on
// x32 are folded into it as bad-arch ranges); one block per distinct decision: argument
// checks with 64-bit semantics, then RET. Every number allowed without conditions reaches
// RET ALLOW through arch/nr loads and constant jumps only, so the kernel's constant-action
// cache answers it without running the filter.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "compiler/ir.hpp"

namespace nono::seccomp {

// A table that no valid filter can express (a bad argument index, an errno over 4095, or a
// program over the kernel's 4,096 instructions). Nothing is emitted.
class EmitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kMaxInstructions = 4096;  // BPF_MAXINSNS

// The SECCOMP_RET_* value of an action.
std::uint32_t return_value(const ir::Action& action);

// The program for `table.arch`, from `ranges`, the table coalesced (OptimizedPolicy::ranges,
// or coalesce_syscall_ranges(table) in tests and benchmarks).
std::vector<sock_filter> emit_seccomp(const ir::SyscallTable& table, const ir::SyscallRanges& ranges);

}  // namespace nono::seccomp
