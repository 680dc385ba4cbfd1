// The core of `nonoc check`, shared with commands that validate before they act.
#pragma once

#include <string>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/source.hpp"

namespace nono::cli {

// Everything `check` verifies about one profile file; errors go to `diags`. Returns the
// AST, meaningful only when no error was reported. Later stages (resolving parents,
// syscall names) are added here.
ast::File check_profile(const std::string& path, SourceMap& sources, Diagnostics& diags);

}  // namespace nono::cli
