// The macOS sandbox of `nono exec` and `nono run` (see target.hpp): the policy as SBPL,
// applied by runtime/seatbelt.hpp in the command's process under the same supervisor as
// on Linux. The runtime's own part (environment, descriptors, setrlimit) comes from the
// same plan the Linux runtime uses. A profile that names hosts gets the same proxy as on
// Linux (runtime/proxy.hpp, on the poll loop), in the supervisor; the SBPL lets the
// sandbox reach its port on localhost, passed as the parameter NONO_PROXY_PORT.
#include <iostream>
#include <optional>

#include "cli/nono/target.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/sbpl/emit_sbpl.hpp"
#include "runtime/command.hpp"
#include "runtime/make_directories.hpp"
#include "runtime/proxy.hpp"
#include "runtime/seatbelt.hpp"
#include "runtime/secret_names.hpp"

namespace nono::cli {

ir::Platform target_platform() { return ir::Platform::Macos; }

int run_policy(const OptimizedPolicy& optimized, const LaunchFlags& flags, const RunTmpDir& tmp) {
    const ir::Policy& policy = optimized.policy();
    TargetOutput sbpl;
    try {
        TargetOptions options;
        options.base_name = policy.name;
        sbpl = sbpl::emit(optimized, options);
    } catch (const sbpl::UnrepresentableString& e) {
        return refuse(std::string("cannot write the profile for Seatbelt: ") + e.what() + "; nothing was run");
    }
    const landlock::Plan plan = landlock_plan(policy);
    runtime::SeatbeltSandbox sandbox{sbpl.artifacts.at(0).content, {}, plan.env, plan.limits, flags.keep_fds};
    const auto resolved = resolve_flags(flags.resolve);
    if (!resolved) return runtime::kExitSandboxFailed;
    const bool hosts = !plan.peers.hosts.empty();
    if (flags.dry_run) {
        std::cout << sandbox.profile;
        if (hosts) std::cout << "; parameter: " << sbpl::kProxyPortParam << "=the port of the run's proxy\n";
        // Names only: a value here would be a secret printed to the terminal.
        std::cout << "; environment: not passed:";
        for (const std::string& name : runtime::dropped_variables(sandbox.env, ::environ)) std::cout << ' ' << name;
        std::cout << '\n';
        return 0;
    }
    bool weaker = false;
    for (const FidelityItem& item : sbpl.fidelity.items)
        if (item.level == FidelityItem::Level::Weaker) {
            std::cerr << "nono: weaker than the profile: " << item.what << '\n';
            weaker = true;
        }
    if (weaker && !flags.allow_weaker)
        return refuse("Seatbelt cannot enforce the profile as written; nothing was run",
                      "pass --allow-weaker to run anyway with what is listed above left weaker");
    if (hosts && flags.no_supervisor)
        return refuse("the profile names hosts, which only the supervisor's proxy reaches; nothing was run",
                      "run without --no-supervisor");
    if (flags.no_supervisor) {
        std::cerr << "nono: weaker than with the supervisor (--no-supervisor): processes the command leaves "
                     "outlive it, it holds your terminal, and its TMPDIR is shared\n";
        runtime::run_in_seatbelt(sandbox, flags.command);
    }
    const runtime::MadeDirectories made = runtime::make_missing_directories(plan.make_directories, runtime::own_places());
    if (!flags.quiet)
        for (const std::string& line : made.not_made) std::cerr << "nono: not made: " << line << '\n';
    for (const char* name : {"TMPDIR", "TMP", "TEMP"}) set_variable(sandbox.env, name, tmp.dir.path);
    std::optional<runtime::Proxy> proxy;
    if (hosts) {
        try {
            proxy.emplace(runtime::ProxyConfig{plan.peers.hosts, *resolved}, runtime::make_poll_loop());
        } catch (const runtime::SandboxError& e) {
            return refuse(std::string(e.what()) + "; nothing was run");
        }
        sandbox.params[std::string(sbpl::kProxyPortParam)] = std::to_string(proxy->port());
        // Seatbelt cannot name an address: the proxy takes them too, and loopback unless the
        // profile allows it.
        for (const auto& [name, value] : runtime::proxy_environment(proxy->url(), plan.peers.loopback, {}))
            set_variable(sandbox.env, name, value);
    }
    runtime::Supervision supervision{tmp.dir, flags.keep_fds};
    supervision.serve = [&] {
        if (proxy) proxy->start();
    };
    const int status = runtime::supervise([&] { runtime::run_in_seatbelt(sandbox, flags.command); }, supervision);
    if (flags.verbose && proxy) print_refusals(*proxy);
    return status;
}

int launch_plan(const std::string& path, const LaunchFlags&) {
    return refuse("--plan " + path + ": a compiled plan is for Linux; on macOS nono compiles the profile when it runs",
                  "use --profile; a compiled .sb runs with `sandbox-exec -f FILE.sb`, without nono's supervisor");
}

}  // namespace nono::cli
