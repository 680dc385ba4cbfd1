// nono exec --profile NAME|FILE [flags] -- CMD…: run a command under a profile.
#include <CLI/CLI.hpp>

#include "cli/nono/commands.hpp"
#include "cli/nono/launch.hpp"
#include "compiler/compile.hpp"

namespace nono::cli {

void add_exec(CLI::App& app, int& status) {
    auto* command = app.add_subcommand("exec", "Run a command under a profile (a built-in name or a file)");
    static std::string profile;
    static LaunchFlags flags;
    command->add_option("-p,--profile", profile, "The profile: a built-in name (see `nono profiles`) or a file")
        ->required();
    add_launch_flags(*command, flags);
    command->callback([&status] {
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
