// The terminal relay's filter of clipboard reads (runtime/clipboard_reads.hpp).
#include <doctest/doctest.h>

#include <string>

#include "runtime/clipboard_reads.hpp"

using nono::runtime::ClipboardReadFilter;

namespace {

// What the terminal is shown of `output` given in chunks of `size` bytes.
std::string shown(const std::string& output, std::size_t size) {
    ClipboardReadFilter filter;
    std::string out;
    for (std::size_t at = 0; at < output.size(); at += size) out += filter.pass(output.substr(at, size));
    return out + filter.rest();
}

}  // namespace

TEST_CASE("clipboard reads are dropped from the output, wherever the chunks split them; the rest passes") {
    const std::string before = "text \x1b[1mbold\x1b[0m \x1b]0;a title\x07", after = " more \x1b]8;;https://x\x1b\\link";
    const std::string reads[] = {"\x1b]52;c;?\x07", "\x1b]52;;?\x07", "\x1b]52;pc0;?\x1b\\", "\x1b]52;s;?\x1b\\",
                                 "\x9d" "52;c;?\x9c", "\xc2\x9d" "52;c;?\xc2\x9c", "\x1b]52;c;?\xc2\x9c"};
    for (const std::string& read : reads) {
        CAPTURE(read);
        for (std::size_t size = 1; size <= before.size() + read.size() + after.size(); ++size) {
            CAPTURE(size);
            CHECK(shown(before + read + after, size) == before + after);
            CHECK(shown(read + read, size).empty());
        }
    }
}

TEST_CASE("clipboard writes, other sequences and what only looks like a read pass unchanged") {
    const std::string outputs[] = {
        "\x1b]52;c;aGVsbG8=\x07",                        // a write
        "\x1b]52;c;?X\x07",                              // data that is not `?`
        "\x1b]52;c;?\x1b[m",                             // ESC not followed by `\`
        "\x1b]53;c;?\x07",                               // another OSC
        "\x1b]52;cccccccccccccccccccc;?\x07",            // more selections than a terminal takes
        "\x1b\x1b]52;c;aGk=\x07\x1b",                    // ESC before a write, ESC at the end
        "\x1b]52;c;?",                                   // unterminated at the end: it was no read
        "h\xc3\xa9llo \xc2\xa0 \xe2\x82\xac",                   // UTF-8 text, a no-break space
        "\x9d" "53;x\x9c \xc2\x9d" "0;title\xc2\x9c",           // other 8-bit OSCs
    };
    for (const std::string& output : outputs) {
        CAPTURE(output);
        for (std::size_t size = 1; size <= output.size(); ++size) CHECK(shown(output, size) == output);
    }
}

TEST_CASE("what may be a read is held back only while it may be one") {
    ClipboardReadFilter filter;
    CHECK(filter.pass("abc\x1b]5") == "abc");
    CHECK(filter.pass("2;c") == "");
    CHECK(filter.pass(";x") == "\x1b]52;c;x");
    CHECK(filter.rest().empty());
}
