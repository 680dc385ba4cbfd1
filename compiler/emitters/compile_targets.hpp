// The compiler's entry for `nonoc compile` (and for the tests that check it): a profile
// compiled for each chosen target, once per platform they need (sbpl for macOS, the others
// for Linux) and once more for a plan, whose $TMPDIR (unless bound) stands for a placeholder
// that `nono exec --plan` replaces with the run's private directory; then emitted by each
// target, in order. Nothing is written here: the caller writes all or nothing.
#pragma once

#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "compiler/emitters/targets.hpp"

namespace nono {

struct CompiledTargets {
    bool compiled = false;              // false: the profile has errors, all in the diagnostics
    std::vector<TargetOutput> outputs;  // one per chosen target, in order, up to a failing one
    std::string error;                  // a target that cannot express the profile: "sbpl: …"
    // Whether some target enforces less than the profile says.
    bool weaker() const;
};

// `chosen` may be empty: the profile is then compiled for Linux only (for --dump-ir). The
// IR is dumped (options.dump_ir_to) by the first compile only.
CompiledTargets compile_targets(const std::string& profile, const std::vector<const Target*>& chosen,
                                const CompileOptions& options, const TargetOptions& target_options,
                                SourceMap& sources, Diagnostics& diags);

}  // namespace nono
