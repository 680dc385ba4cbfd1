// Stage 1, YAML form: the pieces of .nono syntax that a YAML profile carries inside
// strings — paths ("~/.ssh", "${workspace}/src"), syscall conditions ("arg1 == TIOCSTI"),
// actions ("errno EPERM"), ports ("8000-8099") and hosts ("api.example.com:443") — parsed into the same AST nodes the
// .nono grammar builds, and printed back.
//
// `at` is where the string's first character stands in the YAML file; errors point into
// the string from there. Each parser reports every problem into `diags` and returns
// nothing when the string is invalid.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"

namespace nono::yaml_strings {

// A path must start with '/', '~' or a variable; a value (`env set`) may be any text,
// empty included, with the same variables and escapes. YAML has no .nono quoting, so
// `quoted` stays false: print_nono quotes a path when it must.
enum class PathForm { Path, Value };
std::optional<ast::Path> parse_path(std::string_view text, const SourceLocation& at, Diagnostics& diags,
                                    PathForm form = PathForm::Path);
std::optional<ast::Value> parse_value(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::Condition> parse_condition(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::Action> parse_action(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::PortRange> parse_port_range(std::string_view text, const SourceLocation& at, Diagnostics& diags);
// `api.example.com:443`, `10.0.0.0/8:5432`, `[::1]:8000-8099`.
std::optional<ast::HostPorts> parse_host_ports(std::string_view text, const SourceLocation& at, Diagnostics& diags);

// The inverse of the parsers above; parse(print(x)) == x, locations aside.
std::string print_path(const ast::Path& path);
std::string print_value(const ast::Value& value);
std::string print_condition(const ast::Condition& condition);
std::string print_action(const ast::Action& action);
std::string print_port_range(const ast::PortRange& range);
std::string print_host_ports(const ast::HostPorts& target);

// The action words, for suggestions and the schema.
inline constexpr const char* kActionWords[] = {"allow", "errno", "kill-process", "kill-thread", "trap", "log"};

}  // namespace nono::yaml_strings
