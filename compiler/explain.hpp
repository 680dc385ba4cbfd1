// `nonoc explain`: the optimized IR for people (plain text) and for tools (JSON). Every
// line names the file:line of the statements that caused it.
#pragma once

#include <string>

#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"

namespace nono {

std::string explain_text(const OptimizedPolicy& optimized);
std::string explain_json(const OptimizedPolicy& optimized);

// "file:line" of an origin, or "built-in" for facts with no place in a file.
std::string origin_place(const ir::Origin& origin);
// The places of several origins, sorted, each once, comma-separated.
std::string origin_places(const std::vector<ir::Origin>& origins);

}  // namespace nono
