// The Landlock kernel interface, up to ABI 7, written out from the kernel's uapi
// (include/uapi/linux/landlock.h). Debian 12's headers stop at ABI 2, so nono carries
// its own copy of these facts; the names mirror the kernel's, in a namespace. Facts only,
// for the compiler on any system; the calls are in landlock_syscalls.hpp (Linux).
#pragma once

#include <cstdint>

namespace nono::landlock {

// landlock_create_ruleset() flags.
inline constexpr std::uint32_t kCreateRulesetVersion = 1u << 0;
inline constexpr std::uint32_t kCreateRulesetErrata = 1u << 1;

// Rule types.
inline constexpr int kRulePathBeneath = 1;
inline constexpr int kRuleNetPort = 2;  // ABI 4

struct RulesetAttr {
    std::uint64_t handled_access_fs;
    std::uint64_t handled_access_net;  // ABI 4
    std::uint64_t scoped;              // ABI 6
};

struct __attribute__((packed)) PathBeneathAttr {
    std::uint64_t allowed_access;
    std::int32_t parent_fd;
};

struct NetPortAttr {  // ABI 4
    std::uint64_t allowed_access;
    std::uint64_t port;
};

// Filesystem rights, and the ABI that introduced each.
inline constexpr std::uint64_t kAccessFsExecute = 1ull << 0;       // 1
inline constexpr std::uint64_t kAccessFsWriteFile = 1ull << 1;     // 1
inline constexpr std::uint64_t kAccessFsReadFile = 1ull << 2;      // 1
inline constexpr std::uint64_t kAccessFsReadDir = 1ull << 3;       // 1
inline constexpr std::uint64_t kAccessFsRemoveDir = 1ull << 4;     // 1
inline constexpr std::uint64_t kAccessFsRemoveFile = 1ull << 5;    // 1
inline constexpr std::uint64_t kAccessFsMakeChar = 1ull << 6;      // 1
inline constexpr std::uint64_t kAccessFsMakeDir = 1ull << 7;       // 1
inline constexpr std::uint64_t kAccessFsMakeReg = 1ull << 8;       // 1
inline constexpr std::uint64_t kAccessFsMakeSock = 1ull << 9;      // 1
inline constexpr std::uint64_t kAccessFsMakeFifo = 1ull << 10;     // 1
inline constexpr std::uint64_t kAccessFsMakeBlock = 1ull << 11;    // 1
inline constexpr std::uint64_t kAccessFsMakeSym = 1ull << 12;      // 1
inline constexpr std::uint64_t kAccessFsRefer = 1ull << 13;        // 2
inline constexpr std::uint64_t kAccessFsTruncate = 1ull << 14;     // 3
inline constexpr std::uint64_t kAccessFsIoctlDev = 1ull << 15;     // 5

// Network rights (ABI 4).
inline constexpr std::uint64_t kAccessNetBindTcp = 1ull << 0;
inline constexpr std::uint64_t kAccessNetConnectTcp = 1ull << 1;

// Scopes (ABI 6).
inline constexpr std::uint64_t kScopeAbstractUnixSocket = 1ull << 0;
inline constexpr std::uint64_t kScopeSignal = 1ull << 1;

// landlock_restrict_self() flags (ABI 7).
inline constexpr std::uint32_t kRestrictSelfLogSameExecOff = 1u << 0;
inline constexpr std::uint32_t kRestrictSelfLogNewExecOn = 1u << 1;
inline constexpr std::uint32_t kRestrictSelfLogSubdomainsOff = 1u << 2;

// The filesystem rights each ABI knows: index = ABI.
inline constexpr std::uint64_t kFsRightsByAbi[] = {
    0,
    (1ull << 13) - 1,  // 1
    (1ull << 14) - 1,  // 2: + refer
    (1ull << 15) - 1,  // 3: + truncate
    (1ull << 15) - 1,  // 4: network only
    (1ull << 16) - 1,  // 5: + ioctl-dev
    (1ull << 16) - 1,  // 6: scopes only
    (1ull << 16) - 1,  // 7: audit flags only
};
inline constexpr int kNewestKnownAbi = 7;

}  // namespace nono::landlock
