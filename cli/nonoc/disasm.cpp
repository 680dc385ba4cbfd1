// nonoc disasm FILE.bpf [--arch A]: prints any classic seccomp BPF program as text.
// Exit 0 printed, 1 unreadable or not a seccomp program, 2 bad usage.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "compiler/emitters/seccomp/disasm.hpp"

namespace nono::cli {

void add_disasm(CLI::App& app, int& status) {
    auto* cmd = app.add_subcommand("disasm", "Print a seccomp BPF program (.bpf) as text, with syscall names");
    auto file = std::make_shared<std::string>();
    auto arch = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "a raw struct sock_filter array, as `nonoc compile` or libseccomp writes")
        ->required();
    cmd->add_option("--arch", *arch,
                    "name syscalls for this architecture where the program does not check one "
                    "(x86_64, i386, x32, aarch64)");
    cmd->callback([file, arch, &status] {
        std::optional<ir::Arch> fallback;
        if (!arch->empty()) {
            fallback = ir::arch_from_name(*arch);
            if (!fallback) {
                std::cerr << "nonoc disasm: unknown architecture `" << *arch << "` (x86_64, i386, x32, aarch64)\n";
                status = 2;
                return;
            }
        }
        std::ifstream in(*file, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (!in.is_open() || in.bad()) {
            std::cerr << "nonoc disasm: cannot read " << *file << "\n";
            status = 1;
            return;
        }
        try {
            std::cout << seccomp::disassemble(seccomp::read_program(bytes), fallback);
            status = 0;
        } catch (const seccomp::BadProgram& e) {
            std::cerr << "nonoc disasm: " << *file << " is not a seccomp BPF program: " << e.what() << "\n";
            status = 1;
        }
    });
}

}  // namespace nono::cli
