// The Linux sandbox of `nono exec` and `nono run` (see target.hpp): the policy's seccomp
// filter for this machine's architecture and its Landlock plan, applied by
// runtime/sandbox.hpp in the command's process; and plans compiled ahead of time.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <unistd.h>

#include "cli/nono/nested_sandbox.hpp"
#include "cli/nono/target.hpp"
#include "compiler/beyond_landlock.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/plan/emit_plan.hpp"
#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/explain.hpp"
#include "compiler/json.hpp"
#include "runtime/landlock_syscalls.hpp"
#include "runtime/make_directories.hpp"
#include "runtime/mediate_metadata.hpp"
#include "runtime/mediate_network.hpp"
#include "runtime/mediation.hpp"
#include "runtime/namespaces.hpp"
#include "plan/plan_file.hpp"
#include "runtime/load_plan_file.hpp"
#include "runtime/protected_files.hpp"
#include "runtime/proxy.hpp"
#include "runtime/run_cgroup.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/secret_names.hpp"
#include "runtime/supervisor.hpp"
#include "runtime/unmet_grants.hpp"

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

// A skipped path of the ruleset that is missing ("PATH: No such file or directory", or a
// glob's "PATTERN: no directory DIR"), as opposed to one not followed or out of reach.
// `path` as the user writes it, with ~ for their home: a line at start stays short.
std::string shown_from_home(const std::string& path) {
    const char* home = std::getenv("HOME");
    const std::string prefix = home && *home ? std::string(home) + "/" : "";
    return !prefix.empty() && path.rfind(prefix, 0) == 0 ? "~/" + path.substr(prefix.size()) : path;
}

bool missing(const std::string& skipped) {
    return skipped.ends_with(std::string(": ") + std::strerror(ENOENT)) || skipped.find(": no directory ") != std::string::npos;
}

std::string json_strings(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
    return out + "]";
}

// Where the run's cgroup is made, if it needs one: for the limits it carries, and where the
// run has no pid namespace (`namespaces_refused`, or --no-supervisor: none at all), to find
// the processes of a run whose nono and reaper were killed. With one, none is made: the end
// of its init takes every process of the run.
run_cgroup::Place run_cgroup_place(const limits::Limits& limits, const LaunchFlags& flags, int namespaces_refused) {
    if (flags.no_supervisor) return {{}, "--no-supervisor"};
    if (!limits.for_a_cgroup() && namespaces_refused == 0)
        return {{}, "not needed: no limit of the profile needs one, and the pid namespace ends with the run"};
    return run_cgroup::probe_place();
}

// The protected paths no bind covers in this run (`namespaces`: its view, or none), said as
// weaker: writable while the run lasts, checked by the supervisor when it ends.
std::vector<std::string> protected_unbound(const landlock::Plan& plan, const runtime::NamespacePlan* namespaces) {
    std::vector<std::string> out;
    for (const std::string& path : runtime::protected_names(plan.protect)) {
        const bool bound = namespaces && std::any_of(namespaces->binds.begin(), namespaces->binds.end(), [&](const runtime::Bind& b) {
                               return b.path == path && b.kind == runtime::Bind::kReadOnly;
                           });
        if (!bound)
            out.push_back(path + " (protect): " + (namespaces ? "missing at start or outside every write grant" : "no user namespace") +
                          ", so no read-only bind: writable while the run lasts; what the run makes or changes there is "
                          "moved aside when it ends");
    }
    return out;
}

// --dry-run: what the run would apply, as `nonoc explain` says it (each line with the
// statements behind it, denies and carve-outs included; a compiled plan, which keeps no
// statements, as its concrete ruleset), then what this machine makes of it: the directories
// made at start, the grants it leaves unmet, the missing paths whose rules are skipped.
int dry_run(const landlock::Plan& plan, const OptimizedPolicy* policy, const std::string& filter_summary,
            const LaunchFlags& flags, int abi, const RunTmpDir& tmp) {
    // The namespace mode wherever the kernel lets this user have one; a dry run asks the
    // kernel (a run finds out when the reaper is cloned). With --no-supervisor there are
    // none: the supervisor's reaper is their init.
    const int namespaces_refused = flags.no_supervisor ? 0 : runtime::probe_namespaces();
    const bool without_namespaces = !flags.no_supervisor && namespaces_refused != 0;
    const std::optional<std::string> cannot_mediate = without_namespaces ? runtime::mediation_unavailable() : std::nullopt;
    std::optional<runtime::NamespacePlan> namespaces;
    runtime::ConcreteRuleset ruleset;
    try {
        runtime::PathFacts facts;
        if (!flags.no_supervisor && namespaces_refused == 0) namespaces = runtime::plan_namespaces(plan, tmp.dir.path, facts);
        ruleset = runtime::resolve_ruleset(plan, abi, namespaces ? runtime::read_only_binds(*namespaces) : std::vector<std::string>{});
        if (without_namespaces)
            for (std::string& w : runtime::weaker_without_namespaces()) ruleset.weaker.push_back(std::move(w));
        if (!flags.no_supervisor)
            for (std::string& w : protected_unbound(plan, namespaces ? &*namespaces : nullptr)) ruleset.weaker.push_back(std::move(w));
        if (cannot_mediate) ruleset.weaker.push_back(runtime::unmediated_metadata(*cannot_mediate));
        ruleset.limits = run_cgroup::enforcement_at(run_cgroup_place(plan.limits, flags, namespaces_refused));
        for (std::string& w : limits::weaker_than_written(plan.limits, ruleset.limits)) ruleset.weaker.push_back(std::move(w));
    } catch (const runtime::SandboxError& e) {  // what the run would refuse, said as the run would
        std::cerr << "nono: " << e.what() << '\n' << e.hint << '\n';
        return runtime::kExitSandboxFailed;
    }
    std::vector<std::string> absent, skipped;
    for (const std::string& s : ruleset.skipped)
        missing(s) ? absent.push_back(s.substr(0, s.rfind(": "))) : skipped.push_back(s);
    std::vector<std::string> made;  // at start: those missing now
    std::copy_if(plan.make_directories.begin(), plan.make_directories.end(), std::back_inserter(made),
                 [](const std::string& d) { return !std::filesystem::exists(std::filesystem::symlink_status(d)); });
    std::vector<std::string> not_granted;
    for (const std::string& path : runtime::missing_write_grants(plan))
        not_granted.push_back(path + " does not exist: not writable in this run");
    for (std::string& cost : runtime::carve_out_costs(plan)) not_granted.push_back(std::move(cost));
    // Names only: a value here would be a secret printed to the terminal.
    const std::vector<std::string> dropped = runtime::dropped_variables(plan.env, ::environ);
    const std::string metadata = namespaces      ? "refused outside the write grants by the read-only view"
                                 : !without_namespaces ? "not refused (--no-supervisor: no namespaces, no mediation)"
                                 : cannot_mediate  ? "not refused: this machine cannot mediate (" + *cannot_mediate + ")"
                                                   : "mediated by the supervisor (seccomp user notification): performed "
                                                     "only inside the write grants, on what it opened itself";
    if (flags.json) {
        std::cout << "{\"policy\": " << (policy ? explain_json(*policy) : "null") << ",\n \"machine\": {\"landlock_abi\": " << abi
                  << ", \"made_when_missing\": " << json_strings(made)
                  << ", \"not_granted\": " << json_strings(not_granted) << ", \"missing\": " << json_strings(absent)
                  << ", \"skipped\": " << json_strings(skipped) << ", \"resolved\": " << json_strings(ruleset.resolved)
                  << ", \"weaker\": " << json_strings(ruleset.weaker) << ", \"metadata\": " << json_string(metadata)
                  << ", \"environment_not_passed\": " << json_strings(dropped) << ",\n  \"rules\": [";
        for (std::size_t i = 0; i < ruleset.rules.size(); ++i) {
            const runtime::ConcreteRule& r = ruleset.rules[i];
            std::cout << (i ? ",\n    " : "\n    ") << "{\"path\": " << json_string(r.path) << ", \"access\": \""
                      << landlock::fs_access_to_string(r.access) << "\", \"directory\": " << (r.directory ? "true" : "false") << "}";
        }
        std::cout << "]}}\n";
        return 0;
    }
    runtime::ConcreteRuleset shown = ruleset;
    shown.skipped = skipped;
    if (policy) {
        std::cout << explain_text(*policy) << "on this machine:\n";
        shown.rules.clear();  // explain said them, with their statements
    }
    const std::string why_none = flags.no_supervisor
                                     ? "--no-supervisor: the reaper would be their init"
                                     : std::string("a user namespace is refused here: ") + std::strerror(namespaces_refused);
    std::cout << runtime::describe(plan, shown) << runtime::describe_namespaces(namespaces ? &*namespaces : nullptr, why_none)
              << "metadata (chmod, chown, utimes, xattrs, inode flags): " << metadata << '\n';
    for (const std::string& d : made) std::cout << "made when missing (mode 0700): " << d << '\n';
    for (const std::string& line : not_granted) std::cout << "not granted: " << line << '\n';
    if (!absent.empty()) {
        std::cout << "missing, so their rules are skipped (a file made there later gets nothing): " << absent.size()
                  << " paths:";
        for (const std::string& a : absent) std::cout << ' ' << a;
        std::cout << '\n';
    }
    std::cout << filter_summary << "environment: not passed:";
    for (const std::string& name : dropped) std::cout << ' ' << name;
    std::cout << '\n';
    return 0;
}

// The end both ways share: what this kernel enforces more weakly, then --dry-run or the
// sandbox and the command, under the supervisor unless --no-supervisor, with the proxy
// and the network mediation when the profile names peers. `policy`: the compiled
// profile, or nullptr for a plan file.
int apply(landlock::Plan plan, std::vector<sock_filter> filter, const std::string& filter_summary,
          const OptimizedPolicy* policy, const LaunchFlags& flags, const RunTmpDir& tmp) {
    const auto resolved = resolve_flags(flags.resolve);
    if (!resolved) return runtime::kExitSandboxFailed;
    const int abi = landlock::probe_abi();
    if (flags.dry_run) return dry_run(plan, policy, filter_summary, flags, abi, tmp);
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
    // The run's cgroup, where the user's cgroup subtree allows one and the run needs one
    // (run_cgroup_place): a run goes on without it, but not the limits it carries.
    std::optional<run_cgroup::RunCgroup> cgroup;
    run_cgroup::Place place = run_cgroup_place(plan.limits, flags, 0);
    auto make_cgroup = [&] {
        if (!place.parent.empty()) try {
                cgroup.emplace(place, plan.limits);
            } catch (const runtime::SandboxError& e) {
                place = {{}, e.what()};
            }
    };
    make_cgroup();
    std::vector<std::string> weaker = runtime::weaker_on(plan, abi);
    for (std::string& w : limits::weaker_than_written(plan.limits, run_cgroup::enforcement_at(place))) weaker.push_back(std::move(w));
    if (!accept_weaker(weaker)) return runtime::kExitSandboxFailed;
    if (plan.peers.any() && flags.no_supervisor)
        return refuse("the profile names hosts, loopback or unix sockets, which only the supervisor enforces; nothing was run",
                      "run without --no-supervisor");
    // Before the namespaces are planned: a directory made now is a write grant to bind.
    const runtime::MadeDirectories made = runtime::make_missing_directories(plan.make_directories, runtime::own_places());
    if (!flags.quiet) {
        for (const std::string& line : made.not_made) std::cerr << "nono: not made: " << line << '\n';
        for (const std::string& line : runtime::carve_out_costs(plan)) std::cerr << "nono: " << line << '\n';
        if (const std::vector<std::string> missing = runtime::missing_write_grants(plan); !missing.empty()) {
            std::cerr << "nono: missing at start, so not writable in this run:";
            for (const std::string& path : missing) std::cerr << ' ' << shown_from_home(path);
            std::cerr << " (-q hides this)\n";
        }
        if (const auto hint = nested_sandbox_hint(flags.command)) std::cerr << "nono: " << *hint << '\n';
    }
    // The namespace mode wherever the kernel lets this user have one. The supervisor's reaper
    // is their init: with --no-supervisor there are none, as that says. A run finds out
    // when the reaper is cloned (without_namespaces below).
    std::optional<runtime::NamespacePlan> namespaces;
    runtime::PathFacts facts;  // learned here once, for the command's sandbox too
    try {
        if (!flags.no_supervisor) namespaces = runtime::plan_namespaces(plan, tmp.dir.path, facts);
    } catch (const runtime::SandboxError& e) {  // what the sandbox would refuse too, said as it would
        std::cerr << "nono: " << e.what() << '\n' << e.hint << '\n';
        return runtime::kExitSandboxFailed;
    }
    if (namespaces && namespaces->git_search_stopped && !flags.quiet)
        std::cerr << "nono: the search for git repositories in the write grants stopped at its budget: the hooks and "
                     "config of those it did not reach stay writable (--dry-run lists what it found; -q hides this)\n";
    runtime::SandboxOptions sandbox{flags.allow_weaker, std::move(filter), flags.keep_fds, run_cgroup::enforcement_at(place),
                                    namespaces ? runtime::read_only_binds(*namespaces) : std::vector<std::string>{}};
    sandbox.path_facts = &facts;
    if (flags.no_supervisor) {
        std::cerr << "nono: weaker than with the supervisor (--no-supervisor): processes the command leaves "
                     "outlive it, it holds your terminal, its TMPDIR is shared, and it has no namespaces\n";
        if (!plan.protect.empty())
            std::cerr << "nono: weaker than with the supervisor (--no-supervisor): the protected files are neither "
                         "bound read-only nor checked when the command ends\n";
        runtime::run_sandboxed(plan, sandbox, runtime::PreparedCommand(flags.command, runtime::command_environment(plan.env, ::environ)));
    }
    for (const char* name : {"TMPDIR", "TMP", "TEMP"}) set_variable(plan.env, name, tmp.dir.path);
    runtime::Supervision supervision{tmp.dir, flags.keep_fds, cgroup ? cgroup->dir_fd() : -1,
                                     cgroup ? cgroup->procs_fd() : -1, namespaces ? &*namespaces : nullptr, {}, {}};
    // One mediation for the run (mediation.hpp): the network's part where the profile names
    // peers, the metadata's and pidfd_open's where the run finds itself without namespaces.
    // What it carries is settled before the command is forked.
    std::optional<runtime::Proxy> proxy;
    std::optional<runtime::Mediator> mediator;
    std::optional<std::optional<std::string>> unavailable;  // asked once, when first needed
    auto cannot_mediate = [&]() -> const std::optional<std::string>& {
        if (!unavailable) unavailable = runtime::mediation_unavailable();
        return *unavailable;
    };
    auto start_mediator = [&] {
        if (mediator) return;
        mediator.emplace();
        sandbox.mediation_channel = mediator->command_end();
        supervision.keep_fds.push_back(mediator->command_end());
    };
    supervision.without_namespaces = [&](int refused) {
        std::cerr << "nono: no namespaces: a user namespace is refused here: " << std::strerror(refused) << '\n';
        sandbox.read_only_binds.clear();  // no bind realizes those denies now: Landlock carve-outs again
        std::vector<std::string> weaker = runtime::weaker_without_namespaces();
        if (const auto& why = cannot_mediate()) {
            weaker.push_back(runtime::unmediated_metadata(*why));
        } else {
            try {
                start_mediator();
                mediator->mediate_metadata(runtime::resolve_ruleset(plan, abi));
                mediator->mediate_pidfd_open();
            } catch (const runtime::SandboxError& e) {  // what the sandbox would refuse too, said as it would
                std::cerr << "nono: " << e.what() << '\n' << e.hint << '\n';
                return false;
            }
            sandbox.mediated.metadata = sandbox.mediated.pidfd_open = true;
        }
        if (!accept_weaker(weaker)) return false;
        if (!cgroup) {
            place = run_cgroup_place(plan.limits, flags, refused);
            make_cgroup();
            supervision.cgroup_dir = cgroup ? cgroup->dir_fd() : -1;
            supervision.cgroup_procs = cgroup ? cgroup->procs_fd() : -1;
        }
        return true;
    };
    try {
        if (!plan.peers.hosts.empty())
            proxy.emplace(runtime::ProxyConfig{plan.peers.hosts, *resolved}, runtime::make_epoll_loop());
        if (plan.peers.any()) {
            if (const auto& why = cannot_mediate()) {
                std::cerr << "nono: weaker than the profile: this machine cannot mediate the network (" << *why
                          << "): ports only, so the proxy's port is open for every address, loopback is refused and "
                             "every unix socket can be connected to\n";
                if (!flags.allow_weaker)
                    return refuse("this machine cannot enforce the profile as written; nothing was run",
                                  "pass --allow-weaker to run anyway with what is listed above left weaker");
            } else {
                start_mediator();
                mediator->mediate_network(runtime::MediationRules{plan.tcp_connect, plan.tcp_bind, plan.peers,
                                                                  !(plan.scoped & landlock::kScopeAbstractUnixSocket),
                                                                  proxy ? proxy->port() : std::uint16_t{0}});
                sandbox.mediated.network = true;
            }
        }
    } catch (const runtime::SandboxError& e) {
        return refuse(std::string(e.what()) + "; nothing was run");
    }
    if (proxy) {
        // With the mediation, the supervisor connects the sandbox to the proxy (127.0.0.1
        // only); without it, Landlock allows the proxy's port on every address.
        if (!sandbox.mediated.network) plan.tcp_connect.push_back({proxy->port(), proxy->port()});
        // Loopback and the addresses the profile names are reached directly: the supervisor
        // decides those per connect.
        for (const auto& [name, value] : runtime::proxy_environment(proxy->url(), true, plan.peers.hosts))
            set_variable(plan.env, name, value);
    }
    // On threads of their own, started only once the reaper is cloned off (a raw clone
    // must not copy a process with other threads).
    supervision.serve = [&] {
        if (proxy) proxy->start();
        if (mediator) mediator->start();
    };
    // What the protected paths are before anything of the run exists; compared once nothing is left.
    // So are, in the namespaces, what git would run code from in a repository but is missing.
    std::vector<std::string> checked = plan.protect;
    if (namespaces) checked.insert(checked.end(), namespaces->checked_at_end.begin(), namespaces->checked_at_end.end());
    const std::vector<runtime::ProtectedFile> protected_files = runtime::record_protected(checked);
    // Its environment complete (TMPDIR, the proxy's): prepared once, before any process is forked.
    const runtime::PreparedCommand command(flags.command, runtime::command_environment(plan.env, ::environ));
    const int status = runtime::supervise([&] { runtime::run_sandboxed(plan, sandbox, command); }, supervision);
    for (const std::string& line : runtime::check_protected(protected_files, "run-" + std::to_string(getpid())))
        std::cerr << "nono: " << line << '\n';
    if (flags.verbose) {
        if (proxy) print_refusals(*proxy);
        for (const std::string& line : mediator ? mediator->refusals() : std::vector<std::string>{})
            std::cerr << "nono: refused: " << line << '\n';
    }
    return status;
}

}  // namespace

ir::Platform target_platform() { return ir::Platform::Linux; }

int run_policy(const OptimizedPolicy& optimized, const LaunchFlags& flags, const RunTmpDir& tmp) {
    const ir::Policy& policy = optimized.policy();
    plan::CompiledPlan plan;
    try {
        plan = compiled_plan(optimized, ir::host_arch());
    } catch (const seccomp::EmitError& e) {
        return refuse(std::string("cannot build the seccomp filter: ") + e.what());
    }
    const std::string summary = describe_filter(*ir::syscall_table(policy, ir::host_arch()), plan.filter.size()) +
                                beyond_landlock_text(optimized, ir::host_arch());
    return apply(std::move(plan.landlock), std::move(plan.filter), summary, &optimized, flags, tmp);
}

int launch_plan(const std::string& path, const LaunchFlags& flags) {
    const ProfileFlags& p = flags.profile;
    if (!p.params.empty() || !p.bindings.empty() || !p.workdir.empty())
        return refuse("--param, --bind and --workdir do not apply to a compiled plan; nothing was run",
                      "they were fixed when the plan was compiled: `nonoc compile --target plan` takes them");
    plan::CompiledPlan plan;
    try {
        plan = runtime::load_plan_file(path);
    } catch (const plan::PlanFileError& e) {
        return refuse(std::string("cannot load the plan ") + e.what() + "; nothing was run");
    }
    if (plan.arch != plan::host_arch_name())
        return refuse("the plan's seccomp filter is for " + plan.arch + ", and nono runs as " +
                          std::string(plan::host_arch_name()) + "; nothing was run",
                      "compile it with `nonoc compile --target plan --arch " + std::string(plan::host_arch_name()) + "`");
    // The plan keeps no syscall names to summarize by: the filter itself is the summary.
    const std::string summary = "seccomp filter (" + plan.arch + "): " + std::to_string(plan.filter.size()) +
                                " instructions\n" + (flags.dry_run ? seccomp::disassemble(plan.filter) : "");
    std::optional<RunTmpDir> tmp;
    if (!make_private_tmp(flags, tmp)) return runtime::kExitSandboxFailed;
    try {
        plan::place_private_tmp(plan, tmp->dir.path.empty() ? user_tmpdir() : tmp->dir.path);
    } catch (const plan::PlanFileError& e) {
        return refuse(std::string(e.what()) + "; nothing was run");
    }
    return apply(std::move(plan.landlock), std::move(plan.filter), summary, nullptr, flags, *tmp);
}

}  // namespace nono::cli
