// Optimizer pass: coalesce each syscall table into ranges covering [0, 0xffffffff],
// neighbours with the same behaviour merged. Numbers without a decision take the
// default; on x32 the table's numbers carry the 0x40000000 bias, so the numbers below
// it (x86_64's) form one default range the seccomp emitter never reaches on that path.
#include <algorithm>

#include "compiler/optimize.hpp"

namespace nono {

namespace {

void append(std::vector<ir::SyscallRange>& ranges, std::uint32_t first, std::uint32_t last,
            const ir::SyscallDecision& decision) {
    if (!ranges.empty() && ranges.back().decision.same_behaviour(decision)) {
        ir::SyscallRange& prev = ranges.back();
        prev.last = last;
        auto& origins = prev.decision.origins;
        origins.insert(origins.end(), decision.origins.begin(), decision.origins.end());
        std::sort(origins.begin(), origins.end());
        origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
        return;
    }
    ranges.push_back({first, last, decision});
}

}  // namespace

void coalesce_syscall_ranges(ir::SyscallTable& table) {
    ir::SyscallDecision by_default;
    by_default.otherwise = table.default_action;
    std::vector<ir::SyscallRange> ranges;
    std::uint64_t next = 0;  // the first number not yet covered; 64-bit so 0xffffffff + 1 fits
    for (const auto& [nr, decision] : table.decisions) {
        if (nr > next) append(ranges, static_cast<std::uint32_t>(next), nr - 1, by_default);
        append(ranges, nr, nr, decision);
        next = std::uint64_t{nr} + 1;
    }
    if (next <= 0xffffffffu) append(ranges, static_cast<std::uint32_t>(next), 0xffffffffu, by_default);
    table.ranges = std::move(ranges);
}

void coalesce_syscall_ranges(ir::Policy& policy) {
    for (ir::SyscallTable& table : policy.syscalls) coalesce_syscall_ranges(table);
}

}  // namespace nono
