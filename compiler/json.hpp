// The one JSON string writer of nono (json.cpp).
#pragma once

#include <string>
#include <string_view>

namespace nono {

// `s` as a JSON string. Paths may hold any byte but NUL: bytes that are not UTF-8 are
// written as the lone surrogates U+DC80..U+DCFF ("surrogateescape"), so the text stays
// reversible; control characters as \u00XX.
std::string json_string(std::string_view s);

}  // namespace nono
