// nono: the runtime's command line — apply a compiled profile to this process and exec.
#include <CLI/CLI.hpp>
#include <string_view>

#include "cli/common/profile_flags.hpp"
#include "cli/nono/commands.hpp"
#include "cli/nono/launch.hpp"
#include "runtime/command.hpp"

namespace {

// Whether `word`, an option of `command`, takes the next word as its value: `--read P`
// does, `--dry-run`, `--read=P` and `-pNAME` do not. Unknown options take none (CLI11
// refuses them).
bool takes_next_word(const CLI::App& command, std::string_view word) {
    const bool attached = word.find('=') != std::string_view::npos || (word[1] != '-' && word.size() > 2);
    const CLI::Option* option = command.get_option_no_throw(std::string(word.substr(0, word.find('='))));
    return !attached && option && option->get_expected_max() > 0;
}

// argv with `--` before the command's first word, so that nono's options end there:
// in `nono run --allow-cwd cat x --read /etc`, `--read /etc` is cat's. CLI11 alone would
// take any option it knows wherever it appears. An argv that has its own `--` is kept.
std::vector<char*> options_end_at_command(const CLI::App& app, int argc, char** argv) {
    std::vector<char*> args(argv, argv + argc);
    int i = 1;
    while (i < argc && argv[i][0] == '-') ++i;  // --help, --version
    if (i == argc) return args;
    const CLI::App* command = nullptr;
    for (const CLI::App* sub : app.get_subcommands({}))
        if (sub->check_name(argv[i])) command = sub;
    if (!command) return args;
    for (++i; i < argc; ++i) {
        std::string_view word = argv[i];
        if (word == "--") return args;
        if (word.size() < 2 || word[0] != '-') break;
        if (takes_next_word(*command, word)) ++i;
    }
    static char end_of_options[] = "--";
    if (i < argc) args.insert(args.begin() + i, end_of_options);
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"nono: run a program under a kernel-enforced sandbox profile"};
    app.set_version_flag("--version", std::string("nono ") + NONO_VERSION);
    app.require_subcommand(1);
    int status = 0;
    nono::cli::add_exec(app, status);
    nono::cli::add_run(app, status);
    nono::cli::add_profiles(app, status);
    nono::cli::one_value_per_flag(app);
    std::vector<char*> args = options_end_at_command(app, argc, argv);
    try {
        app.parse(static_cast<int>(args.size()), args.data());
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
