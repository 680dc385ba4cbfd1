// Stage 1, YAML form: a profile written in YAML ↔ the same typed AST the .nono grammar
// builds. docs/yaml.md describes the form for people, schemas/profile.schema.json for
// editors; the key tables below are the single list both are checked against.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/ast.hpp"
#include "core/diagnostics.hpp"

namespace nono {

// Parses one YAML profile file. Schema violations, YAML syntax errors and exceeded limits
// are reported into `diags` at the YAML line and column; the returned AST is meaningful
// only when no error was reported. Never throws for any input.
ast::File parse_yaml(std::string_view text, const std::string& path, Diagnostics& diags);

// Thrown by print_yaml for an AST that the YAML form cannot hold, such as two
// `description` statements in one profile or bytes that are not UTF-8.
struct YamlUnrepresentable : std::runtime_error {
    YamlUnrepresentable(SourceLocation where, const std::string& message)
        : std::runtime_error(message), loc(std::move(where)) {}
    SourceLocation loc;
};

// Prints a file in the YAML form: deterministic, comments kept as YAML comments.
// Statements are grouped by kind (filesystem, network, …), keeping their order within a
// kind; the language gives statement order no meaning. parse_yaml(print_yaml(f)) yields
// f with statements so grouped, locations aside.
std::string print_yaml(const ast::File& file);

// The keys of each YAML mapping with fixed keys, named as the schema definition ($defs)
// that describes it. parse_yaml accepts exactly these keys.
struct YamlMapping {
    std::string_view definition;
    std::vector<std::string_view> keys;
};
const std::vector<YamlMapping>& yaml_mappings();

// The network kinds as the YAML form writes them, in ast::NetRule::Kind order.
inline constexpr std::string_view kYamlNetworkKinds[] = {
    "connect", "bind", "udp", "network", "unix", "signal outside", "abstract-socket outside", "loopback", "unix connect"};
// The macOS rule kinds, in ast::MacosRule::Kind order.
inline constexpr std::string_view kYamlMacosKinds[] = {"mach-lookup", "sysctl-read"};

// The words each enumerated YAML value accepts, named as its schema definition.
struct YamlEnum {
    std::string_view definition;
    std::vector<std::string_view> words;
};
const std::vector<YamlEnum>& yaml_enums();

// Limits, so a hostile file is an error rather than a hang or a crash. yaml-cpp builds
// the whole node tree before it is checked, so the YAML size limit is far below the .nono
// one: a profile is a few KiB.
inline constexpr std::size_t kMaxYamlBytes = 256 * 1024;
inline constexpr std::size_t kMaxYamlNodes = 100'000;
inline constexpr std::size_t kMaxYamlPathBytes = 4096;

}  // namespace nono
