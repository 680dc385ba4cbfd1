// Disassembler for classic seccomp BPF. One forward pass (jumps only go forward) tracks,
// per instruction, what the accumulator holds and which architecture every path to it
// has checked, so comparisons can be printed with syscall and architecture names.
#include "compiler/emitters/seccomp/disasm.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "compiler/constants.hpp"
#include "compiler/emitters/seccomp/interpret.hpp"
#include "compiler/syscalls.hpp"

namespace nono::seccomp {

namespace {

constexpr std::uint32_t kX32Bit = 0x40000000;
constexpr std::uint32_t kArgsOffset = offsetof(seccomp_data, args);

// What the accumulator holds: a seccomp_data word (its offset), or nothing known.
constexpr std::uint32_t kUnknown = 0xffffffff;

struct State {
    bool reached = false;
    std::uint32_t a = kUnknown;
    std::optional<std::uint32_t> arch;  // the AUDIT_ARCH every path here has matched

    void merge(const State& in) {
        if (!reached) {
            *this = in;
            reached = true;
            return;
        }
        if (a != in.a) a = kUnknown;
        if (arch != in.arch) arch.reset();
    }
};

std::string word_name(std::uint32_t offset) {
    if (offset == offsetof(seccomp_data, nr)) return "nr";
    if (offset == offsetof(seccomp_data, arch)) return "arch";
    const char* half = offset % 8 == 0 ? " (low)" : " (high)";
    if (offset < kArgsOffset) return std::string("instruction pointer") + half;
    return "arg" + std::to_string((offset - kArgsOffset) / 8) + half;
}

struct ArchName {
    std::uint32_t audit;
    const char* name;
};
constexpr ArchName kArchNames[] = {
    {AUDIT_ARCH_X86_64, "x86_64"},   {AUDIT_ARCH_I386, "i386"},       {AUDIT_ARCH_AARCH64, "aarch64"},
    {AUDIT_ARCH_ARM, "arm"},         {AUDIT_ARCH_RISCV64, "riscv64"}, {AUDIT_ARCH_PPC64LE, "ppc64le"},
    {AUDIT_ARCH_PPC64, "ppc64"},     {AUDIT_ARCH_S390X, "s390x"},     {AUDIT_ARCH_MIPSEL64, "mipsel64"},
    {AUDIT_ARCH_LOONGARCH64, "loongarch64"},
};

std::string arch_name(std::uint32_t audit) {
    for (const auto& [value, name] : kArchNames)
        if (value == audit) return name;
    return "an unknown architecture";
}

std::optional<std::uint32_t> audit_of(std::optional<ir::Arch> arch) {
    if (!arch) return std::nullopt;
    return ir::audit_arch(*arch);
}

// The kernel's name for a syscall number, from nono's own tables (compiler/syscalls.hpp);
// x32 numbers ride on AUDIT_ARCH_X86_64.
std::string syscall_name(std::uint32_t audit, std::uint32_t nr) {
    std::optional<ir::Arch> arch;
    for (ir::Arch a : {ir::Arch::X86_64, ir::Arch::I386, ir::Arch::Aarch64})
        if (ir::audit_arch(a) == audit) arch = a;
    if (audit == AUDIT_ARCH_X86_64 && nr >= kX32Bit) {
        if (nr == 0xffffffff) return "-1 (no syscall)";
        if (nr == kX32Bit) return "x32 ABI";
        arch = ir::Arch::X32;
    }
    if (!arch) return {};
    for (const ir::SyscallName& s : syscall_names(*arch))
        if (s.nr == nr) return std::string(s.name);
    return {};
}

std::string action_name(std::uint32_t value) {
    const std::uint32_t data = value & SECCOMP_RET_DATA;
    switch (value & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_ALLOW: return "allow";
        case SECCOMP_RET_KILL_PROCESS: return "kill";
        case SECCOMP_RET_KILL_THREAD: return "kill-thread";
        case SECCOMP_RET_TRAP: return "trap";
        case SECCOMP_RET_LOG: return "log";
        case SECCOMP_RET_USER_NOTIF: return "user-notif";
        case SECCOMP_RET_TRACE: return "trace " + std::to_string(data);
        // Linux's names from the repository's table (glibc's strerrorname_np is on no other
        // system, and another system's names would be its own numbering).
        case SECCOMP_RET_ERRNO:
            return "errno " + errno_name(static_cast<std::uint16_t>(data)).value_or(std::to_string(data));
    }
    return "unknown action (kills)";
}

std::string mnemonic(const sock_filter& insn) {
    switch (BPF_CLASS(insn.code)) {
        case BPF_LD:
        case BPF_LDX: {
            const std::string op = BPF_CLASS(insn.code) == BPF_LD ? "ld" : "ldx";
            switch (BPF_MODE(insn.code)) {
                case BPF_ABS: return op + "  [" + std::to_string(insn.k) + "]";
                case BPF_LEN: return op + "  len";
                case BPF_IMM: return op + "  #" + std::to_string(insn.k);
                case BPF_MEM: return op + "  M[" + std::to_string(insn.k) + "]";
            }
            break;
        }
        case BPF_ST: return "st   M[" + std::to_string(insn.k) + "]";
        case BPF_STX: return "stx  M[" + std::to_string(insn.k) + "]";
        case BPF_ALU: {
            static const char* const names[] = {"add", "sub", "mul", "div", "or", "and", "lsh", "rsh",
                                                "neg", "mod", "xor"};
            const std::string op = names[BPF_OP(insn.code) >> 4];
            if (BPF_OP(insn.code) == BPF_NEG) return op;
            char k[16];
            std::snprintf(k, sizeof k, "#0x%x", insn.k);
            return op + (op.size() == 3 ? "  " : "   ") + (BPF_SRC(insn.code) == BPF_X ? std::string("x") : k);
        }
        case BPF_RET: return BPF_RVAL(insn.code) == BPF_A ? "ret  a" : "ret";
        case BPF_MISC: return BPF_MISCOP(insn.code) == BPF_TAX ? "tax" : "txa";
    }
    return "?";
}

// For one architecture, its named syscalls grouped by where the dispatch sends them: the
// listing alone names only the numbers that a range search compares against.
std::string summary(std::span<const sock_filter> program, std::uint32_t arch) {
    std::map<std::size_t, std::vector<std::string>> by_end;
    for (std::uint32_t nr = 0; nr < 1024; ++nr)
        if (auto name = syscall_name(arch, nr); !name.empty()) by_end[dispatch_end(program, arch, nr)].push_back(name);
    if (by_end.empty()) return {};
    std::size_t largest = by_end.begin()->first;
    for (const auto& [end, names] : by_end)
        if (names.size() > by_end[largest].size()) largest = end;
    std::string out = "\n; " + arch_name(arch) + " syscalls by where the dispatch sends them:\n";
    for (const auto& [end, names] : by_end) {
        const sock_filter& insn = program[end];
        const std::string where = insn.code == (BPF_RET | BPF_K) ? action_name(insn.k) : "argument checks";
        char head[64];
        std::snprintf(head, sizeof head, ";   %04zu %s:", end, where.c_str());
        std::string line = head;
        if (end == largest && by_end.size() > 1) {
            line += " " + std::to_string(names.size()) + " others";
        } else {
            for (const auto& name : names) {
                if (line.size() + name.size() + 1 > 100) out += line + "\n", line = ";       ";
                line += " " + name;
            }
        }
        out += line + "\n";
    }
    return out;
}

}  // namespace

std::vector<sock_filter> read_program(std::string_view bytes) {
    if (bytes.size() % sizeof(sock_filter) != 0)
        throw BadProgram("the size (" + std::to_string(bytes.size()) + " bytes) is not a multiple of " +
                         std::to_string(sizeof(sock_filter)) + ", the size of one instruction");
    std::vector<sock_filter> program(bytes.size() / sizeof(sock_filter));
    // memcpy from an empty view's null pointer is undefined even for 0 bytes (found by fuzz_disasm).
    if (!bytes.empty()) std::memcpy(program.data(), bytes.data(), bytes.size());
    if (auto why = check_program(program)) throw BadProgram(*why);
    return program;
}

std::string disassemble(std::span<const sock_filter> program, std::optional<ir::Arch> fallback_arch) {
    std::vector<State> states(program.size());
    states[0] = {true, kUnknown, audit_of(fallback_arch)};
    std::set<std::uint32_t> arches;  // the architectures the program checks for
    if (fallback_arch) arches.insert(ir::audit_arch(*fallback_arch));
    std::string out;
    char line[160];
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const sock_filter& insn = program[pc];
        State here = states[pc];
        std::string text, note;
        if (BPF_CLASS(insn.code) == BPF_JMP) {
            const std::uint8_t op = BPF_OP(insn.code);
            static const char* const names[] = {"ja", "jeq", "jgt", "jge", "jset"};
            const std::size_t yes = pc + 1 + (op == BPF_JA ? insn.k : insn.jt), no = pc + 1 + insn.jf;
            if (op == BPF_JA) {
                std::snprintf(line, sizeof line, "ja   %04zu", yes);
                text = line;
            } else if (BPF_SRC(insn.code) == BPF_X) {
                std::snprintf(line, sizeof line, "%-4s x            %04zu %04zu", names[op >> 4], yes, no);
                text = line;
            } else {
                std::snprintf(line, sizeof line, "%-4s #0x%-8x  %04zu %04zu", names[op >> 4], insn.k, yes, no);
                text = line;
            }
            State taken = here;
            if (here.reached && op != BPF_JA && BPF_SRC(insn.code) == BPF_K) {
                if (here.a == offsetof(seccomp_data, arch)) {
                    note = arch_name(insn.k);
                    if (op == BPF_JEQ) taken.arch = insn.k, arches.insert(insn.k);
                } else if (here.a == offsetof(seccomp_data, nr) && here.arch && op != BPF_JSET) {
                    note = syscall_name(*here.arch, insn.k);
                    if (!note.empty() && op != BPF_JEQ) note = "from " + note;
                } else if (op == BPF_JSET && here.a == offsetof(seccomp_data, nr) && insn.k == kX32Bit) {
                    note = "x32 ABI";
                }
            }
            if (here.reached) {
                states[yes].merge(taken);
                if (op != BPF_JA) states[no].merge(here);
            }
        } else {
            text = mnemonic(insn);
            if (BPF_CLASS(insn.code) == BPF_RET) {
                if (BPF_RVAL(insn.code) == BPF_K) {
                    std::snprintf(line, sizeof line, "ret  #0x%08x", insn.k);
                    text = line;
                    note = action_name(insn.k);
                }
            } else {
                if (BPF_CLASS(insn.code) == BPF_LD && BPF_MODE(insn.code) == BPF_ABS) {
                    note = word_name(insn.k);
                    here.a = insn.k;
                } else if (BPF_CLASS(insn.code) == BPF_LD || BPF_CLASS(insn.code) == BPF_ALU ||
                           insn.code == (BPF_MISC | BPF_TXA)) {
                    here.a = kUnknown;
                }
                if (here.reached) states[pc + 1].merge(here);
            }
        }
        if (!states[pc].reached) note = note.empty() ? "unreachable" : note + " (unreachable)";
        std::snprintf(line, sizeof line, "%04zu  %-32s%s%s\n", pc, text.c_str(), note.empty() ? "" : "; ",
                      note.c_str());
        out += line;
    }
    for (std::uint32_t arch : arches) out += summary(program, arch);
    return out;
}

}  // namespace nono::seccomp
