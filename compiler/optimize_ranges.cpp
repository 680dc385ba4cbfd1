// Optimizer pass: coalesce each syscall table into ranges covering [0, 0xffffffff],
// neighbours with the same behaviour merged. Syscalls without a decision take the
// default, numbers no syscall has the unknown-number action. On x32 the table's numbers
// carry the 0x40000000 bias, so the numbers below it (x86_64's) form one unknown range
// the seccomp emitter never reaches on that path.
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

ir::SyscallRanges coalesce_syscall_ranges(const ir::SyscallTable& table) {
    const ir::SyscallDecision by_default{{}, table.default_action, {}};
    const ir::SyscallDecision unknown{{}, table.unknown_action, {table.unknown_origin}};
    // The numbers that take a decision or the default, in order: every named one, every one
    // with a decision, and -1 (a tracer skipping a call, which keeps the default as in
    // libseccomp). The numbers between them are unknown.
    std::vector<std::uint32_t> known;
    for (const ir::SyscallName& n : table.names) known.push_back(n.nr);
    for (const auto& [nr, decision] : table.decisions) known.push_back(nr);
    known.push_back(0xffffffffu);
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    std::vector<ir::SyscallRange> ranges;
    std::uint32_t next = 0;  // the first number not yet covered
    for (std::uint32_t nr : known) {
        if (nr > next) append(ranges, next, nr - 1, unknown);
        const auto it = table.decisions.find(nr);
        append(ranges, nr, nr, it == table.decisions.end() ? by_default : it->second);
        next = nr + 1;  // wraps after -1, the last
    }
    return ir::SyscallRanges(std::move(ranges));
}

OptimizedPolicy coalesce_syscall_ranges(ir::Policy policy) {
    std::map<ir::Arch, ir::SyscallRanges> ranges;
    for (const ir::SyscallTable& table : policy.syscalls) ranges.emplace(table.arch, coalesce_syscall_ranges(table));
    return OptimizedPolicy(std::move(policy), std::move(ranges));
}

}  // namespace nono
