// CI smoke for the fuzz targets, without clang: the seed corpus and a few thousand
// deterministic mutations of it go through the fuzzers' own entry point.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "tests/fuzz/compile_entry.hpp"
#include "tests/fuzz/parse_nono_entry.hpp"
#include "tests/fuzz/plan_entry.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> read_corpus(const fs::path& dir) {
    std::vector<std::string> seeds;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        seeds.push_back(text.str());
    }
    return seeds;
}

// One random edit of the kinds that reach the parser's corners: bytes that matter to the
// grammar, deletions, duplications, and splices of two seeds.
std::string mutate(std::string s, const std::vector<std::string>& seeds, std::mt19937& rng) {
    static const char bytes[] = "{}\"$\\\n\r\t #@,-|&=~<>!0x";  // and its terminating NUL
    static const std::string interesting(bytes, sizeof bytes);
    auto pick = [&](std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    const std::size_t at = pick(s.size() + 1);
    switch (pick(5)) {
        case 0: s.insert(at, 1, interesting[pick(interesting.size())]); break;
        case 1:
            if (at < s.size()) s.erase(at, 1 + pick(8));
            break;
        case 2:
            if (at < s.size()) s[at] = static_cast<char>(pick(256));
            break;
        case 3: s.insert(at, s.substr(at, pick(64))); break;
        default: {
            const std::string& other = seeds[pick(seeds.size())];
            s = s.substr(0, at) + other.substr(pick(other.size() + 1));
        }
    }
    return s;
}

void check(const std::string& input) {
    const auto failure = nono::fuzz::check_parse_nono(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    INFO(input);
    CHECK_MESSAGE(!failure, failure.value_or(""));
}

}  // namespace

TEST_CASE("fuzz smoke: the .nono corpus and 4000 mutations") {
    const auto seeds = read_corpus(fs::path(NONO_TEST_DATA) / "fuzz/corpus/nono");
    REQUIRE(seeds.size() >= 10);
    for (const std::string& seed : seeds) check(seed);
    std::mt19937 rng(20261129);
    for (int i = 0; i < 4000; ++i) {
        std::string input = seeds[static_cast<std::size_t>(i) % seeds.size()];
        for (int edits = 1 + i % 4; edits > 0; --edits) input = mutate(std::move(input), seeds, rng);
        check(input);
    }
}

TEST_CASE("fuzz smoke: the whole pipeline on the .nono corpus and 300 mutations") {
    const auto seeds = read_corpus(fs::path(NONO_TEST_DATA) / "fuzz/corpus/nono");
    REQUIRE(seeds.size() >= 10);
    auto compile = [](const std::string& input) {
        const auto failure =
            nono::fuzz::check_compile(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        INFO(input);
        CHECK_MESSAGE(!failure, failure.value_or(""));
    };
    for (const std::string& seed : seeds) compile(seed);
    std::mt19937 rng(20261130);
    for (int i = 0; i < 300; ++i) {
        std::string input = seeds[static_cast<std::size_t>(i) % seeds.size()];
        input = mutate(std::move(input), seeds, rng);
        compile(input);
    }
}

TEST_CASE("fuzz smoke: disasm on 3000 random byte strings and mutated programs") {
    std::mt19937 rng(20261131);
    for (int i = 0; i < 3000; ++i) {
        std::string bytes(std::uniform_int_distribution<std::size_t>(0, 96)(rng), '\0');
        for (char& b : bytes) b = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
        // Every fourth input is whole instructions, so the checks past the size test run too.
        if (i % 4 == 0) bytes.resize(bytes.size() / 8 * 8);
        CHECK_NOTHROW(nono::fuzz::check_disasm(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    }
}

TEST_CASE("fuzz smoke: the plan corpus and 20000 byte-level mutations") {
    const auto seeds = read_corpus(fs::path(NONO_TEST_DATA) / "fuzz/corpus/plan");
    REQUIRE(seeds.size() >= 5);
    auto check_plan = [](const std::string& input) {
        const auto failure = nono::fuzz::check_plan(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        CHECK_MESSAGE(!failure, failure.value_or(""));
    };
    for (const std::string& seed : seeds) {
        CHECK_NOTHROW(nono::plan::read_plan(seed));  // the seeds are plans nonoc wrote
        check_plan(seed);
    }
    std::mt19937 rng(20261201);
    auto pick = [&](std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    for (int i = 0; i < 20000; ++i) {
        std::string input = seeds[static_cast<std::size_t>(i) % seeds.size()];
        const std::size_t at = pick(input.size());
        switch (i % 4) {
            case 0: input[at] = static_cast<char>(pick(256)); break;          // any byte
            case 1: input[at] = static_cast<char>(input[at] ^ (1 << pick(8))); break;  // one bit
            case 2: input.erase(at, 1 + pick(8)); break;
            default: input.insert(at, input.substr(pick(input.size()), pick(16)));
        }
        check_plan(input);
    }
}
