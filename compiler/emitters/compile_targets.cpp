#include "compiler/emitters/compile_targets.hpp"

#include <map>
#include <stdexcept>
#include <utility>

#include "plan/plan_file.hpp"

namespace nono {

bool CompiledTargets::weaker() const {
    for (const TargetOutput& out : outputs)
        if (out.fidelity.weaker()) return true;
    return false;
}

CompiledTargets compile_targets(const std::string& profile, const std::vector<const Target*>& chosen,
                                const CompileOptions& options, const TargetOptions& target_options,
                                SourceMap& sources, Diagnostics& diags) {
    using Compile = std::pair<ir::Platform, bool /*placeholder TMPDIR*/>;
    auto compile_for = [&](const Target* t) {
        return Compile{t->platform, t->name == "plan" && !options.bindings.count("TMPDIR")};
    };
    std::vector<Compile> compiles;
    for (const Target* t : chosen) compiles.push_back(compile_for(t));
    if (chosen.empty()) compiles.push_back({ir::Platform::Linux, false});

    CompiledTargets out;
    std::map<Compile, OptimizedPolicy> policies;
    CompileOptions these = options;
    for (const Compile& c : compiles) {
        if (policies.count(c)) continue;
        these.platform = c.first;
        these.bindings = options.bindings;
        if (c.second) these.bindings["TMPDIR"] = plan::kPlanTmpdir;
        std::optional<OptimizedPolicy> policy = compile_profile(profile, these, sources, diags);
        these.dump_ir_to = nullptr;  // once is enough
        if (!policy) return out;
        policies.emplace(c, std::move(*policy));
    }
    out.compiled = true;
    for (const Target* t : chosen) {
        const OptimizedPolicy& policy = policies.at(compile_for(t));
        TargetOptions target = target_options;
        target.base_name = policy.policy().name;
        try {
            out.outputs.push_back(t->emit(policy, target));
        } catch (const std::runtime_error& e) {
            // A profile the target cannot express (a path Seatbelt cannot spell, a filter
            // over the kernel's size limit).
            out.error = t->name + ": " + e.what();
            return out;
        }
    }
    return out;
}

}  // namespace nono
