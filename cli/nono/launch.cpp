#include "cli/nono/launch.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>

#include "compiler/compile.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "runtime/landlock_abi.hpp"
#include "runtime/sandbox.hpp"

namespace nono::cli {

void add_launch_flags(CLI::App& command, LaunchFlags& flags) {
    add_profile_flags(command, flags.profile, /*with_platform=*/false);
    command.add_flag("--dry-run", flags.dry_run, "Print the ruleset and filter that would be applied; run nothing");
    command.add_flag("--allow-weaker", flags.allow_weaker,
                     "Run even where this kernel enforces less than the profile says (prints what is weaker)");
    command.add_option("--keep-fd", flags.keep_fds, "Pass this open descriptor (above 2) to the command")
        ->type_name("N")
        ->check(CLI::Range(3, 1 << 20));
    command.add_option("command", flags.command, "The command and its arguments, after --")->required();
}

int refuse(const std::string& reason, const std::string& hint) {
    std::cerr << "nono: " << reason << '\n';
    if (!hint.empty()) std::cerr << "Hint: " << hint << '\n';
    return runtime::kExitSandboxFailed;
}

namespace {

const ir::SyscallTable* host_table(const ir::Policy& policy) {
    for (const ir::SyscallTable& table : policy.syscalls)
        if (table.arch == ir::host_arch()) return &table;
    return nullptr;
}

// The seccomp part of --dry-run: what the filter does, in a few lines.
std::string describe_filter(const ir::SyscallTable& table, std::size_t instructions) {
    std::ostringstream out;
    std::size_t conditional = 0, other = 0;
    for (const auto& [nr, decision] : table.decisions) {
        if (!decision.rules.empty()) ++conditional;
        else if (decision.otherwise != table.default_action) ++other;
    }
    out << "seccomp filter (" << ir::arch_name(table.arch) << "): " << instructions << " instructions\n"
        << "  default: " << ir::action_to_string(table.default_action) << '\n'
        << "  other architectures and ABIs: " << ir::action_to_string(table.bad_arch_action) << '\n'
        << "  syscalls with their own action: " << other << ", with argument checks: " << conditional << '\n';
    for (const auto& [nr, decision] : table.decisions) {
        out << "    " << table.name_of(nr) << ": ";
        if (!decision.rules.empty()) out << decision.rules.size() << " argument rule(s), else ";
        out << ir::action_to_string(decision.otherwise) << '\n';
    }
    return out.str();
}

}  // namespace

int launch(const std::string& path, const FileLoader& load, const LaunchFlags& flags, SourceMap& sources,
           Diagnostics& diags) {
    std::optional<CompileOptions> options = compile_options(flags.profile);
    if (!options) return runtime::kExitSandboxFailed;
    options->arches = {ir::host_arch()};  // the one filter installed
    // The command runs where $CWD points, so the workspace a profile grants is its own.
    if (!flags.profile.workdir.empty() && chdir(flags.profile.workdir.c_str()) != 0)
        return refuse("cannot enter --workdir " + flags.profile.workdir + ": " + std::strerror(errno) + "; nothing was run");
    std::optional<ir::Policy> policy = compile_file(path, *options, load, sources, diags);
    print_diagnostics(diags, sources);
    if (!policy || diags.has_errors())
        return refuse("the profile has errors; nothing was run", "check it with `nonoc check " + path + "`");

    const ir::SyscallTable* table = host_table(*policy);
    if (!table) return refuse("the profile has no syscall table for " + std::string(ir::arch_name(ir::host_arch())));
    std::vector<sock_filter> filter;
    try {
        filter = seccomp::emit_seccomp(*table);
    } catch (const seccomp::EmitError& e) {
        return refuse(std::string("cannot build the seccomp filter: ") + e.what());
    }

    landlock::Plan plan = landlock_plan(*policy);
    int abi = landlock::probe_abi();
    Fidelity fidelity = landlock_fidelity(*policy, plan, abi);
    std::vector<std::string> weaker;
    for (const FidelityItem& item : fidelity.items)
        if (item.level == FidelityItem::Level::Weaker) weaker.push_back(item.what);

    if (flags.dry_run) {
        std::cout << runtime::describe(plan, runtime::resolve_ruleset(plan, abi)) << describe_filter(*table, filter.size());
        for (const std::string& w : weaker) std::cout << "weaker than the profile: " << w << '\n';
        return 0;
    }
    if (!weaker.empty()) {
        for (const std::string& w : weaker) std::cerr << "nono: weaker than the profile: " << w << '\n';
        if (!flags.allow_weaker)
            return refuse("this kernel cannot enforce the profile as written; nothing was run",
                          "pass --allow-weaker to run anyway with what is listed above left weaker");
    }
    runtime::SandboxOptions sandbox{flags.allow_weaker, std::move(filter), flags.keep_fds};
    runtime::run_sandboxed(plan, sandbox, flags.command);
}

}  // namespace nono::cli
