// Differential tests against libseccomp. The kernel's syscall tables (compiler/syscall_tables)
// name every number libseccomp knows as it does. The same syscall table compiled by nono
// and by libseccomp, both run in the interpreter, must decide every call alike: every architecture, numbers 0-1023, the
// x32 range and above, foreign architectures, and argument values at and around every
// condition's boundary. Tables are random (fixed seeds) within what libseccomp can state
// and gets right: libseccomp 2.5.4 mis-merges several rules with range comparisons
// (<, <=, >, >=) on one syscall (e.g. rules `arg2 > 0x9abcdbff4fc09562` and
// `arg2 <= 0xa35918f80cac64c5`, both kill-thread: it allows arg2 = 0xa35918f80cac64c6),
// and likewise several rules with != (aarch64: rules `arg0 != 1` and `arg4 == 0xe862303274b52518
// && arg0 != 0x7f`, both kill: it kills arg0 = 1, arg4 = 0), and on the 32-bit ABIs several
// rules with masked == (i386: `arg1 == 0x7f && (arg5 & 0xa71b0142) == 2` and another, both
// kill: it logs arg1 = 0x7f, arg5 = 2). So range comparisons and != appear here in
// single-rule decisions only, and several rules use ==, or masked == on 64-bit ABIs. The
// rest is checked against the IR itself in seccomp_emit_test.cpp; in every disagreement
// seen while writing this test (bar one trampoline bug, fixed) nono agreed with the IR.
#include <doctest/doctest.h>

#include <linux/audit.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <random>
#include <set>

#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/emitters/seccomp/interpret.hpp"
#include "compiler/optimize.hpp"
#include "compiler/syscalls.hpp"
#include "tests/support/seccomp_reference.hpp"

using namespace nono;
using ir::Action;
using ir::Arch;
using ir::ArgCheck;
using Op = ir::ArgCheck::Op;

namespace {

// On 32-bit ABIs (i386, and x32 as libseccomp models it) libseccomp compares the low word
// only, so values there stay within 32 bits; the 64-bit cases are covered for x86_64 and
// aarch64 here and for every architecture against the IR in seccomp_emit_test.cpp.
bool narrow(Arch arch) { return arch == Arch::I386 || arch == Arch::X32; }

Action random_action(std::mt19937& random) {
    switch (random() % 6) {
        case 0: return {Action::Kind::Allow, 0};
        case 1: return {Action::Kind::Errno, static_cast<std::uint16_t>(1 + random() % 4095)};
        case 2: return {Action::Kind::KillProcess, 0};
        case 3: return {Action::Kind::KillThread, 0};
        case 4: return {Action::Kind::Trap, 0};
        default: return {Action::Kind::Log, 0};
    }
}

std::uint64_t random_value(std::mt19937_64& random, bool narrow) {
    static const std::uint64_t interesting[] = {0, 1, 2, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
                                                0x100000000, 0x1ffffffff, 0x8000000000000000, ~0ull};
    const std::uint64_t v = random() % 2 ? interesting[random() % std::size(interesting)] : random();
    return narrow ? v & 0xffffffff : v;
}

// A numbers libseccomp rewrites on i386 (the socketcall and ipc multiplexers and their
// direct calls) are left out: libseccomp adds rules for both forms.
bool rewritten_by_libseccomp(Arch arch, std::uint32_t nr) {
    return arch == Arch::I386 && (nr == 102 || nr == 117 || (nr >= 359 && nr <= 373) || (nr >= 393 && nr <= 402));
}

// libseccomp refuses some rules (EFAULT for some numbers and impossible comparisons).
bool libseccomp_takes(Arch arch, std::uint32_t nr, const ir::SyscallDecision& d, Action default_action) {
    auto alone = testing::make_table(arch, default_action);
    alone.decisions[nr] = d;
    try {
        testing::libseccomp_filter(alone, 2);
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

// `libseccomp_form`: only what libseccomp can state and gets right (see the top); otherwise
// anything the IR can hold, with 64-bit values on every ABI.
ir::SyscallTable random_table(Arch arch, std::mt19937& random, std::mt19937_64& random64, bool libseccomp_form) {
    const bool narrow_values = libseccomp_form && narrow(arch);
    const std::uint32_t bias = ir::syscall_number_bias(arch);
    auto t = testing::make_table(arch, random_action(random));
    if (!libseccomp_form) t.unknown_action = random_action(random);
    do t.bad_arch_action = random_action(random);
    while (t.bad_arch_action.kind == Action::Kind::Allow);
    const unsigned count = random() % 3 == 0 ? 400 : 1 + random() % 60;
    for (unsigned i = 0; i < count; ++i) {
        const std::uint32_t nr = bias + random() % 1024;
        if (libseccomp_form && rewritten_by_libseccomp(arch, nr)) continue;
        ir::SyscallDecision d{{}, random_action(random), {}};
        if (random() % 4 == 0) {
            if (libseccomp_form) d.otherwise = t.default_action;
            Action action;
            do action = random_action(random);
            while (action == d.otherwise);
            const unsigned rules = 1 + random() % 3;
            for (unsigned r = rules; r > 0; --r) {
                if (!libseccomp_form) action = random_action(random);
                ir::CondRule rule{{}, action, {}};
                std::vector<std::uint8_t> args = {0, 1, 2, 3, 4, 5};
                std::shuffle(args.begin(), args.end(), random);
                for (unsigned c = 1 + random() % 3; c > 0; --c) {
                    const Op op = rules == 1 || !libseccomp_form  ? static_cast<Op>(random() % 7)
                                  : narrow(arch) || random() % 2 ? Op::Eq
                                                                 : Op::MaskedEq;
                    const std::uint64_t mask = op == Op::MaskedEq ? random_value(random64, narrow_values) : ~0ull;
                    const std::uint64_t value = random_value(random64, narrow_values) & mask;
                    rule.checks.push_back({args[c], op, value, mask});
                }
                d.rules.push_back(rule);
            }
        } else if (d.otherwise == t.default_action) {
            continue;
        }
        if (libseccomp_form && !libseccomp_takes(arch, nr, d, t.default_action)) continue;
        t.decisions[nr] = d;
    }
    return t;
}

// Argument vectors at and around the boundaries of a decision's checks: each check's
// value, ±1, with the other word flipped, alone and with the rest of its rule satisfied.
std::vector<std::array<std::uint64_t, 6>> boundary_args(const ir::SyscallDecision& d, bool narrow) {
    auto satisfying = [](const ArgCheck& c) -> std::uint64_t {
        switch (c.op) {
            case Op::Eq:
            case Op::Ge:
            case Op::Le:
            case Op::MaskedEq: return c.value;
            case Op::Ne: return c.value + 1;
            case Op::Lt: return c.value - 1;
            case Op::Gt: return c.value + 1;
        }
        return 0;
    };
    std::vector<std::array<std::uint64_t, 6>> out = {{}};
    for (const auto& rule : d.rules) {
        std::array<std::uint64_t, 6> base{};
        for (const auto& c : rule.checks) base[c.arg] = satisfying(c);
        out.push_back(base);
        for (const auto& c : rule.checks) {
            for (std::uint64_t v : {c.value - 1, c.value, c.value + 1, c.value ^ 0x100000000, c.value ^ 0xffffffff,
                                    c.mask, ~c.mask, c.value | ~c.mask}) {
                for (bool alone : {false, true}) {
                    auto args = alone ? std::array<std::uint64_t, 6>{} : base;
                    args[c.arg] = v;
                    out.push_back(args);
                }
            }
        }
    }
    if (narrow)
        for (auto& args : out)
            for (auto& a : args) a &= 0xffffffff;
    return out;
}

struct Disagreement {
    seccomp_data call;
    std::uint32_t ours, theirs, oracle;
};

// Runs our program and a reference over every number and argument vector the table makes
// interesting. `narrow_args`: argument high words are 0 (what libseccomp assumes on 32-bit
// ABIs, and what the kernel passes on i386).
std::vector<Disagreement> compare(const ir::SyscallTable& t, const std::vector<sock_filter>& ours,
                                  const std::function<std::uint32_t(const seccomp_data&)>& reference,
                                  bool narrow_args) {
    std::set<std::uint32_t> numbers;
    for (std::uint32_t nr = 0; nr < 1024; ++nr) numbers.insert(nr), numbers.insert(0x40000000 + nr);
    for (std::uint32_t nr : {0x3fffffffu, 0x40000400u, 0x7fffffffu, 0x80000000u, 0xbfffffffu, 0xfffffffeu, 0xffffffffu})
        numbers.insert(nr);
    const std::uint32_t arches[] = {ir::audit_arch(t.arch), AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, AUDIT_ARCH_AARCH64,
                                    AUDIT_ARCH_ARM, 0};
    std::vector<Disagreement> found;
    for (std::uint32_t arch : arches) {
        for (std::uint32_t nr : numbers) {
            const auto it = t.decisions.find(nr);
            const auto arg_sets = it != t.decisions.end() && arch == ir::audit_arch(t.arch)
                                      ? boundary_args(it->second, narrow_args)
                                      : std::vector<std::array<std::uint64_t, 6>>{{}};
            for (const auto& args : arg_sets) {
                seccomp_data d{};
                d.nr = static_cast<int>(nr);
                d.arch = arch;
                std::copy(args.begin(), args.end(), d.args);
                const auto a = seccomp::run_filter(ours, d).result, b = reference(d);
                if (a != b) found.push_back({d, a, b, seccomp::return_value(testing::ir_decide(t, d))});
            }
        }
    }
    return found;
}

}  // namespace

TEST_CASE("the kernel's syscall tables name every number libseccomp knows as libseccomp does") {
    for (Arch arch : ir::kAllArches) {
        const std::uint32_t bias = ir::syscall_number_bias(arch);
        const auto names = syscall_names(arch);
        std::uint32_t libseccomp_newest = 0;
        for (std::uint32_t nr = bias; nr < bias + 1024; ++nr) {
            char* theirs = seccomp_syscall_resolve_num_arch(testing::scmp_arch(arch), static_cast<int>(nr));
            if (!theirs) continue;
            const auto ours = std::find_if(names.begin(), names.end(), [&](const ir::SyscallName& n) { return n.nr == nr; });
            INFO(ir::arch_name(arch), " number ", nr - bias, ": libseccomp says ", theirs);
            CHECK((ours != names.end() && ours->name == theirs));
            libseccomp_newest = nr;
            std::free(theirs);
        }
        // The kernel's tables reach further than libseccomp 2.5.4's (456).
        CHECK(names.back().nr >= libseccomp_newest);
        CHECK(syscall_number(arch, "open_tree_attr") == bias + 467);
        CHECK(syscall_number(arch, "file_setattr") == bias + 469);
    }
    CHECK(syscall_number(Arch::X86_64, "uretprobe") == 335u);
    CHECK_FALSE(syscall_number(Arch::I386, "uretprobe").has_value());
}

TEST_CASE("nono and libseccomp decide alike on random tables for every architecture") {
    std::mt19937 random(20261129);
    std::mt19937_64 random64(5);
    std::size_t tables = 0, disagreements = 0;
    for (Arch arch : ir::kAllArches) {
        for (int round = 0; round < 12; ++round) {
            const auto table = random_table(arch, random, random64, true);
            const auto ours = seccomp::emit_seccomp(table, coalesce_syscall_ranges(table));
            REQUIRE_FALSE(seccomp::check_program(ours).has_value());
            for (int optimize : {1, 2}) {
                const auto theirs = testing::libseccomp_filter(table, optimize);
                REQUIRE_FALSE(seccomp::check_program(theirs).has_value());
                const auto found = compare(
                    table, ours, [&](const seccomp_data& d) { return seccomp::run_filter(theirs, d).result; },
                    narrow(arch));
                for (const auto& f : found) {
                    if (&f - found.data() >= 3) break;
                    char text[300];
                    std::snprintf(text, sizeof text,
                                  "%s table %d optimize %d: arch %#x nr %#x args %#llx %#llx %#llx %#llx %#llx %#llx: "
                                  "nono %#x, libseccomp %#x, IR %#x",
                                  std::string(ir::arch_name(arch)).c_str(), round, optimize, f.call.arch, f.call.nr,
                                  f.call.args[0], f.call.args[1], f.call.args[2], f.call.args[3], f.call.args[4],
                                  f.call.args[5], f.ours, f.theirs, f.oracle);
                    FAIL_CHECK(text);
                }
                disagreements += found.size();
            }
            ++tables;
        }
    }
    CHECK(tables == 48);
    CHECK(disagreements == 0);
}

TEST_CASE("nono decides as the IR says on random tables libseccomp cannot state") {
    std::mt19937 random(77);
    std::mt19937_64 random64(78);
    std::size_t disagreements = 0;
    for (Arch arch : ir::kAllArches) {
        for (int round = 0; round < 8; ++round) {
            const auto table = random_table(arch, random, random64, false);
            const auto ours = seccomp::emit_seccomp(table, coalesce_syscall_ranges(table));
            REQUIRE_FALSE(seccomp::check_program(ours).has_value());
            const auto found = compare(
                table, ours, [&](const seccomp_data& d) { return seccomp::return_value(testing::ir_decide(table, d)); },
                arch == Arch::I386);
            for (const auto& f : found) {
                if (&f - found.data() >= 3) break;
                FAIL_CHECK(ir::arch_name(arch) << " table " << round << " nr " << f.call.nr << ": nono " << f.ours
                                               << ", IR " << f.oracle);
            }
            disagreements += found.size();
        }
    }
    CHECK(disagreements == 0);
}
