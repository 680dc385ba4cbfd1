#include <doctest/doctest.h>

#include <sstream>

#include "compiler/diagnostics.hpp"

using namespace nono;

TEST_CASE("diagnostics show control bytes of a hostile file as '?', keeping the caret in place") {
    SourceMap sources;
    sources.add("evil.nono", std::string("allow read /a\x1b]0;pwned\x07/\0b x\n", 29));
    Diagnostics diags;
    diags.error({"evil.nono", 1, 29}, "bad \x1b[2Jthing", "try \x07this");
    std::ostringstream out;
    diags.render(out, sources, /*color=*/false);
    const std::string text = out.str();
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find('\0') == std::string::npos);
    CHECK(text ==
          "evil.nono:1:29: error: bad ?[2Jthing\n"
          "allow read /a?]0;pwned?/?b x\n"
          "                            ^\n"
          "hint: try ?this\n");
}
