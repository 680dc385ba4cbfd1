// Well-known constant names for syscall conditions (TIOCSTI, AF_UNIX, CLONE_NEWUSER, …)
// and errno names, with their values from the system headers nono is built with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nono {

std::optional<std::uint64_t> constant_value(const std::string& name);
const std::vector<std::string>& constant_names();  // sorted, for "did you mean"

std::optional<std::uint16_t> errno_value(const std::string& name);  // "EPERM" -> 1
const std::vector<std::string>& errno_names();

}  // namespace nono
