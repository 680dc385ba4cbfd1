// The property the YAML fuzzer checks, shared by the libFuzzer target and the CI smoke
// test: any input parses without crashing or hanging and its diagnostics render; a valid
// profile prints as YAML that parses back and prints the same, and converts to .nono
// that the .nono parser accepts (what `nonoc convert` relies on).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

#include "grammar/parse.hpp"
#include "grammar/print_nono.hpp"
#include "yaml/yaml_form.hpp"

namespace nono::fuzz {

// What went wrong, or nothing.
inline std::optional<std::string> check_parse_yaml(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string path = "fuzz.yaml";
    SourceMap sources;
    sources.add(path, text);
    Diagnostics diags;
    const ast::File file = parse_yaml(text, path, diags);
    std::ostringstream rendered;
    diags.render(rendered, sources, false);
    if (diags.has_errors()) return std::nullopt;

    std::string once;
    try {
        once = print_yaml(file);
    } catch (const YamlUnrepresentable&) {
        return std::nullopt;  // reported by `nonoc convert` as an error
    }
    Diagnostics again;
    const ast::File reparsed = parse_yaml(once, path, again);
    if (again.has_errors()) return "the printed YAML does not parse:\n" + once;
    const std::string twice = print_yaml(reparsed);
    if (twice != once) return "printing YAML is not idempotent:\n" + once + "\n---\n" + twice;

    const std::string nono = print_nono(file);
    Diagnostics as_nono;
    parse_nono(nono, "fuzz.nono", as_nono);
    if (as_nono.has_errors()) return "the YAML profile converts to .nono that does not parse:\n" + once + "\n---\n" + nono;
    return std::nullopt;
}

}  // namespace nono::fuzz
