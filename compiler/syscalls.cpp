// Syscall tables per architecture, from the kernel's (compiler/syscall_tables), generated at build time.
#include "compiler/syscalls.hpp"

#include <algorithm>
#include <string_view>

namespace nono {

namespace {

#include "syscall_table.inc"

struct Table {
    std::span<const ir::SyscallName> by_number;
    std::span<const std::uint16_t> by_name;  // indexes into by_number, in name order
};
constexpr Table kTables[] = {{kX86_64, kX86_64ByName}, {kI386, kI386ByName}, {kX32, kX32ByName}, {kAarch64, kAarch64ByName}};

}  // namespace

std::span<const ir::SyscallName> syscall_names(ir::Arch arch) { return kTables[static_cast<int>(arch)].by_number; }

std::optional<std::uint32_t> syscall_number(ir::Arch arch, std::string_view name) {
    const Table& table = kTables[static_cast<int>(arch)];
    auto it = std::lower_bound(table.by_name.begin(), table.by_name.end(), name,
                               [&](std::uint16_t index, std::string_view n) { return table.by_number[index].name < n; });
    if (it == table.by_name.end() || table.by_number[*it].name != name) return std::nullopt;
    return table.by_number[*it].nr;
}

std::span<const std::string_view> all_syscall_names() { return kAllNames; }

}  // namespace nono
