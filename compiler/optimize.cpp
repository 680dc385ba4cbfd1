// Stage 3: the pass list. Each pass lives in its own optimize_*.cpp.
#include "compiler/optimize.hpp"

namespace nono {

const std::vector<Pass>& optimizer_passes() {
    static const std::vector<Pass> passes = {
        {"effective", compute_effective_rights},
        {"drop-implied", drop_implied_paths},
        {"carve-outs", mark_carve_outs},
        {"ranges", coalesce_syscall_ranges},
    };
    return passes;
}

void optimize(ir::Policy& policy) {
    for (const Pass& pass : optimizer_passes()) pass.run(policy);
}

}  // namespace nono
