// compiler/linux_uapi: the Linux headers the compiler is built with where the system has
// none (macOS). Every numeric #define there must equal the real header's value on this
// Linux. Their structs' layout and their completeness are checked by compiling with them
// (tests/support/linux_uapi_layout.cpp, the nono_linux_uapi_check target).
#include <doctest/doctest.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/net.h>
#include <linux/seccomp.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>

namespace {

#define NONO_REAL(name) {#name, static_cast<std::uint64_t>(name)}

const std::map<std::string, std::uint64_t> kReal = {
    NONO_REAL(AUDIT_ARCH_AARCH64),
    NONO_REAL(AUDIT_ARCH_ARM),
    NONO_REAL(AUDIT_ARCH_I386),
    NONO_REAL(AUDIT_ARCH_LOONGARCH64),
    NONO_REAL(AUDIT_ARCH_MIPSEL64),
    NONO_REAL(AUDIT_ARCH_PPC64),
    NONO_REAL(AUDIT_ARCH_PPC64LE),
    NONO_REAL(AUDIT_ARCH_RISCV64),
    NONO_REAL(AUDIT_ARCH_S390X),
    NONO_REAL(AUDIT_ARCH_X86_64),
    NONO_REAL(BPF_LD),
    NONO_REAL(BPF_LDX),
    NONO_REAL(BPF_ST),
    NONO_REAL(BPF_STX),
    NONO_REAL(BPF_ALU),
    NONO_REAL(BPF_JMP),
    NONO_REAL(BPF_RET),
    NONO_REAL(BPF_MISC),
    NONO_REAL(BPF_W),
    NONO_REAL(BPF_H),
    NONO_REAL(BPF_B),
    NONO_REAL(BPF_IMM),
    NONO_REAL(BPF_ABS),
    NONO_REAL(BPF_IND),
    NONO_REAL(BPF_MEM),
    NONO_REAL(BPF_LEN),
    NONO_REAL(BPF_MSH),
    NONO_REAL(BPF_ADD),
    NONO_REAL(BPF_SUB),
    NONO_REAL(BPF_MUL),
    NONO_REAL(BPF_DIV),
    NONO_REAL(BPF_OR),
    NONO_REAL(BPF_AND),
    NONO_REAL(BPF_LSH),
    NONO_REAL(BPF_RSH),
    NONO_REAL(BPF_NEG),
    NONO_REAL(BPF_MOD),
    NONO_REAL(BPF_XOR),
    NONO_REAL(BPF_JA),
    NONO_REAL(BPF_JEQ),
    NONO_REAL(BPF_JGT),
    NONO_REAL(BPF_JGE),
    NONO_REAL(BPF_JSET),
    NONO_REAL(BPF_K),
    NONO_REAL(BPF_X),
    NONO_REAL(BPF_MAXINSNS),
    NONO_REAL(BPF_A),
    NONO_REAL(BPF_TAX),
    NONO_REAL(BPF_TXA),
    NONO_REAL(BPF_MEMWORDS),
    NONO_REAL(SYS_SOCKET),
    NONO_REAL(SYS_BIND),
    NONO_REAL(SYS_CONNECT),
    NONO_REAL(SYS_LISTEN),
    NONO_REAL(SYS_ACCEPT),
    NONO_REAL(SYS_GETSOCKNAME),
    NONO_REAL(SYS_GETPEERNAME),
    NONO_REAL(SYS_SOCKETPAIR),
    NONO_REAL(SYS_SEND),
    NONO_REAL(SYS_RECV),
    NONO_REAL(SYS_SENDTO),
    NONO_REAL(SYS_RECVFROM),
    NONO_REAL(SYS_SHUTDOWN),
    NONO_REAL(SYS_SETSOCKOPT),
    NONO_REAL(SYS_GETSOCKOPT),
    NONO_REAL(SYS_SENDMSG),
    NONO_REAL(SYS_RECVMSG),
    NONO_REAL(SYS_ACCEPT4),
    NONO_REAL(SYS_RECVMMSG),
    NONO_REAL(SYS_SENDMMSG),
    NONO_REAL(SECCOMP_RET_KILL_PROCESS),
    NONO_REAL(SECCOMP_RET_KILL_THREAD),
    NONO_REAL(SECCOMP_RET_TRAP),
    NONO_REAL(SECCOMP_RET_ERRNO),
    NONO_REAL(SECCOMP_RET_USER_NOTIF),
    NONO_REAL(SECCOMP_RET_TRACE),
    NONO_REAL(SECCOMP_RET_LOG),
    NONO_REAL(SECCOMP_RET_ALLOW),
    NONO_REAL(SECCOMP_RET_ACTION_FULL),
    NONO_REAL(SECCOMP_RET_ACTION),
    NONO_REAL(SECCOMP_RET_DATA),
};

#undef NONO_REAL

// NAME -> value of every `#define NAME NUMBER` in the copies.
std::map<std::string, std::uint64_t> copied_values() {
    std::map<std::string, std::uint64_t> out;
    const std::regex define(R"(^#define\s+([A-Z][A-Z0-9_]*)\s+(0x[0-9a-fA-F]+|[0-9]+)U?\b.*)");
    for (const char* file : {"audit.h", "bpf_common.h", "filter.h", "net.h", "seccomp.h"}) {
        std::ifstream in(std::string(NONO_REPO_DIR) + "/compiler/linux_uapi/linux/" + file);
        REQUIRE(in);
        for (std::string line; std::getline(in, line);) {
            std::smatch m;
            if (std::regex_match(line, m, define)) out[m[1]] = std::strtoull(m[2].str().c_str(), nullptr, 0);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("linux_uapi: the copied Linux header values equal this Linux's headers") {
    const auto copied = copied_values();
    CHECK(copied.size() == kReal.size());
    for (const auto& [name, value] : kReal) {
        CAPTURE(name);
        REQUIRE(copied.count(name));
        CHECK(copied.at(name) == value);
    }
}
