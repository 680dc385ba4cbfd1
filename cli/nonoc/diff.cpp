// nonoc diff A B: what B allows that A does not (+), and the reverse (-). Exit 0 and no
// output when the two decide alike, 1 when they differ.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/common/profile_flags.hpp"
#include "cli/nonoc/commands.hpp"
#include "compiler/diff.hpp"

namespace nono::cli {

void add_diff(CLI::App& app, int& status) {
    struct Args {
        std::string a, b;
        ProfileFlags flags;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("diff", "Show what one profile allows that another does not");
    cmd->add_option("A", args->a, "The profile compared against")->required();
    cmd->add_option("B", args->b, "The profile compared")->required();
    add_profile_flags(*cmd, args->flags);
    cmd->callback([args, &status] {
        std::optional<CompileOptions> options = compile_options(args->flags);
        if (!options) {
            status = 2;
            return;
        }
        SourceMap sources;
        Diagnostics diags;
        std::optional<OptimizedPolicy> a = compile_profile(args->a, *options, sources, diags);
        std::optional<OptimizedPolicy> b = compile_profile(args->b, *options, sources, diags);
        print_diagnostics(diags, sources);
        if (!a || !b) {
            status = 2;
            return;
        }
        std::vector<std::string> lines = policy_diff(a->policy(), b->policy());
        for (const std::string& line : lines) std::cout << line << '\n';
        status = lines.empty() ? 0 : 1;
    });
}

}  // namespace nono::cli
