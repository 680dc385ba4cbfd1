// Stage 3: the passes in order, and the optimizer's result. Each pass lives in its own
// optimize_*.cpp.
#include "compiler/optimize.hpp"

namespace nono {

const ir::SyscallRanges* OptimizedPolicy::ranges(ir::Arch arch) const {
    const auto it = ranges_.find(arch);
    return it == ranges_.end() ? nullptr : &it->second;
}

OptimizedPolicy optimize(ir::Policy policy) {
    drop_implied_paths(policy);
    return coalesce_syscall_ranges(std::move(policy));
}

}  // namespace nono
