// The .nono front end: text → typed AST. The only way into grammar/; PEGTL stays inside.
#pragma once

#include <string>
#include <string_view>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"

namespace nono {

// The largest profile file accepted (16 MiB): larger input is an error, not a slow parse.
inline constexpr std::size_t kMaxProfileBytes = 16 * 1024 * 1024;

// Parses one .nono file. Every error found is reported into `diags` (with recovery at
// statement boundaries where cheap); the returned AST is meaningful only when no error
// was reported.
ast::File parse_nono(std::string_view text, const std::string& path, Diagnostics& diags);

}  // namespace nono
