// The seccomp emitter, checked by running its programs in the interpreter against the IR's
// own meaning (ir_decide), and against the kernel's constant-action cache rule.
#include <doctest/doctest.h>

#include <linux/audit.h>

#include <bit>
#include <cmath>
#include <fstream>
#include <random>

#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/emitters/seccomp/interpret.hpp"
#include "compiler/optimize.hpp"
#include "tests/support/seccomp_reference.hpp"

using namespace nono;
using ir::Action;
using ir::Arch;
using ir::ArgCheck;
using Op = ir::ArgCheck::Op;

namespace {

const Action kAllow{Action::Kind::Allow, 0};
const Action kEperm{Action::Kind::Errno, 1};
const Action kKill{Action::Kind::KillProcess, 0};

seccomp_data call(Arch arch, std::uint32_t nr, std::vector<std::uint64_t> args = {}) {
    seccomp_data d{};
    d.nr = static_cast<int>(nr);
    d.arch = ir::audit_arch(arch);
    for (std::size_t i = 0; i < args.size(); ++i) d.args[i] = args[i];
    return d;
}

std::uint32_t run(const std::vector<sock_filter>& program, const seccomp_data& d) {
    return seccomp::run_filter(program, d).result;
}

std::vector<std::string> birdcage_list() {
    std::ifstream in(std::string(NONO_REPO_DIR) + "/bench/data/birdcage-allowlist-291.txt");
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') names.push_back(line);
    return names;
}

ir::SyscallTable birdcage_table() {
    auto t = testing::make_table(Arch::X86_64, {Action::Kind::Errno, EACCES});
    for (const auto& name : birdcage_list()) testing::allow(t, name);
    return t;
}

}  // namespace

TEST_CASE("coalescing covers every number and merges equal neighbours") {
    auto t = testing::make_table(Arch::X86_64, kEperm);
    t.decisions[0] = {{}, kAllow, {}};
    t.decisions[1] = {{}, kAllow, {}};
    t.decisions[5] = {{}, kEperm, {}};  // same as the default: merges with the gaps around it
    t.decisions[0xffffffff] = {{}, kKill, {}};
    const ir::SyscallRanges ranges = coalesce_syscall_ranges(t);
    REQUIRE(ranges.size() == 3);
    CHECK(ranges[0].first == 0);
    CHECK(ranges[0].last == 1);
    CHECK(ranges[1].first == 2);
    CHECK(ranges[1].last == 0xfffffffe);
    CHECK(ranges[1].decision.otherwise == kEperm);
    CHECK(ranges[2].first == 0xffffffff);
}

TEST_CASE("the birdcage allowlist: every decision right, every allowed number cached, short paths") {
    const auto table = birdcage_table();
    const auto ranges = coalesce_syscall_ranges(table);
    const auto program = seccomp::emit_seccomp(table, ranges);
    REQUIRE_FALSE(seccomp::check_program(program).has_value());
    CHECK(program.size() <= 60);
    const unsigned bound = std::bit_width(ranges.size() - 1) + 5;  // ⌈log2(ranges)⌉ + 5
    unsigned allowed = 0;
    for (std::uint32_t nr = 0; nr < 1024; ++nr) {
        const auto d = call(Arch::X86_64, nr);
        const auto result = seccomp::run_filter(program, d);
        CHECK(result.result == seccomp::return_value(testing::ir_decide(table, d)));
        CHECK(result.executed <= bound);
        const bool is_allowed = table.decisions.count(nr) > 0;
        allowed += is_allowed;
        CHECK(seccomp::is_const_allow(program, AUDIT_ARCH_X86_64, nr) == is_allowed);
        CHECK_FALSE(seccomp::is_const_allow(program, AUDIT_ARCH_I386, nr));
    }
    CHECK(allowed == 291);
    // x32 numbers are refused as a foreign ABI; -1 (a tracer's skipped call) takes the default.
    CHECK(run(program, call(Arch::X86_64, 0x40000000 + 59)) == SECCOMP_RET_KILL_PROCESS);
    CHECK(run(program, call(Arch::X86_64, 0xfffffffe)) == SECCOMP_RET_KILL_PROCESS);
    CHECK(run(program, call(Arch::X86_64, 0xffffffff)) == (SECCOMP_RET_ERRNO | EACCES));
    CHECK(run(program, call(Arch::I386, 0)) == SECCOMP_RET_KILL_PROCESS);
}

TEST_CASE("x32 filters refuse native numbers — a uniform table needs no search") {
    auto t = testing::make_table(Arch::X32, kEperm);
    testing::allow(t, "read");
    const auto program = seccomp::emit_seccomp(t, coalesce_syscall_ranges(t));
    CHECK(run(program, call(Arch::X32, 0x40000000)) == SECCOMP_RET_ALLOW);  // read
    CHECK(run(program, call(Arch::X32, 0)) == SECCOMP_RET_KILL_PROCESS);
    CHECK(run(program, call(Arch::X32, 0x40000001)) == (SECCOMP_RET_ERRNO | 1));

    auto everything = testing::make_table(Arch::Aarch64, kAllow);
    const auto short_program = seccomp::emit_seccomp(everything, coalesce_syscall_ranges(everything));
    CHECK(short_program.size() == 4);  // ld arch, jeq, ret kill, ret allow
    CHECK(run(short_program, call(Arch::Aarch64, 1234)) == SECCOMP_RET_ALLOW);
    CHECK(seccomp::is_const_allow(short_program, AUDIT_ARCH_AARCH64, 1234));
}

TEST_CASE("argument checks keep 64-bit meaning — on i386 the high word is zero") {
    const std::uint64_t values[] = {0, 1, 5, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                                    0x100000005, 0xffffffff00000000, 0xfffffffffffffffe, ~0ull};
    for (Arch arch : {Arch::X86_64, Arch::I386}) {
        for (Op op : {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::MaskedEq}) {
            for (std::uint64_t value : values) {
                for (std::uint64_t mask : {~0ull, 0xfull, 0x100000000ull, 0xffffffff00000000ull, 0x80ull}) {
                    if (op != Op::MaskedEq && mask != ~0ull) continue;
                    CAPTURE(ir::arch_name(arch));
                    CAPTURE(static_cast<int>(op));
                    CAPTURE(value);
                    CAPTURE(mask);
                    auto t = testing::make_table(arch, kEperm);
                    ir::CondRule rule{{ArgCheck{2, op, op == Op::MaskedEq ? value & mask : value, mask}}, kAllow, {}};
                    t.decisions[3] = {{rule}, kKill, {}};
                    const auto program = seccomp::emit_seccomp(t, coalesce_syscall_ranges(t));
                    REQUIRE_FALSE(seccomp::check_program(program).has_value());
                    for (std::uint64_t probe : values) {
                        for (std::uint64_t arg : {probe, probe - 1, probe + 1}) {
                            if (arch == Arch::I386) arg &= 0xffffffff;
                            const auto d = call(arch, 3, {0, 0, arg});
                            CHECK(run(program, d) == seccomp::return_value(testing::ir_decide(t, d)));
                        }
                    }
                }
            }
        }
    }
}

TEST_CASE("the first matching rule decides, and a failed test on a word leaves it loaded") {
    auto t = testing::make_table(Arch::X86_64, kEperm);
    const auto ioctl = testing::number_of(t, "ioctl");
    ir::SyscallDecision d{{}, kAllow, {}};
    for (std::uint64_t request : {0x5412ull, 0x541cull, 0x5413ull})  // TIOCSTI, TIOCLINUX, TIOCGWINSZ
        d.rules.push_back({{ArgCheck{1, Op::MaskedEq, request, 0xffffffff}}, request == 0x5413 ? kAllow : kEperm, {}});
    t.decisions[ioctl] = d;
    const auto program = seccomp::emit_seccomp(t, coalesce_syscall_ranges(t));
    CHECK(run(program, call(Arch::X86_64, ioctl, {1, 0x5412})) == (SECCOMP_RET_ERRNO | 1));
    CHECK(run(program, call(Arch::X86_64, ioctl, {1, 0xdead00005412})) == (SECCOMP_RET_ERRNO | 1));
    CHECK(run(program, call(Arch::X86_64, ioctl, {1, 0x5401})) == SECCOMP_RET_ALLOW);
    CHECK_FALSE(seccomp::is_const_allow(program, AUDIT_ARCH_X86_64, ioctl));
    // Falling through three one-word tests on arg1 costs one load and three compares: the
    // failed rules' loads are jumped over.
    const auto first_rule = seccomp::run_filter(program, call(Arch::X86_64, ioctl, {1, 0x5412}));
    const auto no_rule = seccomp::run_filter(program, call(Arch::X86_64, ioctl, {1, 0x5401}));
    CHECK(no_rule.executed == first_rule.executed + 2);
    // …and the loads jumped over are not in the program.
    unsigned loads = 0;
    for (const auto& insn : program)
        loads += insn.code == (BPF_LD | BPF_W | BPF_ABS) && insn.k == offsetof(seccomp_data, args) + 8;
    CHECK(loads == 1);
}

TEST_CASE("far jumps go through trampolines — oversized programs are refused") {
    std::mt19937 random(7);
    auto t = testing::make_table(Arch::X86_64, kEperm);
    for (std::uint32_t nr = 0; nr < 300; nr += 2) {
        ir::SyscallDecision d{{}, kEperm, {}};
        d.rules.push_back({{ArgCheck{0, Op::Eq, random() % 1000, ~0ull}}, kAllow, {}});
        d.rules.push_back({{ArgCheck{1, Op::Gt, random(), ~0ull}}, kKill, {}});
        t.decisions[nr] = d;
    }
    const auto program = seccomp::emit_seccomp(t, coalesce_syscall_ranges(t));
    REQUIRE(program.size() > 256);
    REQUIRE_FALSE(seccomp::check_program(program).has_value());
    bool trampoline = false;
    for (const auto& insn : program) trampoline |= insn.code == (BPF_JMP | BPF_JA);
    CHECK(trampoline);
    for (std::uint32_t nr = 0; nr < 302; ++nr)
        for (std::uint64_t a0 : {0ull, 5ull, 999ull})
            for (std::uint64_t a1 : {0ull, 1ull << 31, ~0ull}) {
                const auto d = call(Arch::X86_64, nr, {a0, a1});
                CHECK(run(program, d) == seccomp::return_value(testing::ir_decide(t, d)));
            }

    auto huge = testing::make_table(Arch::X86_64, kEperm);
    for (std::uint32_t nr = 0; nr < 1000; ++nr) {
        ir::SyscallDecision d{{}, kEperm, {}};
        for (std::uint64_t v = 0; v < 3; ++v) d.rules.push_back({{ArgCheck{0, Op::Eq, nr * 7 + v, ~0ull}}, kAllow, {}});
        huge.decisions[nr] = d;
    }
    CHECK_THROWS_WITH_AS(seccomp::emit_seccomp(huge, coalesce_syscall_ranges(huge)),
                         doctest::Contains("the kernel accepts at most 4096"), seccomp::EmitError);
}

TEST_CASE("weights beyond the search's 32-bit costs take the balanced tree, as exact") {
    // A names table reaching near 2^32 makes billions of numbers plausible: no cost of
    // the search would fit its cells.
    static const ir::SyscallName far_names[] = {{0, "first"}, {0xfffffff0u, "last"}};
    auto t = testing::make_table(Arch::X86_64, kEperm);
    t.names = far_names;
    const std::vector<std::uint32_t> numbers{0, 1, 2, 5, 9, 40, 41, 300, 0x1000, 0x3ffffff0};
    for (std::size_t i = 0; i < numbers.size(); ++i) t.decisions[numbers[i]] = {{}, i % 2 ? kKill : kAllow, {}};
    const auto program = seccomp::emit_seccomp(t, coalesce_syscall_ranges(t));
    REQUIRE_FALSE(seccomp::check_program(program).has_value());
    for (std::uint32_t nr : numbers)
        for (std::uint32_t probe : {nr - 1, nr, nr + 1}) {
            const auto d = call(Arch::X86_64, probe);
            CHECK(run(program, d) == seccomp::return_value(testing::ir_decide(t, d)));
        }
    for (std::uint32_t nr : {0x40000000u, 0x40000001u, 0xfffffff0u, 0xffffffffu}) {
        const auto d = call(Arch::X86_64, nr);
        CHECK(run(program, d) == seccomp::return_value(testing::ir_decide(t, d)));
    }
}

TEST_CASE("tables the emitter cannot take are refused with a reason") {
    auto t = testing::make_table(Arch::X86_64, kEperm);
    t.decisions[1] = {{{{ArgCheck{6, Op::Eq, 0, ~0ull}}, kAllow, {}}}, kEperm, {}};
    CHECK_THROWS_WITH_AS(seccomp::emit_seccomp(t, coalesce_syscall_ranges(t)), doctest::Contains("argument index 6"),
                         seccomp::EmitError);
    t.decisions[1] = {{}, {Action::Kind::Errno, 5000}, {}};
    CHECK_THROWS_WITH_AS(seccomp::emit_seccomp(t, coalesce_syscall_ranges(t)), doctest::Contains("errno 5000"),
                         seccomp::EmitError);
}

TEST_CASE("the interpreter's admission check refuses what the kernel refuses") {
    const sock_filter ret = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    CHECK(seccomp::check_program({}).value() == "the program is empty");
    const std::vector<sock_filter> out_of_range = {BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), ret};
    CHECK(seccomp::check_program(out_of_range).value() == "instruction 0: jumps past the end of the program");
    const std::vector<sock_filter> bad_load = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), ret};
    CHECK(seccomp::check_program(bad_load).value().find("outside seccomp_data") != std::string::npos);
    const std::vector<sock_filter> bad_opcode = {BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0), ret};
    CHECK(seccomp::check_program(bad_opcode).value().find("opcode 0x0050") != std::string::npos);
    const std::vector<sock_filter> no_ret = {ret, BPF_STMT(BPF_LD | BPF_IMM, 0)};
    CHECK(seccomp::check_program(no_ret).value() == "the last instruction is not a return");
    const std::vector<sock_filter> unwritten = {BPF_STMT(BPF_LD | BPF_MEM, 3), ret};
    CHECK(seccomp::check_program(unwritten).value().find("before it is written") != std::string::npos);
}
