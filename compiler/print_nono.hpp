// The AST back to .nono text in the canonical layout (`nonoc fmt`, `nonoc convert`).
#pragma once

#include <string>

#include "compiler/ast.hpp"

namespace nono {

// Two-space indent, one statement per line, access words in canonical order, comments
// kept, a path quoted only when it must be. Printing the parse of the result gives the
// same text (idempotent), and the result means the same as the input.
std::string print_nono(const ast::File& file);

}  // namespace nono
