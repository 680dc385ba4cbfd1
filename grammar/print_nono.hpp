// The AST back to .nono text in the canonical layout (`nonoc fmt`, `nonoc convert`).
#pragma once

#include <string>

#include "core/ast.hpp"

namespace nono {

// Two-space indent, one statement per line, access words in canonical order, comments
// kept, a path quoted only when it must be. Printing the parse of the result gives the
// same text (idempotent), and the result means the same as the input.
std::string print_nono(const ast::File& file);

// One piece of a statement in .nono syntax, which the YAML form also carries in its
// strings (yaml/yaml_print.cpp); grammar/parse.hpp's `embedded` reads them back.
std::string print_condition(const ast::Condition& condition);
std::string print_env_reference(const ast::PathPart& part);  // ${env:NAME} or ${env:NAME:-DEFAULT}
std::string print_action(const ast::Action& action);
std::string print_port_range(const ast::PortRange& range);
std::string print_host_ports(const ast::HostPorts& target);

}  // namespace nono
