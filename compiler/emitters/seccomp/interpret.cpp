// Reading classic seccomp BPF: the admission rules of the kernel's seccomp_check_filter()
// and bpf_check_classic(), an interpreter with the semantics of the kernel's classic BPF,
// and a transcription of seccomp_is_const_allow().
#include "compiler/emitters/seccomp/interpret.hpp"

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

namespace nono::seccomp {

namespace {

constexpr std::size_t kMaxInstructions = 4096;
constexpr std::uint32_t kScratchSlots = 16;  // BPF_MEMWORDS

std::string at(std::size_t pc, const std::string& what) { return "instruction " + std::to_string(pc) + ": " + what; }

// The kernel's check_load_and_stores(): a scratch slot must be written on every path
// before it is read.
std::optional<std::string> unwritten_scratch_read(std::span<const sock_filter> program) {
    std::vector<std::uint16_t> written(program.size(), 0xffff);  // slots written on every path here
    written[0] = 0;
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const sock_filter& insn = program[pc];
        std::uint16_t slots = written[pc];
        switch (insn.code) {
            case BPF_ST:
            case BPF_STX: slots |= 1u << insn.k; break;
            case BPF_LD | BPF_MEM:
            case BPF_LDX | BPF_MEM:
                if (!(slots & (1u << insn.k))) return at(pc, "reads scratch slot " + std::to_string(insn.k) + " before it is written");
                break;
        }
        if (BPF_CLASS(insn.code) == BPF_RET) continue;
        if (BPF_CLASS(insn.code) == BPF_JMP) {
            if (BPF_OP(insn.code) == BPF_JA) {
                written[pc + 1 + insn.k] &= slots;
            } else {
                written[pc + 1 + insn.jt] &= slots;
                written[pc + 1 + insn.jf] &= slots;
            }
            continue;
        }
        written[pc + 1] &= slots;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> check_program(std::span<const sock_filter> program) {
    if (program.empty()) return "the program is empty";
    if (program.size() > kMaxInstructions)
        return "the program has " + std::to_string(program.size()) + " instructions; the kernel accepts at most 4096";
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const sock_filter& insn = program[pc];
        const std::size_t remaining = program.size() - pc - 1;
        switch (insn.code) {
            case BPF_LD | BPF_W | BPF_ABS:
                if (insn.k >= sizeof(seccomp_data) || insn.k % 4 != 0)
                    return at(pc, "loads offset " + std::to_string(insn.k) + ", outside seccomp_data or unaligned");
                break;
            case BPF_LD | BPF_MEM:
            case BPF_LDX | BPF_MEM:
            case BPF_ST:
            case BPF_STX:
                if (insn.k >= kScratchSlots) return at(pc, "uses scratch slot " + std::to_string(insn.k) + " (0 to 15)");
                break;
            case BPF_LD | BPF_W | BPF_LEN:
            case BPF_LDX | BPF_W | BPF_LEN:
            case BPF_LD | BPF_IMM:
            case BPF_LDX | BPF_IMM:
            case BPF_RET | BPF_K:
            case BPF_RET | BPF_A:
            case BPF_MISC | BPF_TAX:
            case BPF_MISC | BPF_TXA:
            case BPF_ALU | BPF_NEG:
                break;
            case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
            case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
            case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
            case BPF_ALU | BPF_DIV | BPF_X:
            case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
            case BPF_ALU | BPF_OR | BPF_K:  case BPF_ALU | BPF_OR | BPF_X:
            case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
            case BPF_ALU | BPF_LSH | BPF_X: case BPF_ALU | BPF_RSH | BPF_X:
                break;
            case BPF_ALU | BPF_DIV | BPF_K:
                if (insn.k == 0) return at(pc, "divides by zero");
                break;
            case BPF_ALU | BPF_LSH | BPF_K:
            case BPF_ALU | BPF_RSH | BPF_K:
                if (insn.k >= 32) return at(pc, "shifts by " + std::to_string(insn.k) + " (at most 31)");
                break;
            case BPF_JMP | BPF_JA:
                if (insn.k >= remaining) return at(pc, "jumps past the end of the program");
                break;
            case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
            case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
            case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
            case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
                if (insn.jt >= remaining || insn.jf >= remaining) return at(pc, "jumps past the end of the program");
                break;
            default: {
                char code[8];
                std::snprintf(code, sizeof code, "0x%04x", insn.code);
                return at(pc, std::string("has opcode ") + code + ", which seccomp does not accept");
            }
        }
    }
    if (BPF_CLASS(program.back().code) != BPF_RET) return "the last instruction is not a return";
    return unwritten_scratch_read(program);
}

Execution run_filter(std::span<const sock_filter> program, const seccomp_data& data) {
    std::uint32_t a = 0, x = 0, scratch[kScratchSlots] = {};
    Execution run;
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const sock_filter& insn = program[pc];
        ++run.executed;
        const std::uint32_t operand = BPF_SRC(insn.code) == BPF_X ? x : insn.k;
        switch (BPF_CLASS(insn.code)) {
            case BPF_LD:
            case BPF_LDX: {
                std::uint32_t value = 0;
                switch (BPF_MODE(insn.code)) {
                    case BPF_ABS: std::memcpy(&value, reinterpret_cast<const char*>(&data) + insn.k, 4); break;
                    case BPF_LEN: value = sizeof(seccomp_data); break;
                    case BPF_IMM: value = insn.k; break;
                    case BPF_MEM: value = scratch[insn.k]; break;
                }
                (BPF_CLASS(insn.code) == BPF_LD ? a : x) = value;
                break;
            }
            case BPF_ST: scratch[insn.k] = a; break;
            case BPF_STX: scratch[insn.k] = x; break;
            case BPF_ALU:
                switch (BPF_OP(insn.code)) {
                    case BPF_ADD: a += operand; break;
                    case BPF_SUB: a -= operand; break;
                    case BPF_MUL: a *= operand; break;
                    case BPF_DIV:
                        if (operand == 0) return {0, run.executed};  // the kernel returns 0: kill
                        a /= operand;
                        break;
                    case BPF_AND: a &= operand; break;
                    case BPF_OR: a |= operand; break;
                    case BPF_XOR: a ^= operand; break;
                    case BPF_LSH: a = operand >= 32 ? 0 : a << operand; break;
                    case BPF_RSH: a = operand >= 32 ? 0 : a >> operand; break;
                    case BPF_NEG: a = 0u - a; break;
                }
                break;
            case BPF_JMP: {
                bool taken = false;
                switch (BPF_OP(insn.code)) {
                    case BPF_JA: pc += insn.k; continue;
                    case BPF_JEQ: taken = a == operand; break;
                    case BPF_JGE: taken = a >= operand; break;
                    case BPF_JGT: taken = a > operand; break;
                    case BPF_JSET: taken = (a & operand) != 0; break;
                }
                pc += taken ? insn.jt : insn.jf;
                break;
            }
            case BPF_RET: run.result = BPF_RVAL(insn.code) == BPF_A ? a : insn.k; return run;
            case BPF_MISC:
                if (BPF_MISCOP(insn.code) == BPF_TAX)
                    x = a;
                else
                    a = x;
                break;
        }
    }
    return run;  // unreachable for a checked program, which ends in RET
}

bool is_const_allow(std::span<const sock_filter> program, std::uint32_t arch, std::uint32_t nr) {
    std::uint32_t a = 0;
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const sock_filter& insn = program[pc];
        switch (insn.code) {
            case BPF_LD | BPF_W | BPF_ABS:
                if (insn.k == offsetof(seccomp_data, nr))
                    a = nr;
                else if (insn.k == offsetof(seccomp_data, arch))
                    a = arch;
                else
                    return false;  // an argument or the instruction pointer
                break;
            case BPF_RET | BPF_K: return insn.k == SECCOMP_RET_ALLOW;
            case BPF_JMP | BPF_JA: pc += insn.k; break;
            case BPF_JMP | BPF_JEQ | BPF_K: pc += a == insn.k ? insn.jt : insn.jf; break;
            case BPF_JMP | BPF_JGE | BPF_K: pc += a >= insn.k ? insn.jt : insn.jf; break;
            case BPF_JMP | BPF_JGT | BPF_K: pc += a > insn.k ? insn.jt : insn.jf; break;
            case BPF_JMP | BPF_JSET | BPF_K: pc += (a & insn.k) ? insn.jt : insn.jf; break;
            case BPF_ALU | BPF_AND | BPF_K: a &= insn.k; break;
            default: return false;
        }
    }
    return false;
}

}  // namespace nono::seccomp
