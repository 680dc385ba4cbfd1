// Syscall names per architecture, from the kernel's tables (used by resolve and lower),
// written into the binary at build time by cmake/gen_syscall_table.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "compiler/ir.hpp"

namespace nono {

// Every syscall of `arch`, by number (with the architecture's bias, 0x40000000 for x32);
// static storage.
std::span<const ir::SyscallName> syscall_names(ir::Arch arch);
// The number of `name` on `arch` (with its bias), or nullopt when the architecture has
// no such syscall.
std::optional<std::uint32_t> syscall_number(ir::Arch arch, std::string_view name);
// Every name known on at least one architecture, sorted; static storage.
std::span<const std::string_view> all_syscall_names();

}  // namespace nono
