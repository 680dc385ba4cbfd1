// Test and benchmark support for the seccomp emitter: syscall tables built by hand (names
// from the compiler's tables, which are the kernel's), and the same table compiled by
// libseccomp, the reference the differential tests and bench/ compare against. Header-only, so bench/ can use it too.
#pragma once

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"
#include "compiler/syscalls.hpp"

namespace nono::testing {

inline std::uint32_t scmp_arch(ir::Arch arch) {
    switch (arch) {
        case ir::Arch::X86_64: return SCMP_ARCH_X86_64;
        case ir::Arch::I386: return SCMP_ARCH_X86;
        case ir::Arch::X32: return SCMP_ARCH_X32;
        case ir::Arch::Aarch64: return SCMP_ARCH_AARCH64;
    }
    return 0;
}

// A table with every known syscall name (numbers biased for x32) and no decisions yet;
// unknown numbers take the default too, as in libseccomp.
inline ir::SyscallTable make_table(ir::Arch arch, ir::Action default_action) {
    ir::SyscallTable t;
    t.arch = arch;
    t.default_action = default_action;
    t.unknown_action = default_action;
    t.names = syscall_names(arch);
    return t;
}

inline std::uint32_t number_of(const ir::SyscallTable& t, const std::string& name) {
    for (const auto& [nr, n] : t.names)
        if (n == name) return nr;
    throw std::invalid_argument("no syscall " + name + " on " + std::string(ir::arch_name(t.arch)));
}

inline void allow(ir::SyscallTable& t, const std::string& name) {
    t.decisions[number_of(t, name)] = {{}, {ir::Action::Kind::Allow, 0}, {}};
}

inline scmp_arg_cmp scmp_check(const ir::ArgCheck& c) {
    using Op = ir::ArgCheck::Op;
    switch (c.op) {
        case Op::Eq: return {c.arg, SCMP_CMP_EQ, c.value, 0};
        case Op::Ne: return {c.arg, SCMP_CMP_NE, c.value, 0};
        case Op::Lt: return {c.arg, SCMP_CMP_LT, c.value, 0};
        case Op::Le: return {c.arg, SCMP_CMP_LE, c.value, 0};
        case Op::Gt: return {c.arg, SCMP_CMP_GT, c.value, 0};
        case Op::Ge: return {c.arg, SCMP_CMP_GE, c.value, 0};
        case Op::MaskedEq: return {c.arg, SCMP_CMP_MASKED_EQ, c.mask, c.value};
    }
    return {};
}

// What the IR says for one call, evaluated directly: the oracle for the emitted programs.
// (On i386 the kernel zero-extends arguments: callers pass high words of 0 there.)
inline ir::Action ir_decide(const ir::SyscallTable& t, const seccomp_data& data) {
    if (data.arch != ir::audit_arch(t.arch)) return t.bad_arch_action;
    // As libseccomp: on x86_64 every number from the x32 bit up but -1 (numbers the kernel
    // does not dispatch natively), on x32 every number below it.
    const auto nr = static_cast<std::uint32_t>(data.nr);
    if (t.arch == ir::Arch::X86_64 && nr >= 0x40000000 && nr != 0xffffffff) return t.bad_arch_action;
    if (t.arch == ir::Arch::X32 && nr < 0x40000000) return t.bad_arch_action;
    const auto it = t.decisions.find(nr);
    if (it == t.decisions.end()) {
        const bool named = std::any_of(t.names.begin(), t.names.end(), [&](const ir::SyscallName& n) { return n.nr == nr; });
        return named || nr == 0xffffffff ? t.default_action : t.unknown_action;
    }
    for (const auto& rule : it->second.rules) {
        bool all = true;
        for (const auto& c : rule.checks) {
            const std::uint64_t v = data.args[c.arg];
            using Op = ir::ArgCheck::Op;
            switch (c.op) {
                case Op::Eq: all = all && v == c.value; break;
                case Op::Ne: all = all && v != c.value; break;
                case Op::Lt: all = all && v < c.value; break;
                case Op::Le: all = all && v <= c.value; break;
                case Op::Gt: all = all && v > c.value; break;
                case Op::Ge: all = all && v >= c.value; break;
                case Op::MaskedEq: all = all && (v & c.mask) == c.value; break;
            }
        }
        if (all) return rule.action;
    }
    return it->second.otherwise;
}

// The same table compiled by libseccomp (optimize 1: its default linear chain, 2: its
// binary tree). Only tables libseccomp can state: a conditional decision's `otherwise`
// is the default, and its rules share one action. Throws std::runtime_error otherwise.
inline std::vector<sock_filter> libseccomp_filter(const ir::SyscallTable& t, int optimize) {
    auto fail = [](const std::string& what, int rc) {
        throw std::runtime_error("libseccomp: " + what + " failed (" + std::to_string(rc) + ")");
    };
    scmp_filter_ctx ctx = seccomp_init(seccomp::return_value(t.default_action));
    if (!ctx) fail("seccomp_init", 0);
    struct Release {
        scmp_filter_ctx ctx;
        ~Release() { seccomp_release(ctx); }
    } release{ctx};
    int rc = 0;
    if (scmp_arch(t.arch) != seccomp_arch_native()) {
        if ((rc = seccomp_arch_add(ctx, scmp_arch(t.arch))) != 0) fail("seccomp_arch_add", rc);
        if ((rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE)) != 0) fail("seccomp_arch_remove", rc);
    }
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, seccomp::return_value(t.bad_arch_action))) != 0)
        fail("ACT_BADARCH", rc);
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, optimize)) != 0) fail("CTL_OPTIMIZE", rc);
    for (const auto& [number, d] : t.decisions) {
        // libseccomp takes numbers of the native architecture and translates them by name.
        int nr = static_cast<int>(number);
        if (scmp_arch(t.arch) != seccomp_arch_native()) {
            const auto entry = std::find_if(t.names.begin(), t.names.end(),
                                            [&](const ir::SyscallName& s) { return s.nr == number; });
            if (entry == t.names.end()) fail("a rule for unnamed syscall " + std::to_string(number), 0);
            const std::string name(entry->name);
            nr = seccomp_syscall_resolve_name_arch(seccomp_arch_native(), name.c_str());
            if (seccomp_syscall_resolve_name_arch(scmp_arch(t.arch), name.c_str()) != static_cast<int>(number))
                fail("translating " + name, 0);
        }
        if (d.rules.empty()) {
            if (d.otherwise == t.default_action) continue;
            if ((rc = seccomp_rule_add_exact(ctx, seccomp::return_value(d.otherwise), nr, 0)) != 0)
                fail("rule for " + std::to_string(number), rc);
            continue;
        }
        if (d.otherwise != t.default_action) fail("a conditional decision whose otherwise is not the default", 0);
        for (const auto& rule : d.rules) {
            std::vector<scmp_arg_cmp> cmps;
            for (const auto& c : rule.checks) cmps.push_back(scmp_check(c));
            if ((rc = seccomp_rule_add_exact_array(ctx, seccomp::return_value(rule.action), nr,
                                                   static_cast<unsigned>(cmps.size()), cmps.data())) != 0)
                fail("conditional rule for " + std::to_string(number), rc);
        }
    }
    const int fd = memfd_create("libseccomp-filter", MFD_CLOEXEC);
    if (fd < 0) fail("memfd_create", errno);
    rc = seccomp_export_bpf(ctx, fd);
    const off_t size = lseek(fd, 0, SEEK_END);
    std::vector<sock_filter> program(size > 0 ? static_cast<std::size_t>(size) / sizeof(sock_filter) : 0);
    if (rc == 0 && size > 0) rc = pread(fd, program.data(), static_cast<std::size_t>(size), 0) == size ? 0 : -EIO;
    close(fd);
    if (rc != 0) fail("seccomp_export_bpf", rc);
    return program;
}

}  // namespace nono::testing
