// Well-known constant names for syscall conditions (TIOCSTI, AF_UNIX, CLONE_NEWUSER, …)
// and errno names, with Linux's values (constants.cpp: the same on every build host).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nono {

std::optional<std::uint64_t> constant_value(const std::string& name);
const std::vector<std::string>& constant_names();  // sorted, for "did you mean"

std::optional<std::uint16_t> errno_value(const std::string& name);  // "EPERM" -> 1
std::optional<std::string> errno_name(std::uint16_t value);          // 11 -> "EAGAIN"
const std::vector<std::string>& errno_names();

}  // namespace nono
