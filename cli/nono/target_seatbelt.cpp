// The macOS sandbox of `nono exec` and `nono run` (see target.hpp): the policy as SBPL,
// applied by runtime/seatbelt.hpp in the command's process under the same supervisor as
// on Linux. The runtime's own part (environment, descriptors, setrlimit) comes from the
// same plan the Linux runtime uses.
#include <iostream>

#include "cli/nono/target.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/sbpl/emit_sbpl.hpp"
#include "runtime/command.hpp"
#include "runtime/make_directories.hpp"
#include "runtime/seatbelt.hpp"
#include "runtime/secret_names.hpp"

namespace nono::cli {

ir::Platform target_platform() { return ir::Platform::Macos; }

int run_policy(const ir::Policy& policy, const LaunchFlags& flags, const RunTmpDir& tmp) {
    TargetOutput sbpl;
    try {
        TargetOptions options;
        options.base_name = policy.name;
        sbpl = sbpl::emit(policy, options);
    } catch (const sbpl::UnrepresentableString& e) {
        return refuse(std::string("cannot write the profile for Seatbelt: ") + e.what() + "; nothing was run");
    }
    const landlock::Plan plan = landlock_plan(policy);
    runtime::SeatbeltSandbox sandbox{sbpl.artifacts.at(0).content, {}, plan.env, plan.limits, flags.keep_fds};
    if (flags.dry_run) {
        std::cout << sandbox.profile;
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
    if (flags.no_supervisor) {
        std::cerr << "nono: weaker than with the supervisor (--no-supervisor): processes the command leaves "
                     "outlive it, it holds your terminal, and its TMPDIR is shared\n";
        runtime::run_in_seatbelt(sandbox, flags.command);
    }
    const runtime::MadeDirectories made = runtime::make_missing_directories(plan.make_directories, runtime::own_places());
    if (!flags.quiet)
        for (const std::string& line : made.not_made) std::cerr << "nono: not made: " << line << '\n';
    for (const char* name : {"TMPDIR", "TMP", "TEMP"}) set_variable(sandbox.env, name, tmp.dir.path);
    return runtime::supervise([&] { runtime::run_in_seatbelt(sandbox, flags.command); }, {tmp.dir, flags.keep_fds});
}

int launch_plan(const std::string& path, const LaunchFlags&) {
    return refuse("--plan " + path + ": a compiled plan is for Linux; on macOS nono compiles the profile when it runs",
                  "use --profile; a compiled .sb runs with `sandbox-exec -f FILE.sb`, without nono's supervisor");
}

}  // namespace nono::cli
