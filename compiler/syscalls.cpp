// Syscall tables per architecture, built once from libseccomp.
#include "compiler/syscalls.hpp"

#include <seccomp.h>

#include <cstdlib>
#include <set>

namespace nono {

namespace {

std::uint32_t seccomp_token(ir::Arch arch) {
    switch (arch) {
        case ir::Arch::X86_64: return SCMP_ARCH_X86_64;
        case ir::Arch::I386: return SCMP_ARCH_X86;
        case ir::Arch::X32: return SCMP_ARCH_X32;
        case ir::Arch::Aarch64: return SCMP_ARCH_AARCH64;
    }
    return 0;
}

// Every architecture numbers its syscalls below 1024 (x86_64 ends near 460, x32's
// compat calls near 550), so this bound finds them all.
constexpr std::uint32_t kMaxSyscallNumber = 1024;

struct Table {
    std::map<std::uint32_t, std::string> by_number;
    std::map<std::string, std::uint32_t> by_name;
};

Table build_table(ir::Arch arch) {
    Table t;
    std::uint32_t bias = ir::syscall_number_bias(arch);
    for (std::uint32_t n = 0; n < kMaxSyscallNumber; ++n) {
        char* name = seccomp_syscall_resolve_num_arch(seccomp_token(arch), static_cast<int>(bias + n));
        if (!name) continue;
        t.by_number.emplace(bias + n, name);
        t.by_name.emplace(name, bias + n);
        std::free(name);
    }
    return t;
}

const Table& table(ir::Arch arch) {
    static const Table tables[] = {build_table(ir::Arch::X86_64), build_table(ir::Arch::I386),
                                   build_table(ir::Arch::X32), build_table(ir::Arch::Aarch64)};
    return tables[static_cast<int>(arch)];
}

}  // namespace

const std::map<std::uint32_t, std::string>& syscall_names(ir::Arch arch) { return table(arch).by_number; }

std::optional<std::uint32_t> syscall_number(ir::Arch arch, const std::string& name) {
    const auto& by_name = table(arch).by_name;
    auto it = by_name.find(name);
    if (it == by_name.end()) return std::nullopt;
    return it->second;
}

const std::vector<std::string>& all_syscall_names() {
    static const std::vector<std::string> names = [] {
        std::set<std::string> all;
        for (ir::Arch a : ir::kAllArches)
            for (const auto& [name, nr] : table(a).by_name) all.insert(name);
        return std::vector<std::string>(all.begin(), all.end());
    }();
    return names;
}

}  // namespace nono
