// Golden files: every tests/golden/NAME.nono that compiles for Linux here, emitted for
// x86_64, must disassemble to NAME.bpf.txt. UPDATE=1 rewrites the files instead of comparing.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compile.hpp"
#include "compiler/emitters/seccomp/disasm.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"

namespace fs = std::filesystem;
using namespace nono;

namespace {

// The profile compiled as `nonoc compile` would (the one pipeline, compile_file), with
// fixed bindings so the output is the same on every machine; nullopt (and the
// diagnostics) if it does not compile for Linux.
std::optional<OptimizedPolicy> compile_for_linux(const fs::path& path, std::string& errors) {
    SourceMap sources;
    Diagnostics diags;
    CompileOptions options;
    options.workdir = "/work/project";
    options.bindings = {{"HOME", "/home/user"}, {"USER", "user"}, {"UID", "1000"}, {"TMPDIR", "/tmp"}};
    auto policy = compile_file(path.string(), options, disk_loader(sources, diags), sources, diags);
    if (!policy) {
        std::ostringstream out;
        diags.render(out, sources, false);
        errors = out.str();
    }
    return policy;
}

}  // namespace

TEST_CASE("golden: every golden profile's x86_64 filter disassembles as recorded") {
    const bool update = std::getenv("UPDATE") != nullptr;
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(NONO_TEST_DATA) / "golden")) {
        if (entry.path().extension() != ".nono") continue;
        CAPTURE(entry.path());
        std::string errors;
        const auto policy = compile_for_linux(entry.path(), errors);
        const fs::path golden = fs::path(entry.path()).replace_extension(".bpf.txt");
        if (!policy) {
            // Not a complete profile here (a parent not in this tree, a groups file, an
            // environment variable): named, and no golden file may claim a filter for it.
            MESSAGE("not compiled for the seccomp golden test: ", entry.path().filename().string(), "\n", errors);
            CHECK_FALSE(fs::exists(golden));
            continue;
        }
        const ir::SyscallTable* table = ir::syscall_table(policy->policy(), ir::Arch::X86_64);
        REQUIRE(table != nullptr);
        const std::string text =
            seccomp::disassemble(seccomp::emit_seccomp(*table, *policy->ranges(ir::Arch::X86_64)));
        if (update) {
            std::ofstream(golden, std::ios::binary) << text;
        } else {
            std::ifstream in(golden, std::ios::binary);
            REQUIRE_MESSAGE(in.good(), "missing golden file (run with UPDATE=1): ", golden.string());
            std::stringstream expected;
            expected << in.rdbuf();
            CHECK(text == expected.str());
        }
        ++checked;
    }
    CHECK(checked > 0);
}
