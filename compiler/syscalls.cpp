// Syscall tables per architecture, from libseccomp's, generated at build time.
#include "compiler/syscalls.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace nono {

namespace {

#include "syscall_table.inc"

const std::span<const ir::SyscallName> kTables[] = {kX86_64, kI386, kX32, kAarch64};

// The same entries sorted by name, built on first use.
const std::vector<ir::SyscallName>& by_name(ir::Arch arch) {
    static const auto sorted = [] {
        std::vector<std::vector<ir::SyscallName>> all;
        for (auto table : kTables) {
            std::vector<ir::SyscallName> v(table.begin(), table.end());
            std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
            all.push_back(std::move(v));
        }
        return all;
    }();
    return sorted[static_cast<int>(arch)];
}

}  // namespace

std::span<const ir::SyscallName> syscall_names(ir::Arch arch) { return kTables[static_cast<int>(arch)]; }

std::optional<std::uint32_t> syscall_number(ir::Arch arch, const std::string& name) {
    const auto& sorted = by_name(arch);
    auto it = std::lower_bound(sorted.begin(), sorted.end(), std::string_view(name),
                               [](const ir::SyscallName& s, std::string_view n) { return s.name < n; });
    if (it == sorted.end() || it->name != name) return std::nullopt;
    return it->nr;
}

const std::vector<std::string>& all_syscall_names() {
    static const std::vector<std::string> names(std::begin(kAllNames), std::end(kAllNames));
    return names;
}

}  // namespace nono
