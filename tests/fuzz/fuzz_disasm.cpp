// libFuzzer target for `nonoc disasm` on arbitrary bytes (build with -DNONO_FUZZ=ON and clang):
//   build-fuzz/tests/fuzz/fuzz_disasm
#include "tests/fuzz/compile_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nono::fuzz::check_disasm(data, size);
    return 0;
}
