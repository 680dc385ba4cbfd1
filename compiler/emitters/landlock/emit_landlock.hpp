// Emitter: the optimized IR → the Landlock plan the runtime applies, its JSON artifact
// (schemas/landlock.schema.json) and the fidelity report for a given Landlock ABI.
#pragma once

#include <string>

#include "compiler/emitters/targets.hpp"
#include "compiler/fidelity.hpp"
#include "compiler/ir.hpp"
#include "plan/landlock_plan.hpp"

namespace nono {

landlock::Plan landlock_plan(const ir::Policy& policy);

// Deterministic for a given policy: the plan as written, plus its layout before glob
// expansion (rules and expansions), to read and to review.
std::string landlock_json(const landlock::Plan& plan);

// How faithfully Landlock ABI `abi` (0: no Landlock) enforces the policy.
Fidelity landlock_fidelity(const ir::Policy& policy, const landlock::Plan& plan, int abi);

// The "landlock" target: NAME.landlock.json, fidelity for the running kernel.
TargetOutput emit_landlock(const OptimizedPolicy& optimized, const TargetOptions& options);

}  // namespace nono
