// nono: the runtime's command line — apply a compiled profile to this process and exec.
#include <CLI/CLI.hpp>

#include "cli/common/profile_flags.hpp"
#include "cli/nono/commands.hpp"
#include "cli/nono/launch.hpp"
#include "runtime/sandbox.hpp"

int main(int argc, char** argv) {
    CLI::App app{"nono: run a program under a kernel-enforced sandbox profile"};
    app.set_version_flag("--version", std::string("nono ") + NONO_VERSION);
    app.require_subcommand(1);
    int status = 0;
    nono::cli::add_exec(app, status);
    nono::cli::add_run(app, status);
    nono::cli::add_profiles(app, status);
    nono::cli::one_value_per_flag(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; a usage error is nono's own failure: nothing ran.
        int code = app.exit(e);
        return code == 0 ? 0 : nono::runtime::kExitSandboxFailed;
    } catch (const std::exception& e) {
        // Out of memory, or a bug, before anything ran: fail closed with a message.
        return nono::cli::refuse(std::string("internal error: ") + e.what() + "; nothing was run");
    }
    return status;
}
