// The "seccomp" target: wraps emit_seccomp() and disassemble() into artifacts, and states
// what the filter enforces. Seccomp enforces every syscall fact exactly (argument checks
// keep their 64-bit meaning), so each item is Exact.
#include "compiler/emitters/seccomp/seccomp_target.hpp"

#include <algorithm>

#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"

namespace nono::seccomp {

namespace {

std::string bytes_of(const std::vector<sock_filter>& program) {
    return {reinterpret_cast<const char*>(program.data()), program.size() * sizeof(sock_filter)};
}

}  // namespace

Fidelity seccomp_fidelity(const ir::SyscallTable& table) {
    Fidelity f;
    f.target = "seccomp";
    const auto arch = std::string(ir::arch_name(table.arch));
    std::size_t allowed = 0;
    for (const auto& [nr, decision] : table.decisions)
        if (decision.rules.empty() && decision.otherwise.kind == ir::Action::Kind::Allow) ++allowed;
    f.items.push_back({FidelityItem::Level::Exact,
                       arch + " syscalls: " + std::to_string(allowed) + " allowed without conditions, default " +
                           ir::action_to_string(table.default_action),
                       {table.default_origin}});
    f.items.push_back({FidelityItem::Level::Exact,
                       std::string(table.arch == ir::Arch::X86_64 ? "other architectures and the x32 ABI: "
                                                                  : "other architectures: ") +
                           ir::action_to_string(table.bad_arch_action),
                       {}});
    for (const auto& [nr, decision] : table.decisions) {
        if (decision.rules.empty()) continue;
        std::vector<ir::Origin> origins;
        for (const auto& rule : decision.rules)
            if (std::find(origins.begin(), origins.end(), rule.origin) == origins.end()) origins.push_back(rule.origin);
        const std::string name = table.name_of(nr);
        f.items.push_back({FidelityItem::Level::Exact,
                           name + "(): " + std::to_string(decision.rules.size()) + " argument rule(s), otherwise " +
                               ir::action_to_string(decision.otherwise),
                           std::move(origins)});
    }
    return f;
}

TargetOutput emit_seccomp_target(const OptimizedPolicy& optimized, const TargetOptions& options) {
    const ir::SyscallTable* table = ir::syscall_table(optimized.policy(), options.arch);
    if (!table)
        throw EmitError("the policy has no syscall table for " + std::string(ir::arch_name(options.arch)));
    const auto program = emit_seccomp(*table, *optimized.ranges(options.arch));
    TargetOutput out;
    out.artifacts.push_back({options.base_name + ".bpf", bytes_of(program)});
    out.artifacts.push_back({options.base_name + ".bpf.txt", disassemble(program)});
    out.fidelity = seccomp_fidelity(*table);
    return out;
}

}  // namespace nono::seccomp
