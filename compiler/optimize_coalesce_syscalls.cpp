// Optimizer pass: syscall decisions → ranges over the whole 32-bit number space, which is
// what the seccomp emitter searches. Gaps take the default, so the emitter never needs a
// separate "not listed" case.
#include "compiler/optimize_coalesce_syscalls.hpp"

#include <algorithm>
#include <limits>

namespace nono {

namespace {

constexpr std::uint32_t kLastNumber = std::numeric_limits<std::uint32_t>::max();

void append(std::vector<ir::SyscallRange>& ranges, std::uint32_t first, std::uint32_t last,
            const ir::SyscallDecision& decision) {
    if (!ranges.empty() && ranges.back().last + 1 == first && ranges.back().decision.same_behaviour(decision)) {
        auto& origins = ranges.back().decision.origins;
        for (const auto& origin : decision.origins)
            if (std::find(origins.begin(), origins.end(), origin) == origins.end()) origins.push_back(origin);
        ranges.back().last = last;
        return;
    }
    ranges.push_back({first, last, decision});
}

}  // namespace

void coalesce_syscall_ranges(ir::SyscallTable& table) {
    const ir::SyscallDecision by_default{{}, table.default_action, {}};
    std::vector<ir::SyscallRange> ranges;
    std::uint64_t next = 0;  // the first number not yet covered; 64-bit so it can pass the end
    for (const auto& [number, decision] : table.decisions) {
        if (number > next) append(ranges, static_cast<std::uint32_t>(next), number - 1, by_default);
        append(ranges, number, number, decision);
        next = std::uint64_t{number} + 1;
    }
    if (next <= kLastNumber) append(ranges, static_cast<std::uint32_t>(next), kLastNumber, by_default);
    table.ranges = std::move(ranges);
}

}  // namespace nono
