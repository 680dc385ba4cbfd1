// Stage 3: the pass list. Each pass lives in its own optimize_*.cpp.
#include "compiler/optimize.hpp"

namespace nono {

const std::vector<Pass>& optimizer_passes() {
    static const std::vector<Pass> passes = {
        {"drop-implied", drop_implied_paths},
        {"ranges", coalesce_syscall_ranges},
    };
    return passes;
}

void optimize(ir::Policy& policy) {
    for (const Pass& pass : optimizer_passes()) pass.run(policy);
}

}  // namespace nono
