// nonoc explain FILE [--json]: the effective policy, each line with the file:line behind it.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/common/profile_flags.hpp"
#include "cli/nonoc/commands.hpp"
#include "compiler/explain.hpp"

namespace nono::cli {

void add_explain(CLI::App& app, int& status) {
    struct Args {
        std::string profile;
        bool json = false;
        ProfileFlags flags;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("explain", "Show the effective policy of a profile, with source lines");
    cmd->add_option("PROFILE", args->profile, "Profile file or built-in name")->required();
    cmd->add_flag("--json", args->json, "Machine-readable output");
    add_profile_flags(*cmd, args->flags);
    cmd->callback([args, &status] {
        std::optional<CompileOptions> options = compile_options(args->flags);
        if (!options) {
            status = 2;
            return;
        }
        SourceMap sources;
        Diagnostics diags;
        std::optional<OptimizedPolicy> policy = compile_profile(args->profile, *options, sources, diags);
        print_diagnostics(diags, sources);
        if (!policy) {
            status = 1;
            return;
        }
        std::cout << (args->json ? explain_json(*policy) : explain_text(*policy));
        status = 0;
    });
}

}  // namespace nono::cli
