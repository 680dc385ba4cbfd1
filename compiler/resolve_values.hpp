// Stage 2a, resolve: constants. The numbers of a syscall rule's conditions and actions:
// constant and errno names (compiler/constants.hpp) turned into numbers, `a|b` OR-ed.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "compiler/ir.hpp"
#include "core/ast.hpp"
#include "core/diagnostics.hpp"

namespace nono {

// Each resolver reports every problem into `diags` and gives nullopt after one.
std::optional<std::uint64_t> resolve_value(const ast::Value& v, Diagnostics& diags);
// No written action: `allow` for an allow rule, `errno EPERM` for a deny.
std::optional<ir::Action> resolve_action(const std::optional<ast::Action>& written, ast::Effect effect,
                                         Diagnostics& diags);
// The conditions as alternatives, each a conjunction of checks; the rule applies when any
// holds (`in {…}` multiplies them out). No condition: one empty alternative.
std::optional<std::vector<std::vector<ir::ArgCheck>>> resolve_conditions(const std::vector<ast::Condition>& conditions,
                                                                          Diagnostics& diags);

}  // namespace nono
