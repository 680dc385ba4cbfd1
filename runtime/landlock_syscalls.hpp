// The Landlock syscalls (Linux only): the kernel interface of landlock_abi.hpp, called.
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "plan/landlock_abi.hpp"

namespace nono::landlock {

// Syscall numbers are the same on every architecture (the generic table).
inline constexpr long kSysCreateRuleset = 444;
inline constexpr long kSysAddRule = 445;
inline constexpr long kSysRestrictSelf = 446;

inline int create_ruleset(const RulesetAttr* attr, std::size_t size, std::uint32_t flags) {
    return static_cast<int>(::syscall(kSysCreateRuleset, attr, size, flags));
}
inline int add_rule(int ruleset_fd, int rule_type, const void* rule_attr, std::uint32_t flags) {
    return static_cast<int>(::syscall(kSysAddRule, ruleset_fd, rule_type, rule_attr, flags));
}
inline int restrict_self(int ruleset_fd, std::uint32_t flags) {
    return static_cast<int>(::syscall(kSysRestrictSelf, ruleset_fd, flags));
}

// The ABI the running kernel speaks: 0 when Landlock is absent or disabled.
inline int probe_abi() {
    int abi = create_ruleset(nullptr, 0, kCreateRulesetVersion);
    return abi < 0 ? 0 : abi;
}

}  // namespace nono::landlock
