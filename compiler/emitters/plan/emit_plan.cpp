#include "compiler/emitters/plan/emit_plan.hpp"

#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/emitters/seccomp/seccomp_target.hpp"
#include "core/paths.hpp"
#include "plan/plan_file.hpp"

namespace nono {

plan::CompiledPlan compiled_plan(const OptimizedPolicy& optimized, ir::Arch arch) {
    const ir::Policy& policy = optimized.policy();
    const ir::SyscallTable* table = ir::syscall_table(policy, arch);
    if (!table) throw seccomp::EmitError("the policy has no syscall table for " + std::string(ir::arch_name(arch)));
    plan::CompiledPlan plan{landlock_plan(policy), std::string(ir::arch_name(arch)),
                               seccomp::emit_seccomp(*table, *optimized.ranges(arch))};
    // The plan's paths are canonical, so is what they say of $TMPDIR (when the profile uses it).
    if (auto tmpdir = policy.bindings.find("TMPDIR"); tmpdir != policy.bindings.end())
        plan.tmpdir = canonical_path(tmpdir->second);
    return plan;
}

TargetOutput emit_plan(const OptimizedPolicy& optimized, const TargetOptions& options) {
    const ir::Policy& policy = optimized.policy();
    const plan::CompiledPlan plan = compiled_plan(optimized, options.arch);
    const ir::SyscallTable* table = ir::syscall_table(policy, options.arch);
    TargetOutput out;
    out.artifacts.push_back({options.base_name + ".plan", plan::write_plan(plan)});
    out.fidelity = landlock_fidelity(policy, plan.landlock, options.landlock_abi);
    out.fidelity.target = "plan";
    for (FidelityItem& item : seccomp::seccomp_fidelity(*table).items) out.fidelity.items.push_back(std::move(item));
    return out;
}

}  // namespace nono
