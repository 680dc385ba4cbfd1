// The properties the whole-pipeline fuzzers check, shared by the libFuzzer targets and the
// CI smoke test:
//   check_compile: any profile text either gets diagnostics or compiles, for Linux and
//     macOS, and every target either refuses it with a message or emits artifacts; every
//     seccomp program emitted passes the kernel's admission checks; every plan emitted
//     loads, and writes back the same bytes.
//   check_disasm: any bytes either are refused as a program (BadProgram, with a reason) or
//     disassemble; anything else escapes as an exception or a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "compiler/compile.hpp"
#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/interpret.hpp"
#include "compiler/emitters/targets.hpp"
#include "grammar/parse.hpp"
#include "plan/plan_file.hpp"

namespace nono::fuzz {

inline std::optional<std::string> check_compile(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // Parents resolve from the built-in profiles; the input's own folder holds nothing else.
    const std::string path = "<fuzz>/fuzz.nono";
    for (ir::Platform platform : {ir::Platform::Linux, ir::Platform::Macos}) {
        SourceMap sources;
        Diagnostics diags;
        FileLoader disk = disk_loader(sources, diags);
        FileLoader load = [&](const std::string& p) -> std::optional<ast::File> {
            if (p == path) {
                sources.add(path, text);
                return parse_nono(text, path, diags);
            }
            if (p.rfind("<fuzz>/", 0) == 0) return std::nullopt;
            return disk(p);
        };
        CompileOptions options;
        options.platform = platform;
        options.bindings = {{"HOME", "/home/user"}, {"CWD", "/work/project"}, {"USER", "user"},
                            {"UID", "1000"},        {"TMPDIR", "/tmp"}};
        std::optional<OptimizedPolicy> policy = compile_file(path, options, load, sources, diags);
        std::ostringstream rendered;
        diags.render(rendered, sources, false);
        if (!policy || diags.has_errors()) return std::nullopt;
        for (const Target& target : targets()) {
            if (target.platform != platform) continue;
            TargetOutput out;
            try {
                out = target.emit(*policy, TargetOptions{policy->policy().name, ir::Arch::X86_64, false});
            } catch (const std::runtime_error&) {
                continue;  // a refusal with a message is an answer
            }
            if (target.name == "plan") {
                for (const Artifact& a : out.artifacts) {
                    plan::CompiledPlan plan;
                    try {
                        plan = plan::read_plan(a.content);
                    } catch (const plan::PlanFileError& e) {
                        return std::string("emitted plan does not load: ") + e.what();
                    }
                    if (plan::write_plan(plan) != a.content) return "emitted plan does not write back the same";
                    if (auto why = seccomp::check_program(plan.filter)) return "emitted plan's seccomp program is invalid: " + *why;
                }
                continue;
            }
            if (target.name != "seccomp") continue;
            for (const Artifact& a : out.artifacts) {
                if (a.file_name.size() < 4 || a.file_name.substr(a.file_name.size() - 4) != ".bpf") continue;
                const auto program = seccomp::read_program(a.content);
                if (auto why = seccomp::check_program(program)) return "emitted seccomp program is invalid: " + *why;
            }
        }
    }
    return std::nullopt;
}

inline void check_disasm(const std::uint8_t* data, std::size_t size) {
    try {
        const auto program = seccomp::read_program(std::string_view(reinterpret_cast<const char*>(data), size));
        (void)seccomp::disassemble(program);
    } catch (const seccomp::BadProgram&) {
    }
}

}  // namespace nono::fuzz
