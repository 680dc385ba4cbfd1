// The Linux sandbox of `nono exec` and `nono run` (see target.hpp): the policy's seccomp
// filter for this machine's architecture and its Landlock plan, applied by
// runtime/sandbox.hpp in the command's process; and plans compiled ahead of time.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/nono/target.hpp"
#include "compiler/beyond_landlock.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "runtime/landlock_abi.hpp"
#include "runtime/plan_file.hpp"
#include "runtime/run_cgroup.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/secret_names.hpp"
#include "runtime/supervisor.hpp"

namespace nono::cli {

namespace {

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
    if (flags.dry_run) {
        runtime::ConcreteRuleset ruleset;
        try {
            ruleset = runtime::resolve_ruleset(plan, abi);
        } catch (const runtime::SandboxError& e) {  // what the run would refuse, said as the run would
            std::cerr << "nono: " << e.what() << '\n' << e.hint << '\n';
            return runtime::kExitSandboxFailed;
        }
        std::cout << runtime::describe(plan, ruleset) << filter_summary;
        // Names only: a value here would be a secret printed to the terminal.
        std::cout << "environment: not passed:";
        for (const std::string& name : runtime::dropped_variables(plan.env, ::environ)) std::cout << ' ' << name;
        std::cout << '\n';
        return 0;
    }
    if (abi <= 0)  // not even with --allow-weaker: nothing would confine the command
        return refuse("Landlock is not available on this kernel, so nothing would confine the command; nothing was run",
                      "Landlock needs Linux 5.13 or newer with \"landlock\" in the lsm= boot parameter");
    // The run's cgroup, where the user's cgroup subtree allows one: a run goes on without
    // it (the reaper alone keeps nothing outliving the run), but not the limits it carries.
    std::optional<run_cgroup::RunCgroup> cgroup;
    run_cgroup::Place place = flags.no_supervisor ? run_cgroup::Place{{}, "--no-supervisor"} : run_cgroup::probe_place();
    if (!place.parent.empty()) try {
            cgroup.emplace(place, plan.limits);
        } catch (const runtime::SandboxError& e) {
            place = {{}, e.what()};
        }
    std::vector<std::string> weaker = runtime::weaker_on(plan, abi);
    for (std::string& w : limits::weaker_than_written(plan.limits, run_cgroup::enforcement_at(place))) weaker.push_back(std::move(w));
    for (const std::string& w : weaker) std::cerr << "nono: weaker than the profile: " << w << '\n';
    if (!weaker.empty() && !flags.allow_weaker)
        return refuse("this machine cannot enforce the profile as written; nothing was run",
                      "pass --allow-weaker to run anyway with what is listed above left weaker");
    runtime::SandboxOptions sandbox{flags.allow_weaker, std::move(filter), flags.keep_fds, run_cgroup::enforcement_at(place)};
    if (flags.no_supervisor) {
        std::cerr << "nono: weaker than with the supervisor (--no-supervisor): processes the command leaves "
                     "outlive it, it holds your terminal, and its TMPDIR is shared\n";
        runtime::run_sandboxed(plan, sandbox, flags.command);
    }
    for (const char* name : {"TMPDIR", "TMP", "TEMP"}) set_variable(plan.env, name, tmp.dir.path);
    return runtime::supervise([&] { runtime::run_sandboxed(plan, sandbox, flags.command); },
                              {tmp.dir, flags.keep_fds, cgroup ? cgroup->procs_fd() : -1});
}

}  // namespace

ir::Platform target_platform() { return ir::Platform::Linux; }

int run_policy(const ir::Policy& policy, const LaunchFlags& flags, const RunTmpDir& tmp) {
    const ir::SyscallTable* table = ir::syscall_table(policy, ir::host_arch());
    if (!table) return refuse("the profile has no syscall table for " + std::string(ir::arch_name(ir::host_arch())));
    std::vector<sock_filter> filter;
    try {
        filter = seccomp::emit_seccomp(*table);
    } catch (const seccomp::EmitError& e) {
        return refuse(std::string("cannot build the seccomp filter: ") + e.what());
    }
    const std::string summary = describe_filter(*table, filter.size()) + beyond_landlock_text(policy, ir::host_arch());
    return apply(landlock_plan(policy), std::move(filter), summary, flags, tmp);
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
