// The flags every command that resolves a profile takes: --param K=V, --bind VAR=VAL,
// --workdir DIR, --platform linux|macos.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/compile.hpp"

namespace CLI {
class App;
}

namespace nono::cli {

struct ProfileFlags {
    std::vector<std::string> params;
    std::vector<std::string> bindings;
    std::string workdir;
    std::string platform = "linux";
};

void add_profile_flags(CLI::App& command, ProfileFlags& flags, bool with_platform = true);

// The compile options the flags say; nullopt after printing a usage error to stderr.
std::optional<CompileOptions> compile_options(const ProfileFlags& flags);

// Makes every repeatable flag of every subcommand take exactly one value per use
// (`--param a=1 --param b=2`). Otherwise CLI11 lets a list flag swallow the words after
// it up to a `--`, and then takes that `--` as the list's end: in `nono exec --param a=1 --
// CMD --allow-weaker`, the command's own words would be read as nono's flags. Call once,
// after every subcommand is added.
void one_value_per_flag(CLI::App& app);

// Prints every diagnostic to stderr (coloured on a terminal unless NO_COLOR).
void print_diagnostics(const Diagnostics& diags, const SourceMap& sources);

}  // namespace nono::cli
