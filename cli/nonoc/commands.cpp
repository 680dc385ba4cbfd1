#include "cli/nonoc/commands.hpp"

namespace nono::cli {

// One line per subcommand, in the order `nonoc --help` lists them.
const std::vector<AddCommand>& nonoc_commands() {
    static const std::vector<AddCommand> commands = {};
    return commands;
}

}  // namespace nono::cli
