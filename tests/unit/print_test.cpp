// `nonoc fmt`: the canonical layout is idempotent, keeps comments and keeps the meaning,
// on every .nono file of the repository and on small cases.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "grammar/parse.hpp"
#include "grammar/print_nono.hpp"

namespace {

namespace fs = std::filesystem;

// Parses text that must be valid and prints it.
std::string format(const std::string& text) {
    nono::Diagnostics diags;
    nono::ast::File file = nono::parse_nono(text, "test.nono", diags);
    std::ostringstream rendered;
    nono::SourceMap sources;
    sources.add("test.nono", text);
    diags.render(rendered, sources, false);
    INFO(rendered.str());
    REQUIRE_FALSE(diags.has_errors());
    return nono::print_nono(file);
}

std::vector<fs::path> repository_profiles() {
    std::vector<fs::path> found;
    for (const char* dir : {"profiles", "examples", "tests/golden"}) {
        const fs::path root = fs::path(NONO_REPO_DIR) / dir;
        if (!fs::is_directory(root)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(root))
            if (entry.is_regular_file() && entry.path().extension() == ".nono") found.push_back(entry.path());
    }
    return found;
}

}  // namespace

TEST_CASE("fmt: every profile in the repository formats to a fixed point with the same meaning") {
    const auto files = repository_profiles();
    REQUIRE(!files.empty());
    for (const fs::path& path : files) {
        CAPTURE(path);
        std::ifstream in(path, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        const std::string once = format(text.str());
        // The formatted text parses to the same profile: printing it again changes nothing.
        CHECK(format(once) == once);
    }
}

TEST_CASE("fmt: canonical layout") {
    CHECK(format("profile   p   extends a,b{\n\tallow write , read   /x   /y\n   allow connect tcp 443   8000-8099\n}") ==
          "profile p extends a, b {\n  allow read,write /x /y\n  allow connect tcp 443 8000-8099\n}\n");
    CHECK(format("profile p { allow udp }\n") == "profile p {\n  allow udp\n}\n");
    CHECK(format("profile p {\n  allow read \\\n     /a \\\n     /b\n}\n") == "profile p {\n  allow read /a /b\n}\n");
}

TEST_CASE("fmt: a path is quoted only when it must be") {
    CHECK(format("profile p {\n  allow read \"/usr/lib\" \"/a b\" \"/c#d\" \"/$x\" \"/\\$y\"\n}\n") ==
          "profile p {\n  allow read /usr/lib \"/a b\" \"/c#d\" /$x \"/\\$y\"\n}\n");
    CHECK(format("profile p {\n  deny \"~/x\" \"${env:A:-b c}/d\"\n}\n") ==
          "profile p {\n  deny ~/x ${env:A:-b c}/d\n}\n");
}

TEST_CASE("fmt: numbers keep their spelling") {
    CHECK(format("profile p {\n  deny syscall ioctl if arg1 == 0x5412 && arg2 in {0o644,0b1, 7}\n}\n") ==
          "profile p {\n  deny syscall ioctl if arg1 == 0x5412 && arg2 in {0o644, 0b1, 7}\n}\n");
}

TEST_CASE("fmt: comments stay where they were") {
    const std::string text =
        "# before the profile\n"
        "profile p {  # on the header\n"
        "  # before a statement\n"
        "  allow udp  # after a statement\n"
        "\n"
        "  on linux {  # on a block\n"
        "    # inside\n"
        "    allow unix\n"
        "    # before the block's end\n"
        "  }\n"
        "  # before the profile's end\n"
        "}\n"
        "\n"
        "syscall-group @g {  # on the group\n"
        "  read write  # io\n"
        "  # before a member\n"
        "  close\n"
        "  # before the group's end\n"
        "}\n"
        "\n"
        "# at the end\n";
    CHECK(format(text) == text);
}

TEST_CASE("fmt: blank lines between statements are kept, at most one") {
    CHECK(format("profile p {\n\n  allow udp\n\n\n  allow unix\n  deny network\n}\n") ==
          "profile p {\n  allow udp\n\n  allow unix\n  deny network\n}\n");
}

TEST_CASE("fmt: a comment after a closing brace is kept on a line of its own") {
    CHECK(format("profile p {\n  on linux {\n    allow udp\n  }  # linux\n}  # p\n") ==
          "profile p {\n  on linux {\n    allow udp\n  }\n  # linux\n}\n\n# p\n");
}
