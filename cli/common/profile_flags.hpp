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

// Prints every diagnostic to stderr (coloured on a terminal unless NO_COLOR).
void print_diagnostics(const Diagnostics& diags, const SourceMap& sources);

}  // namespace nono::cli
