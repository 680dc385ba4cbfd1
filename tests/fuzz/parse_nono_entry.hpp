// The property the .nono fuzzers check, shared by the libFuzzer target and the CI smoke
// test: any input parses without crashing or hanging, its diagnostics render, and a
// valid profile formats to a valid profile that formats to itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

#include "grammar/parse.hpp"
#include "grammar/print_nono.hpp"

namespace nono::fuzz {

// What went wrong, or nothing.
inline std::optional<std::string> check_parse_nono(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string path = "fuzz.nono";
    SourceMap sources;
    sources.add(path, text);
    Diagnostics diags;
    const ast::File file = parse_nono(text, path, diags);
    std::ostringstream rendered;
    diags.render(rendered, sources, false);
    if (diags.has_errors()) return std::nullopt;

    const std::string once = print_nono(file);
    Diagnostics again;
    const ast::File reparsed = parse_nono(once, path, again);
    if (again.has_errors()) return "the formatted profile does not parse:\n" + once;
    const std::string twice = print_nono(reparsed);
    if (twice != once) return "formatting is not idempotent:\n" + once + "\n---\n" + twice;
    return std::nullopt;
}

}  // namespace nono::fuzz
