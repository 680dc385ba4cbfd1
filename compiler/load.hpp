// Stage 1 entry: a profile file on disk → ast::File, by its extension.
#pragma once

#include <string>

#include "core/ast.hpp"
#include "core/diagnostics.hpp"
#include "core/source.hpp"

namespace nono {

// Reads `path` (errors: unreadable, a directory, too large), records its text in
// `sources` for diagnostics, and parses it: `.yaml`/`.yml` as the YAML form, anything
// else as .nono. The AST is meaningful only if no error was reported.
ast::File load_profile_file(const std::string& path, SourceMap& sources, Diagnostics& diags);

}  // namespace nono
