// libFuzzer target for the .nono front end (build with -DNONO_FUZZ=ON and clang):
//   build-fuzz/tests/fuzz/fuzz_parse_nono tests/fuzz/corpus/nono
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/parse_nono_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (auto failure = nono::fuzz::check_parse_nono(data, size)) {
        std::fputs(failure->c_str(), stderr);
        std::abort();
    }
    return 0;
}
