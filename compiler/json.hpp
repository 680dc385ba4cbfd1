// The one JSON string writer of the compiler's artifacts and reports (`nonoc explain
// --json`, the Landlock ruleset, the plan's dry run): valid JSON for any bytes.
#pragma once

#include <string>
#include <string_view>

namespace nono {

// `s` as a JSON string literal, quotes included. Paths may hold any byte but NUL: bytes
// that are not UTF-8 are written as the lone surrogates U+DC80..U+DCFF
// ("surrogateescape", as Python reads them back), so the text stays reversible.
std::string json_string(std::string_view s);

}  // namespace nono
