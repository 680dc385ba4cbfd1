// nonoc: the policy compiler's command line. Each subcommand lives in its own file and
// registers itself here; this file only dispatches.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/common/profile_flags.hpp"
#include "cli/nonoc/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"nonoc: compile nono sandbox profiles into Landlock, seccomp and Seatbelt policies"};
    app.set_version_flag("--version", std::string("nonoc ") + NONO_VERSION);
    app.require_subcommand(1);
    int status = 0;
    for (const auto& add : nono::cli::nonoc_commands()) add(app, status);
    nono::cli::one_value_per_flag(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 exits 0 for --help/--version and 106-ish codes for usage errors; ours is 2.
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    } catch (const std::exception& e) {
        // Out of memory, or a bug: a message and a failure, never an abort with a core.
        std::fprintf(stderr, "nonoc: internal error: %s\n", e.what());
        return 1;
    }
    return status;
}
