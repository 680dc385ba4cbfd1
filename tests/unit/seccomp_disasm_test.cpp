// The disassembler and the "seccomp" target: raw programs read back and printed with
// architectures, syscall names and actions, whoever emitted them.
#include <doctest/doctest.h>

#include <cstring>

#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/emitters/seccomp/seccomp_target.hpp"
#include "compiler/optimize.hpp"
#include "tests/support/seccomp_reference.hpp"

using namespace nono;
using ir::Action;
using ir::Arch;

namespace {

ir::SyscallTable small_table(Arch arch) {
    auto t = testing::make_table(arch, {Action::Kind::Errno, EPERM});
    for (const char* name : {"read", "write", "openat", "exit_group"}) testing::allow(t, name);
    ir::SyscallDecision ioctl{{}, {Action::Kind::Errno, EPERM}, {}};
    ioctl.rules.push_back({{ir::ArgCheck{1, ir::ArgCheck::Op::MaskedEq, 0x5401, 0xffffffff}},
                           {Action::Kind::Allow, 0},
                           {{"p.nono", 7, 3}, "allow syscall ioctl if arg1 == TCGETS"}});
    t.decisions[testing::number_of(t, "ioctl")] = ioctl;
    return t;
}

std::string bytes_of(const std::vector<sock_filter>& program) {
    return {reinterpret_cast<const char*>(program.data()), program.size() * sizeof(sock_filter)};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("our programs and libseccomp's read back and print with names") {
    for (Arch arch : {Arch::X86_64, Arch::Aarch64}) {
        const auto t = small_table(arch);
        const auto ours = seccomp::emit_seccomp(t, coalesce_syscall_ranges(t));
        for (const auto& program : {ours, testing::libseccomp_filter(t, 2)}) {
            const auto back = seccomp::read_program(bytes_of(program));
            REQUIRE(back.size() == program.size());
            CHECK(std::memcmp(back.data(), program.data(), bytes_of(program).size()) == 0);
            const auto text = seccomp::disassemble(back);
            CAPTURE(text);
            CHECK(has(text, "; " + std::string(ir::arch_name(arch))));
            // The summary: every allowed name with its destination.
            CHECK(has(text, "; " + std::string(ir::arch_name(arch)) + " syscalls by where the dispatch sends them:"));
            const auto allow_line = text.substr(text.find(" allow:"));
            for (const char* name : {" read", " write", " openat", " exit_group"}) CHECK(has(allow_line, name));
            CHECK(has(text, " argument checks: ioctl\n"));
            CHECK(has(text, " others\n"));
            CHECK(has(text, "; arg1 (low)"));
            CHECK(has(text, "; errno EPERM"));
            CHECK(has(text, "; allow"));
        }
    }
    // The same program without its arch check only gets names from the fallback.
    const std::vector<sock_filter> bare = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
                                           BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 59, 0, 1),
                                           BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
                                           BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    CHECK_FALSE(has(seccomp::disassemble(bare), "execve"));
    CHECK(has(seccomp::disassemble(bare, Arch::X86_64), "; execve"));
}

TEST_CASE("bytes that are no seccomp program are refused with the reason") {
    CHECK_THROWS_WITH_AS(seccomp::read_program("0123456789"), doctest::Contains("not a multiple of 8"),
                         seccomp::BadProgram);
    CHECK_THROWS_WITH_AS(seccomp::read_program(""), "the program is empty", seccomp::BadProgram);
    const std::vector<sock_filter> far = {BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 1, 0, 9),
                                          BPF_STMT(BPF_RET | BPF_K, 0)};
    CHECK_THROWS_WITH_AS(seccomp::read_program(bytes_of(far)), "instruction 0: jumps past the end of the program",
                         seccomp::BadProgram);
}

TEST_CASE("the seccomp target writes NAME.bpf and NAME.bpf.txt and reports what it enforces") {
    ir::Policy policy;
    for (Arch arch : ir::kAllArches) policy.syscalls.push_back(small_table(arch));
    const auto& targets = nono::targets();
    const auto target = std::find_if(targets.begin(), targets.end(), [](const Target& t) { return t.name == "seccomp"; });
    REQUIRE(target != targets.end());
    const OptimizedPolicy optimized = optimize(policy);
    const auto out = target->emit(optimized, {"agent", Arch::Aarch64, false});
    REQUIRE(out.artifacts.size() == 2);
    CHECK(out.artifacts[0].file_name == "agent.bpf");
    CHECK(out.artifacts[1].file_name == "agent.bpf.txt");
    const auto program = seccomp::read_program(out.artifacts[0].content);
    CHECK(bytes_of(program) == bytes_of(seccomp::emit_seccomp(policy.syscalls[3], *optimized.ranges(Arch::Aarch64))));
    CHECK(out.artifacts[1].content == seccomp::disassemble(program));
    CHECK(out.fidelity.target == "seccomp");
    CHECK_FALSE(out.fidelity.weaker());
    REQUIRE(out.fidelity.items.size() == 3);
    CHECK(out.fidelity.items[0].what == "aarch64 syscalls: 4 allowed without conditions, default errno EPERM");
    CHECK(out.fidelity.items[1].what == "other architectures: kill");
    CHECK(out.fidelity.items[2].what == "ioctl(): 1 argument rule(s), otherwise errno EPERM");
    CHECK(out.fidelity.items[2].origins.at(0).loc.line == 7);

    CHECK_THROWS_WITH_AS(target->emit(optimize(ir::Policy{}), {"agent", Arch::X86_64, false}),
                         "the policy has no syscall table for x86_64", seccomp::EmitError);
}
