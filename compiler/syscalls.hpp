// Syscall names per architecture, from libseccomp's tables (used by resolve and lower).
//
// The tables are built by asking libseccomp for the name of every number, never the
// number of a name: for a name that is multiplexed on some architecture (socket on
// i386), the name lookup returns a negative pseudo-number, while the number lookup finds
// the direct syscall the kernel also has (socket = 359 on i386).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir.hpp"

namespace nono {

// number (with the architecture's bias, 0x40000000 for x32) -> name.
const std::map<std::uint32_t, std::string>& syscall_names(ir::Arch arch);
// The number of `name` on `arch` (with its bias), or nullopt when the architecture has
// no such syscall.
std::optional<std::uint32_t> syscall_number(ir::Arch arch, const std::string& name);
// Every name known on at least one architecture, sorted: for "did you mean".
const std::vector<std::string>& all_syscall_names();

}  // namespace nono
