// The registry of nonoc subcommands. Each command file defines one `add_*` function that
// adds its CLI11 subcommand and, in its callback, sets `status` to the exit code:
// 0 success, 1 an invalid profile (or "denied"/"differs" for why/diff/fmt --check),
// 2 bad usage.
#pragma once

#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace nono::cli {

using AddCommand = std::function<void(CLI::App& app, int& status)>;

const std::vector<AddCommand>& nonoc_commands();

}  // namespace nono::cli
