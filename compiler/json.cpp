// JSON strings for every artifact and report that nono writes (the Landlock plan, `nonoc
// explain --json`, `nono exec --dry-run --json`): one escaping, so that any path round-trips.
#include "compiler/json.hpp"

#include <cstdio>

namespace nono {

std::string json_string(std::string_view s) {
    std::string out = "\"";
    char buf[8];
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool valid = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
        if (valid && len == 2) valid = c >= 0xc2;
        if (!valid) {
            std::snprintf(buf, sizeof buf, "\\udc%02x", c);
            out += buf;
            ++i;
            continue;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    return out + "\"";
}

}  // namespace nono
