// nonoc compile PROFILE --target landlock|seccomp|sbpl|plan|all [-o DIR] [--arch A] [--symbolic]
//                       [--landlock-abi N] [--allow-weaker] [--dump-ir=after:PASS]
// The command line over compile_targets (compiler/emitters/compile_targets.hpp): prints each
// target's fidelity; a target that enforces less than the profile says is an error unless
// --allow-weaker, and then nothing is written; otherwise every artifact is.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/common/profile_flags.hpp"
#include "cli/common/write_file.hpp"
#include "cli/nonoc/commands.hpp"
#include "compiler/emitters/compile_targets.hpp"
#include "compiler/explain.hpp"

namespace nono::cli {

namespace {

const char* level_word(FidelityItem::Level level) {
    switch (level) {
        case FidelityItem::Level::Exact: return "exact";
        case FidelityItem::Level::Stricter: return "stricter";
        case FidelityItem::Level::Weaker: return "WEAKER";
    }
    return "?";
}

void print_fidelity(const Fidelity& f) {
    std::size_t weaker = 0, stricter = 0;
    for (const FidelityItem& item : f.items) {
        weaker += item.level == FidelityItem::Level::Weaker;
        stricter += item.level == FidelityItem::Level::Stricter;
    }
    std::cout << f.target << ": " << (weaker ? "weaker than the profile" : stricter ? "stricter than the profile" : "exact")
              << '\n';
    for (const FidelityItem& item : f.items) {
        std::cout << "  " << level_word(item.level) << ": " << item.what;
        for (const ir::Origin& o : item.origins) std::cout << "  " << origin_place(o);
        std::cout << '\n';
    }
}

bool write_artifacts(const std::string& dir, const std::vector<Artifact>& artifacts) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        std::cerr << "nonoc compile: cannot create " << dir << ": " << ec.message() << '\n';
        return false;
    }
    for (const Artifact& a : artifacts) {
        std::string path = (std::filesystem::path(dir) / a.file_name).string();
        std::string error;
        if (!replace_file(path, a.content, error)) {
            std::cerr << "nonoc compile: cannot write " << path << ": " << error << '\n';
            return false;
        }
        std::cout << "wrote " << path << '\n';
    }
    return true;
}

}  // namespace

void add_compile(CLI::App& app, int& status) {
    struct Args {
        std::string profile, target, out_dir = ".", arch, dump_ir;
        bool symbolic = false, allow_weaker = false;
        int landlock_abi = landlock::kNewestKnownAbi;
        ProfileFlags flags;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("compile", "Compile a profile for Landlock, seccomp, Seatbelt, or a plan for `nono exec`");
    cmd->add_option("PROFILE", a->profile, "Profile file or built-in name")->required();
    cmd->add_option("--target", a->target, "landlock, seccomp, sbpl, plan (for `nono exec --plan`), or all");
    cmd->add_option("-o,--output", a->out_dir, "Where to write the artifacts")->type_name("DIR");
    cmd->add_option("--arch", a->arch, "seccomp and plan: x86_64, i386, x32 or aarch64 (default: this machine's)");
    cmd->add_option("--landlock-abi", a->landlock_abi,
                    "landlock and plan: judge fidelity against this Landlock ABI (default: the newest known, " +
                        std::to_string(landlock::kNewestKnownAbi) + "); the compiling kernel never matters")
        ->type_name("N")
        ->check(CLI::Range(1, landlock::kNewestKnownAbi));
    cmd->add_flag("--symbolic", a->symbolic, "sbpl: leave per-user values as parameters");
    cmd->add_flag("--allow-weaker", a->allow_weaker, "Accept a target that enforces less than the profile says");
    cmd->add_option("--dump-ir", a->dump_ir, "Print the IR after a pass: after:PASS")->type_name("after:PASS");
    add_profile_flags(*cmd, a->flags, false);
    cmd->callback([a, &status] {
        status = 2;
        std::vector<const Target*> chosen;
        for (const Target& t : targets())
            if (a->target == "all" || a->target == t.name) chosen.push_back(&t);
        if (chosen.empty() && !a->target.empty()) {
            std::string names;
            for (const Target& t : targets()) names += (names.empty() ? "" : ", ") + t.name;
            std::cerr << "nonoc compile: unknown target `" << a->target << "`; targets: "
                      << (names.empty() ? "none in this build" : names + ", all") << '\n';
            return;
        }
        if (a->target.empty() && a->dump_ir.empty()) {
            std::cerr << "nonoc compile: give --target (or --dump-ir=after:PASS)\n";
            return;
        }
        if (!a->dump_ir.empty() && a->dump_ir.rfind("after:", 0) != 0) {
            std::cerr << "nonoc compile: --dump-ir takes after:PASS\n";
            return;
        }
        std::optional<ir::Arch> arch = a->arch.empty() ? ir::host_arch() : ir::arch_from_name(a->arch);
        if (!arch) {
            std::cerr << "nonoc compile: --arch: x86_64, i386, x32 or aarch64\n";
            return;
        }
        std::optional<CompileOptions> options = compile_options(a->flags);
        if (!options) return;
        if (!a->dump_ir.empty()) {
            options->dump_ir_after = a->dump_ir.substr(6);
            options->dump_ir_to = &std::cout;
        }
        SourceMap sources;
        Diagnostics diags;
        const CompiledTargets compiled = compile_targets(
            a->profile, chosen, *options, TargetOptions{{}, *arch, a->symbolic, a->landlock_abi}, sources, diags);
        print_diagnostics(diags, sources);
        for (const TargetOutput& out : compiled.outputs) print_fidelity(out.fidelity);
        if (!compiled.compiled || !compiled.error.empty()) {
            if (!compiled.error.empty()) std::cerr << "nonoc compile: " << compiled.error << '\n';
            status = 1;
            return;
        }
        if (compiled.weaker() && !a->allow_weaker) {
            std::cerr << "nonoc compile: a target enforces less than the profile says; nothing written\n"
                      << "hint: accept it with --allow-weaker, or change the profile\n";
            status = 1;
            return;
        }
        for (const TargetOutput& out : compiled.outputs) {
            if (!write_artifacts(a->out_dir, out.artifacts)) {
                status = 1;
                return;
            }
            for (const std::string& note : out.notes) std::cout << note << '\n';
        }
        status = 0;
    });
}

}  // namespace nono::cli
