// nono exec --profile NAME|FILE | --plan FILE [flags] -- CMD…: run a command under a
// profile, or under a plan compiled from one ahead of time.
#include <CLI/CLI.hpp>

#include "cli/nono/commands.hpp"
#include "cli/nono/launch.hpp"
#include "compiler/compile.hpp"

namespace nono::cli {

void add_exec(CLI::App& app, int& status) {
    auto* command = app.add_subcommand("exec", "Run a command under a profile (a built-in name or a file) or a compiled plan");
    static std::string profile, plan;
    static LaunchFlags flags;
    auto* profile_option =
        command->add_option("-p,--profile", profile, "The profile: a built-in name (see `nono profiles`) or a file");
    auto* plan_option =
        command->add_option("--plan", plan, "A plan compiled by `nonoc compile --target plan`: starts without compiling")
            ->type_name("FILE");
    profile_option->excludes(plan_option);
    add_launch_flags(*command, flags);
    command->callback([&status] {
        if (!plan.empty()) {
            status = launch_plan(plan, flags);
            return;
        }
        if (profile.empty()) {
            status = refuse("give --profile NAME|FILE or --plan FILE; nothing was run");
            return;
        }
        SourceMap sources;
        Diagnostics diags;
        std::optional<CompileOptions> options = compile_options(flags.profile);
        if (!options) {
            status = refuse("bad flags; nothing was run");
            return;
        }
        ResolveOptions search;
        search.profile_path = profile_path_from_env();
        search.builtin_dir = builtin_profile_dir();
        std::optional<std::string> path = find_profile(profile, search, diags);
        if (!path) {
            print_diagnostics(diags, sources);
            status = refuse("no profile `" + profile + "`; nothing was run", "`nono profiles` lists the built-in ones");
            return;
        }
        status = launch(*path, disk_loader(sources, diags), flags, sources, diags);
    });
}

}  // namespace nono::cli
