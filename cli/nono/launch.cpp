#include "cli/nono/launch.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "compiler/beyond_landlock.hpp"
#include "compiler/compile.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/directories.hpp"
#include "runtime/landlock_abi.hpp"
#include "runtime/mediate_network.hpp"
#include "runtime/plan_file.hpp"
#include "runtime/proxy.hpp"
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
    command.add_option("--resolve", flags.resolve, "Have the proxy reach NAME at ADDR for this run (tests, local mirrors)")
        ->type_name("NAME=ADDR");
    command.add_flag("-v,--verbose", flags.verbose, "At exit, list the connections the proxy and the supervisor refused");
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

// --resolve NAME=ADDR…: the addresses for each name, or nullopt after saying what is wrong.
std::optional<std::map<std::string, std::vector<net::Address>>> resolve_flags(const std::vector<std::string>& specs) {
    std::map<std::string, std::vector<net::Address>> resolved;
    for (const std::string& spec : specs) {
        const std::size_t equals = spec.find('=');
        const auto name = net::parse_host(spec.substr(0, equals));
        const auto address = equals == std::string::npos ? std::nullopt : net::literal_address(spec.substr(equals + 1));
        const auto* pattern = std::get_if<net::HostPattern>(&name);
        if (!address || !pattern || pattern->kind != net::HostPattern::Kind::Name) {
            refuse("--resolve " + spec + ": expected NAME=ADDRESS, such as api.example.com=127.0.0.1; nothing was run");
            return std::nullopt;
        }
        resolved[pattern->name].push_back(*address);
    }
    return resolved;
}

// The end both ways share: what this kernel enforces more weakly, then --dry-run or the
// sandbox and the command, under the supervisor unless --no-supervisor, with the proxy
// and the network mediation when the profile names peers.
int apply(landlock::Plan plan, std::vector<sock_filter> filter, const std::string& filter_summary,
          const LaunchFlags& flags, const RunTmpDir& tmp) {
    const auto resolved = resolve_flags(flags.resolve);
    if (!resolved) return runtime::kExitSandboxFailed;
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
    const std::vector<std::string> weaker = runtime::weaker_on(plan, abi);
    for (const std::string& w : weaker) std::cerr << "nono: weaker than the profile: " << w << '\n';
    if (!weaker.empty() && !flags.allow_weaker)
        return refuse("this machine cannot enforce the profile as written; nothing was run",
                      "pass --allow-weaker to run anyway with what is listed above left weaker");
    if (plan.peers.any() && flags.no_supervisor)
        return refuse("the profile names hosts, loopback or unix sockets, which only the supervisor enforces; nothing was run",
                      "run without --no-supervisor");
    runtime::SandboxOptions sandbox{flags.allow_weaker, std::move(filter), flags.keep_fds};
    if (flags.no_supervisor) {
        std::cerr << "nono: weaker than with the supervisor (--no-supervisor): processes the command leaves "
                     "outlive it, it holds your terminal, and its TMPDIR is shared\n";
        runtime::run_sandboxed(plan, sandbox, flags.command);
    }
    for (const char* name : {"TMPDIR", "TMP", "TEMP"}) set_variable(plan.env, name, tmp.dir.path);
    runtime::Supervision supervision{tmp.dir, flags.keep_fds, {}};
    std::optional<runtime::Proxy> proxy;
    std::optional<runtime::Mediator> mediator;
    try {
        if (!plan.peers.hosts.empty()) proxy.emplace(runtime::ProxyConfig{plan.peers.hosts, *resolved});
        if (plan.peers.any()) {
            if (const auto why = runtime::mediation_unavailable()) {
                std::cerr << "nono: weaker than the profile: this machine cannot mediate the network (" << *why
                          << "): ports only, so the proxy's port is open for every address, loopback is refused and "
                             "every unix socket can be connected to\n";
                if (!flags.allow_weaker)
                    return refuse("this machine cannot enforce the profile as written; nothing was run",
                                  "pass --allow-weaker to run anyway with what is listed above left weaker");
            } else {
                mediator.emplace(runtime::MediationRules{plan.tcp_connect, plan.tcp_bind, plan.peers,
                                                         !(plan.scoped & landlock::kScopeAbstractUnixSocket),
                                                         proxy ? proxy->port() : std::uint16_t{0}});
                sandbox.mediation_channel = mediator->command_end();
                supervision.keep_fds.push_back(mediator->command_end());
            }
        }
    } catch (const runtime::SandboxError& e) {
        return refuse(std::string(e.what()) + "; nothing was run");
    }
    if (proxy) {
        // With the mediation, the supervisor connects the sandbox to the proxy (127.0.0.1
        // only); without it, Landlock allows the proxy's port on every address.
        if (!mediator) plan.tcp_connect.push_back({proxy->port(), proxy->port()});
        for (const auto& [name, value] : runtime::proxy_environment(proxy->url(), plan.peers.hosts))
            set_variable(plan.env, name, value);
    }
    supervision.serve = [&] {
        if (proxy) proxy->start();
        if (mediator) mediator->start();
    };
    const int status = runtime::supervise([&] { runtime::run_sandboxed(plan, sandbox, flags.command); }, supervision);
    if (flags.verbose) {
        for (const std::string& line : proxy ? proxy->refusals() : std::vector<std::string>{})
            std::cerr << "nono: the proxy refused: " << line << '\n';
        for (const std::string& line : mediator ? mediator->refusals() : std::vector<std::string>{})
            std::cerr << "nono: refused: " << line << '\n';
    }
    return status;
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
