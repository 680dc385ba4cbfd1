// The .nono front end: text → typed AST. The only way into grammar/; PEGTL stays inside.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ast.hpp"
#include "core/diagnostics.hpp"

namespace nono {

// The largest profile file accepted (16 MiB): larger input is an error, not a slow parse.
inline constexpr std::size_t kMaxProfileBytes = 16 * 1024 * 1024;

// Parses one .nono file. Every error found is reported into `diags` (with recovery at
// statement boundaries where cheap); the returned AST is meaningful only when no error
// was reported.
ast::File parse_nono(std::string_view text, const std::string& path, Diagnostics& diags);

// The pieces of .nono syntax that the YAML form carries in strings, parsed by the grammar's
// own rules: a path ("~/.ssh", "${workspace}/src") or a value (`env set`: any text, empty
// included, with the same variables and escapes), a condition ("arg1 == TIOCSTI"), an
// action ("errno EPERM"), a port range ("8000-8099") and `HOST:PORTS`
// ("api.example.com:443", "10.0.0.0/8:5432", "[::1]:8000-8099"). `at` is where the
// string's first character stands in its file, so errors keep file:line:col and the caret.
// Every problem is reported into `diags`; an invalid string gives nothing.
namespace embedded {
std::optional<ast::Path> parse_path(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::Path> parse_value(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::Condition> parse_condition(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::Action> parse_action(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::PortRange> parse_port_range(std::string_view text, const SourceLocation& at, Diagnostics& diags);
std::optional<ast::HostPorts> parse_host_ports(std::string_view text, const SourceLocation& at, Diagnostics& diags);
}  // namespace embedded

}  // namespace nono
