// Disassembler: any classic seccomp BPF program (ours, libseccomp's, another tool's) as
// text, with architectures, syscall names (libseccomp's tables), argument words and
// actions resolved. Used for NAME.bpf.txt and `nonoc disasm`.
#pragma once

#include <linux/filter.h>

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir.hpp"

namespace nono::seccomp {

// Raw bytes that are not an acceptable seccomp program.
class BadProgram : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The instructions in a raw .bpf file (struct sock_filter array, host byte order), checked
// as the kernel would; throws BadProgram with the reason otherwise.
std::vector<sock_filter> read_program(std::string_view bytes);

// One line per instruction. Syscall numbers are named for the architecture that the
// program's own arch checks establish on each path, or for `fallback_arch` where none does.
std::string disassemble(std::span<const sock_filter> program, std::optional<ir::Arch> fallback_arch = std::nullopt);

}  // namespace nono::seccomp
