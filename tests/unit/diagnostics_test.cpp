#include <doctest/doctest.h>

#include <sstream>

#include "core/diagnostics.hpp"

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

TEST_CASE("file names are stored once, compare and order by name, and print as written") {
    const std::string path = std::string("/profiles/") + "base.nono";  // built at run time
    const SourceLocation a{path, 3, 7}, b{"/profiles/base.nono", 3, 7};
    CHECK(&a.file.str() == &b.file.str());
    CHECK(a == b);
    CHECK(a.str() == "/profiles/base.nono:3:7");
    CHECK(SourceLocation{"/a/z.nono", 9, 1} < SourceLocation{"/b/a.nono", 1, 1});
    CHECK(SourceLocation{"/b/a.nono", 1, 1} > SourceLocation{"/a/z.nono", 9, 1});
    const SourceLocation flag{"--param", 0, 0}, none{};
    CHECK(flag.str() == "--param");
    CHECK(none.file.empty());
    CHECK(none.file == FileName(""));
    CHECK(none < flag);
}
