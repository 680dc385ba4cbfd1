// libFuzzer target for the whole pipeline: profile text in, every artifact out, the seccomp
// program re-checked (build with -DNONO_FUZZ=ON and clang):
//   build-fuzz/tests/fuzz/fuzz_compile tests/fuzz/corpus/nono
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/compile_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (auto failure = nono::fuzz::check_compile(data, size)) {
        std::fputs(failure->c_str(), stderr);
        std::abort();
    }
    return 0;
}
