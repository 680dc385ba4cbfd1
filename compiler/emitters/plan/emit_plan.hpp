// The "plan" target: NAME.plan, the file `nono exec --plan` applies without compiling
// (plan/plan_file.hpp): the Landlock plan and the seccomp filter for one architecture
// (TargetOptions::arch). Its fidelity is theirs together.
#pragma once

#include "compiler/emitters/targets.hpp"
#include "plan/plan_file.hpp"

namespace nono {

// What `nono exec` applies, compiled or loaded from the plan file: the Landlock plan, the
// seccomp filter for `arch`, and what $TMPDIR stood for. Throws seccomp::EmitError when the
// policy has no table for the architecture or the table cannot be emitted.
plan::CompiledPlan compiled_plan(const OptimizedPolicy& optimized, ir::Arch arch);

// Throws seccomp::EmitError when the policy has no table for the architecture or the
// table cannot be emitted.
TargetOutput emit_plan(const OptimizedPolicy& optimized, const TargetOptions& options);

}  // namespace nono
