// Reading classic seccomp BPF programs, whoever produced them: the kernel's admission
// check, an interpreter (which also counts the instructions it executes), and the
// kernel's constant-action cache rule. Used by `nonoc disasm`, the tests and bench/.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace nono::seccomp {

// Why the kernel would refuse the program (empty or over 4,096 instructions, an opcode or
// operand seccomp does not accept, a jump out of the program, a last instruction that is
// not RET), naming the instruction; nullopt if it is acceptable.
std::optional<std::string> check_program(std::span<const sock_filter> program);

struct Execution {
    std::uint32_t result = 0;  // the SECCOMP_RET_* value returned
    unsigned executed = 0;     // instructions executed, RET included
};

// Runs a program that check_program accepted on one syscall.
Execution run_filter(std::span<const sock_filter> program, const seccomp_data& data);

// The kernel's seccomp_is_const_allow() (kernel/seccomp.c, Linux 5.11+): whether the
// kernel caches "allow" for (arch, nr) at attach time, so the filter never runs for it.
bool is_const_allow(std::span<const sock_filter> program, std::uint32_t arch, std::uint32_t nr);

}  // namespace nono::seccomp
