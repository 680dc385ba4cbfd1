#include "cli/nonoc/commands.hpp"

namespace nono::cli {

void add_check(CLI::App& app, int& status);
void add_fmt(CLI::App& app, int& status);
void add_disasm(CLI::App& app, int& status);

// One line per subcommand, in the order `nonoc --help` lists them.
const std::vector<AddCommand>& nonoc_commands() {
    static const std::vector<AddCommand> commands = {
        add_check,
        add_fmt,
        add_disasm,
    };
    return commands;
}

}  // namespace nono::cli
