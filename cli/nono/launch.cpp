#include "cli/nono/launch.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "compiler/beyond_landlock.hpp"
#include "compiler/compile.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/directories.hpp"
#include "runtime/landlock_abi.hpp"
#include "runtime/plan_file.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/secret_names.hpp"
#include "runtime/supervisor.hpp"

namespace nono::cli {

void add_launch_flags(CLI::App& command, LaunchFlags& flags) {
    add_profile_flags(command, flags.profile, /*with_platform=*/false);
    command.add_flag("--dry-run", flags.dry_run, "Print the ruleset and filter that would be applied; run nothing");
    command.add_flag("--allow-weaker", flags.allow_weaker,
                     "Run even where this kernel enforces less than the profile says (prints what is weaker)");
    command.add_option("--keep-fd", flags.keep_fds, "Pass this open descriptor (above 2) to the command")
        ->type_name("N")
        ->check(CLI::Range(3, 1 << 20));
    command.add_flag("--no-supervisor", flags.no_supervisor,
                     "Exec the command in place of nono (for embedding; weaker: see `man nono`)");
    command.add_option("command", flags.command, "The command and its arguments: nono's options end at its first word")->required();
}

int refuse(const std::string& reason, const std::string& hint) {
    std::cerr << "nono: " << reason << '\n';
    if (!hint.empty()) std::cerr << "Hint: " << hint << '\n';
    return runtime::kExitSandboxFailed;
}

namespace {

// The run's private temporary directory ($TMPDIR in the profile, TMPDIR, TMP and TEMP for
// the command): made before the profile is compiled, removed when the launch returns,
// however the run ended (the supervisor removes it first, once nothing of the run is left).
// None with --no-supervisor: nothing would remain to remove it.
class RunTmpDir {
public:
    // Throws runtime::SandboxError.
    RunTmpDir(const LaunchFlags& flags, const std::string& parent) {
        if (!flags.no_supervisor) dir = runtime::make_private_tmp(parent);
    }
    RunTmpDir(const RunTmpDir&) = delete;
    RunTmpDir& operator=(const RunTmpDir&) = delete;
    ~RunTmpDir() { runtime::remove_private_tmp(dir); }
    runtime::PrivateTmp dir;  // none with --no-supervisor
};

// The user's TMPDIR (when absolute), or /tmp: where the run's private directory is made,
// and what $TMPDIR means with --no-supervisor.
std::string user_tmpdir() {
    const char* tmpdir = std::getenv("TMPDIR");
    if (!tmpdir || tmpdir[0] != '/') return "/tmp";
    std::string path = std::filesystem::path(tmpdir).lexically_normal().string();
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

// Makes `tmp` the private temporary directory for `flags`; false after saying why it
// could not. TMPDIR must be fit to hold it, as for a rule that names it: not `/`, not a
// system directory, the user's own or a shared sticky one.
bool make_private_tmp(const LaunchFlags& flags, std::optional<RunTmpDir>& tmp) {
    const std::string parent = user_tmpdir();
    const std::string unfit = flags.no_supervisor ? std::string() : unfit_directory("TMPDIR", parent);
    if (!unfit.empty()) {
        refuse(unfit + "; nothing was run", "set TMPDIR to a directory of yours, or unset it for /tmp");
        return false;
    }
    try {
        tmp.emplace(flags, parent);
        return true;
    } catch (const runtime::SandboxError& e) {
        refuse(std::string(e.what()) + "; nothing was run", e.hint);
        return false;
    }
}

void set_variable(landlock::EnvPlan& env, const std::string& name, const std::string& value) {
    std::erase_if(env.set, [&](const auto& kv) { return kv.first == name; });
    env.drop.erase(std::remove(env.drop.begin(), env.drop.end(), name), env.drop.end());
    env.set.emplace_back(name, value);
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
        << "  numbers unknown to nono's tables: " << ir::action_to_string(table.unknown_action) << '\n'
        << "  other architectures and ABIs: " << ir::action_to_string(table.bad_arch_action) << '\n'
        << "  syscalls with their own action: " << other << ", with argument checks: " << conditional << '\n';
    for (const auto& [nr, decision] : table.decisions) {
        out << "    " << table.name_of(nr) << ": ";
        if (!decision.rules.empty()) out << decision.rules.size() << " argument rule(s), else ";
        out << ir::action_to_string(decision.otherwise) << '\n';
    }
    return out.str();
}

// The end both ways share: what this kernel enforces more weakly, then --dry-run or the
// sandbox and the command, under the supervisor unless --no-supervisor.
int apply(landlock::Plan plan, std::vector<sock_filter> filter, const std::string& filter_summary,
          const LaunchFlags& flags, const RunTmpDir& tmp) {
    const int abi = landlock::probe_abi();
    // The namespace mode wherever the kernel lets this user have one. The supervisor's reaper
    // is their init: with --no-supervisor there are none, as that says. A run finds out
    // when the reaper is cloned (without_namespaces below); a dry run asks the kernel.
    const int namespaces_refused = flags.dry_run && !flags.no_supervisor ? runtime::probe_namespaces() : 0;
    std::optional<runtime::NamespacePlan> namespaces;
    try {
        if (!flags.no_supervisor && namespaces_refused == 0) namespaces = runtime::plan_namespaces(plan, tmp.dir.path);
    } catch (const runtime::SandboxError& e) {  // what the sandbox would refuse too, said as it would
        std::cerr << "nono: " << e.what() << '\n' << e.hint << '\n';
        return runtime::kExitSandboxFailed;
    }
    std::vector<std::string> read_only_binds;
    if (namespaces) read_only_binds = runtime::read_only_binds(*namespaces);
    if (flags.dry_run) {
        runtime::ConcreteRuleset ruleset;
        try {
            ruleset = runtime::resolve_ruleset(plan, abi, read_only_binds);
            if (!namespaces && !flags.no_supervisor)
                for (std::string& w : runtime::weaker_without_namespaces()) ruleset.weaker.push_back(std::move(w));
        } catch (const runtime::SandboxError& e) {  // what the run would refuse, said as the run would
            std::cerr << "nono: " << e.what() << '\n' << e.hint << '\n';
            return runtime::kExitSandboxFailed;
        }
        const std::string why_none = flags.no_supervisor
                                         ? "--no-supervisor: the reaper would be their init"
                                         : std::string("a user namespace is refused here: ") + std::strerror(namespaces_refused);
        std::cout << runtime::describe(plan, ruleset)
                  << runtime::describe_namespaces(namespaces ? &*namespaces : nullptr, why_none) << filter_summary;
        // Names only: a value here would be a secret printed to the terminal.
        std::cout << "environment: not passed:";
        for (const std::string& name : runtime::dropped_variables(plan.env, ::environ)) std::cout << ' ' << name;
        std::cout << '\n';
        return 0;
    }
    if (abi <= 0)  // not even with --allow-weaker: nothing would confine the command
        return refuse("Landlock is not available on this kernel, so nothing would confine the command; nothing was run",
                      "Landlock needs Linux 5.13 or newer with \"landlock\" in the lsm= boot parameter");
    // What is weaker, said; false (after saying so) unless the user accepted it.
    auto accept_weaker = [&](const std::vector<std::string>& weaker) {
        for (const std::string& w : weaker) std::cerr << "nono: weaker than the profile: " << w << '\n';
        if (weaker.empty() || flags.allow_weaker) return true;
        refuse("this machine cannot enforce the profile as written; nothing was run",
               "pass --allow-weaker to run anyway with what is listed above left weaker");
        return false;
    };
    if (!accept_weaker(runtime::weaker_on(plan, abi))) return runtime::kExitSandboxFailed;
    runtime::SandboxOptions sandbox{flags.allow_weaker, std::move(filter), flags.keep_fds, std::move(read_only_binds)};
    if (flags.no_supervisor) {
        std::cerr << "nono: weaker than with the supervisor (--no-supervisor): processes the command leaves "
                     "outlive it, it holds your terminal, its TMPDIR is shared, and it has no namespaces\n";
        runtime::run_sandboxed(plan, sandbox, flags.command);
    }
    for (const char* name : {"TMPDIR", "TMP", "TEMP"}) set_variable(plan.env, name, tmp.dir.path);
    auto without_namespaces = [&](int refused) {
        std::cerr << "nono: no namespaces: a user namespace is refused here: " << std::strerror(refused) << '\n';
        sandbox.read_only_binds.clear();  // no bind realizes those denies now: Landlock carve-outs again
        return accept_weaker(runtime::weaker_without_namespaces());
    };
    return runtime::supervise([&] { runtime::run_sandboxed(plan, sandbox, flags.command); },
                              {tmp.dir, flags.keep_fds, namespaces ? &*namespaces : nullptr, without_namespaces});
}

}  // namespace

int launch(const std::string& path, const FileLoader& load, const LaunchFlags& flags, SourceMap& sources,
           Diagnostics& diags) {
    std::optional<CompileOptions> options = compile_options(flags.profile);
    if (!options) return runtime::kExitSandboxFailed;
    options->arches = {ir::host_arch()};  // the one filter installed
    if (options->bindings.count("TMPDIR") && !flags.no_supervisor)
        return refuse("--bind TMPDIR does not apply to nono: $TMPDIR is the run's private temporary directory; nothing was run");
    std::optional<RunTmpDir> tmp;
    if (!make_private_tmp(flags, tmp)) return runtime::kExitSandboxFailed;
    if (!tmp->dir.path.empty()) options->bindings["TMPDIR"] = tmp->dir.path;
    // The command runs where $CWD points, so the workspace a profile grants is its own.
    if (!flags.profile.workdir.empty() && chdir(flags.profile.workdir.c_str()) != 0)
        return refuse("cannot enter --workdir " + flags.profile.workdir + ": " + std::strerror(errno) + "; nothing was run");
    std::optional<ir::Policy> policy = compile_file(path, *options, load, sources, diags);
    print_diagnostics(diags, sources);
    if (!policy || diags.has_errors())
        return refuse("the profile has errors; nothing was run", "check it with `nonoc check " + path + "`");

    const ir::SyscallTable* table = ir::syscall_table(*policy, ir::host_arch());
    if (!table) return refuse("the profile has no syscall table for " + std::string(ir::arch_name(ir::host_arch())));
    std::vector<sock_filter> filter;
    try {
        filter = seccomp::emit_seccomp(*table);
    } catch (const seccomp::EmitError& e) {
        return refuse(std::string("cannot build the seccomp filter: ") + e.what());
    }
    const std::string summary = describe_filter(*table, filter.size()) + beyond_landlock_text(*policy, ir::host_arch());
    return apply(landlock_plan(*policy), std::move(filter), summary, flags, *tmp);
}

int launch_plan(const std::string& path, const LaunchFlags& flags) {
    const ProfileFlags& p = flags.profile;
    if (!p.params.empty() || !p.bindings.empty() || !p.workdir.empty())
        return refuse("--param, --bind and --workdir do not apply to a compiled plan; nothing was run",
                      "they were fixed when the plan was compiled: `nonoc compile --target plan` takes them");
    runtime::CompiledPlan plan;
    try {
        plan = runtime::load_plan_file(path);
    } catch (const runtime::PlanFileError& e) {
        return refuse(std::string("cannot load the plan ") + e.what() + "; nothing was run");
    }
    if (plan.arch != runtime::host_arch_name())
        return refuse("the plan's seccomp filter is for " + plan.arch + ", and nono runs as " +
                          std::string(runtime::host_arch_name()) + "; nothing was run",
                      "compile it with `nonoc compile --target plan --arch " + std::string(runtime::host_arch_name()) + "`");
    // The plan keeps no syscall names to summarize by: the filter itself is the summary.
    const std::string summary = "seccomp filter (" + plan.arch + "): " + std::to_string(plan.filter.size()) +
                                " instructions\n" + (flags.dry_run ? seccomp::disassemble(plan.filter) : "");
    std::optional<RunTmpDir> tmp;
    if (!make_private_tmp(flags, tmp)) return runtime::kExitSandboxFailed;
    try {
        runtime::place_private_tmp(plan, tmp->dir.path.empty() ? user_tmpdir() : tmp->dir.path);
    } catch (const runtime::PlanFileError& e) {
        return refuse(std::string(e.what()) + "; nothing was run");
    }
    return apply(std::move(plan.landlock), std::move(plan.filter), summary, flags, *tmp);
}

}  // namespace nono::cli
