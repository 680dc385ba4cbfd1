// libFuzzer target for the YAML form (build with -DNONO_FUZZ=ON and clang):
//   build-fuzz/tests/fuzz/fuzz_parse_yaml -max_len=4096 tests/fuzz/corpus/yaml
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/parse_yaml_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (auto failure = nono::fuzz::check_parse_yaml(data, size)) {
        std::fputs(failure->c_str(), stderr);
        std::abort();
    }
    return 0;
}
