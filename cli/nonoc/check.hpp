// The core of `nonoc check`, shared with commands that validate before they act.
#pragma once

#include <string>

#include "core/ast.hpp"
#include "core/diagnostics.hpp"
#include "core/source.hpp"

namespace nono::cli {

// Everything `check` verifies about one profile file: it parses, and it resolves and
// lowers for Linux and macOS (parents, params, variables, syscall names and groups,
// constants). Errors go to `diags`. Returns the AST, meaningful only when no error was
// reported.
ast::File check_profile(const std::string& path, SourceMap& sources, Diagnostics& diags);

}  // namespace nono::cli
