// The nono subcommands; each file defines one, and sets `status` to the exit code.
#pragma once

namespace CLI {
class App;
}

namespace nono::cli {

void add_exec(CLI::App& app, int& status);
void add_run(CLI::App& app, int& status);
void add_profiles(CLI::App& app, int& status);

}  // namespace nono::cli
