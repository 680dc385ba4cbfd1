// The "seccomp" target: the filter for one architecture (TargetOptions::arch) as
// NAME.bpf (the raw struct sock_filter array the runtime installs) and NAME.bpf.txt
// (its disassembly), with a fidelity report.
#pragma once

#include "compiler/emitters/targets.hpp"

namespace nono::seccomp {

// What the filter for `table` enforces (all of it, exactly): counts, default, argument rules.
Fidelity seccomp_fidelity(const ir::SyscallTable& table);

// Throws EmitError when the policy has no table for the architecture or the table
// cannot be emitted.
TargetOutput emit_seccomp_target(const OptimizedPolicy& optimized, const TargetOptions& options);

}  // namespace nono::seccomp
