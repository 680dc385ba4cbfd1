// libFuzzer target for the plan file loader (`nono exec --plan`) on arbitrary bytes (build
// with -DNONO_FUZZ=ON and clang):
//   build-fuzz/tests/fuzz/fuzz_plan tests/fuzz/corpus/plan
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/plan_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (const auto failure = nono::fuzz::check_plan(data, size)) {
        std::fprintf(stderr, "%s\n", failure->c_str());
        std::abort();
    }
    return 0;
}
