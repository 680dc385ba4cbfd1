// CI smoke for the YAML fuzz target, without clang: every seed of its corpus, and every
// seed cut short at each byte (unclosed lists, half-written keys, dangling quotes), go
// through the fuzzer's own entry point.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/parse_yaml_entry.hpp"

TEST_CASE("fuzz smoke: the YAML corpus and every truncation of it") {
    std::size_t inputs = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(NONO_TEST_DATA) + "/fuzz/corpus/yaml")) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream buffer;
        buffer << in.rdbuf();
        const std::string seed = buffer.str();
        for (std::size_t cut = 0; cut <= seed.size(); ++cut) {
            const auto failure = nono::fuzz::check_parse_yaml(reinterpret_cast<const std::uint8_t*>(seed.data()), cut);
            ++inputs;
            if (failure) {
                INFO(seed.substr(0, cut));
                FAIL(*failure);
            }
        }
    }
    CHECK(inputs > 1000);
}
