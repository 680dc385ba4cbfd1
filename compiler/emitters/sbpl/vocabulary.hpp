// SBPL emitter data: the operation and filter names Seatbelt knows.
//
// Source: Protonk/SANDBOX_LORE, book/graph/mappings/vocab/ops.json (196 operations) and
// filters.json (93 filters), harvested from libsandbox.1.dylib of macOS 14.4.1 (23E224,
// arm64). The lists change across macOS versions; these are the names the emitter may use
// and the tests check every emitted form against.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace nono::sbpl {

// Operation names, in the table's order (index = the operation's id on 14.4.1).
std::span<const std::string_view> operation_names();
// Filter names as libsandbox stores them ("path", "global-name", "remote", …).
std::span<const std::string_view> filter_names();

bool is_operation(std::string_view name);

// The table filter an SBPL filter form stands for: the profile language spells one stored
// filter several ways ((literal …), (subpath …), (regex …) and (prefix …) are all "path";
// (global-name-prefix …) is "global-name"). nullopt when the form is unknown.
std::optional<std::string_view> filter_of_form(std::string_view form);

}  // namespace nono::sbpl
