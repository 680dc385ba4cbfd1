// The resolver through the real front end: profiles written to a temporary folder.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compile.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/query.hpp"
#include "compiler/syscalls.hpp"

using namespace nono;

namespace {

struct Folder {
    std::filesystem::path dir;
    Folder() {
        dir = std::filesystem::temp_directory_path() / ("nono-resolve-test-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
    }
    ~Folder() { std::filesystem::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) const {
        std::string path = (dir / name).string();
        std::ofstream(path) << text;
        return path;
    }
};

struct Result {
    std::optional<ir::Policy> policy;
    std::string errors;
};

Result compile(const std::string& path, CompileOptions options = {}) {
    options.bindings.emplace("HOME", "/home/u");
    options.bindings.emplace("CWD", "/work/p");
    SourceMap sources;
    Diagnostics diags;
    Result r;
    if (std::optional<OptimizedPolicy> compiled = compile_profile(path, options, sources, diags))
        r.policy = compiled->policy();
    std::ostringstream out;
    diags.render(out, sources, false);
    r.errors = out.str();
    return r;
}

bool allows(const ir::Policy& p, const std::string& path, ir::Rights rights) { return decide_path(p, path, rights).allowed; }

}  // namespace

TEST_CASE("parents merge as sets, params take defaults and --param, variables take --bind") {
    Folder f;
    f.write("base.nono", "profile base {\n  param workspace = $CWD\n  deny ~/.ssh\n  allow read /usr\n}\n");
    f.write("mid.nono", "profile mid extends base {\n  allow read ~\n}\n");
    std::string child = f.write("child.nono",
                                "profile child extends mid, base {\n  allow read,write ${workspace}\n"
                                "  on macos {\n    allow read /System\n  }\n}\n");
    Result r = compile(child);
    REQUIRE_MESSAGE(r.policy, r.errors);
    CHECK(allows(*r.policy, "/work/p/x", ir::kWrite));
    CHECK(allows(*r.policy, "/home/u/notes", ir::kRead));
    CHECK_FALSE(allows(*r.policy, "/home/u/.ssh/id_rsa", ir::ReadFile));
    CHECK_FALSE(allows(*r.policy, "/System", ir::ReadFile));  // on macos only
    CHECK(r.policy->bindings.at("workspace") == "/work/p");

    CompileOptions options;
    options.params["workspace"] = "/src/other";
    Result other = compile(child, options);
    REQUIRE(other.policy);
    CHECK(allows(*other.policy, "/src/other/x", ir::kWrite));
    CHECK_FALSE(allows(*other.policy, "/work/p/x", ir::kWrite));

    CompileOptions macos;
    macos.platform = ir::Platform::Macos;
    Result mac = compile(child, macos);
    REQUIRE(mac.policy);
    CHECK(allows(*mac.policy, "/System/x", ir::kRead));
    CHECK(mac.policy->syscalls.empty());

    CompileOptions unknown;
    unknown.params["workspce"] = "/x";
    Result bad = compile(child, unknown);
    CHECK_FALSE(bad.policy);
    CHECK(bad.errors.find("unknown param `workspce`") != std::string::npos);
    CHECK(bad.errors.find("did you mean `workspace`?") != std::string::npos);
}

TEST_CASE("$PROFILE is the name of the profile compiled, in its parents' rules too; --bind fixes it") {
    Folder f;
    f.write("tool.nono", "profile tool {\n  allow read,write ~/.cache/box/$PROFILE/tool/\n}\n");
    const std::string a = f.write("agent-a.nono", "profile agent-a extends tool {\n}\n");
    const std::string b = f.write("agent-b.nono", "profile agent-b extends tool {\n}\n");
    Result ra = compile(a), rb = compile(b);
    REQUIRE_MESSAGE(ra.policy, ra.errors);
    REQUIRE_MESSAGE(rb.policy, rb.errors);
    CHECK(allows(*ra.policy, "/home/u/.cache/box/agent-a/tool/x", ir::kWrite));
    CHECK_FALSE(allows(*ra.policy, "/home/u/.cache/box/agent-b/tool/x", ir::ReadFile));
    CHECK(allows(*rb.policy, "/home/u/.cache/box/agent-b/tool/x", ir::kWrite));
    CHECK(ra.policy->bindings.at("PROFILE") == "agent-a");

    CompileOptions bound;
    bound.bindings["PROFILE"] = "shared";
    Result shared = compile(a, bound);
    REQUIRE_MESSAGE(shared.policy, shared.errors);
    CHECK(allows(*shared.policy, "/home/u/.cache/box/shared/tool/x", ir::kWrite));
}

TEST_CASE("a value's `*`, `?`, `**` and an opening bracket are literal characters, only the profile's own text writes globs") {
    Folder f;
    std::string profile = f.write("ws.nono",
                                  "profile ws {\n  param workspace = $CWD\n  allow read,write ${workspace}\n"
                                  "  allow read ~/data/*.txt\n}\n");
    for (const std::string value : {"/src/*", "/src/?", "/src/**", "/src/[ab]", "/src/a*b?"}) {
        CAPTURE(value);
        CompileOptions options;
        options.params["workspace"] = value;
        Result r = compile(profile, options);
        REQUIRE_MESSAGE(r.policy, r.errors);
        CHECK(allows(*r.policy, value + "/file", ir::kWrite));
        CHECK_FALSE(allows(*r.policy, "/src/sibling/file", ir::kRead));
        CHECK_FALSE(allows(*r.policy, "/src/a", ir::kRead));
        CHECK(r.policy->globs.size() == 1);  // the profile's own `*.txt` only
    }
    CompileOptions star_home;
    star_home.bindings["HOME"] = "/home/*";
    Result glob_home = compile(profile, star_home);
    CHECK_FALSE(glob_home.policy);
    CHECK(glob_home.errors.find("a glob cannot hold a value with `*` or `?`: `/home/*/data/*.txt`") != std::string::npos);

    CompileOptions plain;
    plain.params["workspace"] = "/src/p";
    Result r = compile(profile, plain);
    REQUIRE_MESSAGE(r.policy, r.errors);
    CHECK(allows(*r.policy, "/home/u/data/a.txt", ir::kRead));  // the profile's glob still matches
    CHECK_FALSE(allows(*r.policy, "/home/u/data/a.md", ir::kRead));
}

TEST_CASE("HOME and TMPDIR from the environment must be directories of the user's, not system ones") {
    Folder f;
    std::filesystem::create_directories(f.dir / "tmp");
    std::filesystem::create_directory_symlink("/", f.dir / "root-link");
    std::string profile = f.write("tmp.nono", "profile tmp {\n  allow read,write $TMPDIR\n}\n");
    auto compile_with_tmpdir = [&](const std::string& value) {
        setenv("TMPDIR", value.c_str(), 1);
        Result r = compile(profile);
        unsetenv("TMPDIR");
        return r;
    };
    Result own = compile_with_tmpdir((f.dir / "tmp").string());
    REQUIRE_MESSAGE(own.policy, own.errors);
    CHECK(allows(*own.policy, (f.dir / "tmp/x").string(), ir::kWrite));
    CHECK(compile_with_tmpdir("/tmp").policy);  // shared, with the sticky bit

    const std::string refused[][2] = {
        {"/", "$TMPDIR cannot be used in a rule: TMPDIR is `/`, a system directory"},
        {(f.dir / "root-link").string(), "), a system directory"},
        {"/usr/lib", "TMPDIR is `/usr/lib`, a system directory"},
        {"/no/such/dir", "TMPDIR is `/no/such/dir`, which is not an existing directory"},
        {(f.dir / "tmp.nono").string(), "which is not an existing directory"},
    };
    for (const auto& [value, message] : refused) {
        CAPTURE(value);
        Result r = compile_with_tmpdir(value);
        CHECK_FALSE(r.policy);
        CHECK_MESSAGE(r.errors.find(message) != std::string::npos, r.errors);
    }
    // --bind fixes a value on purpose (reproducible output anywhere): not checked.
    CompileOptions bound;
    bound.bindings["TMPDIR"] = "/no/such/dir";
    CHECK(compile(profile, bound).policy);
}

TEST_CASE("parents are found in NONO_PROFILE_PATH after the profile's own folder") {
    Folder f;
    std::filesystem::create_directories(f.dir / "lib");
    f.write("lib/shared.nono", "profile shared {\n  allow read /opt\n}\n");
    std::string child = f.write("child.nono", "profile child extends shared {\n}\n");
    Result missing = compile(child);
    CHECK_FALSE(missing.policy);
    CHECK(missing.errors.find("unknown parent profile `shared`") != std::string::npos);
    setenv("NONO_PROFILE_PATH", (f.dir / "lib").c_str(), 1);
    Result found = compile(child);
    unsetenv("NONO_PROFILE_PATH");
    REQUIRE_MESSAGE(found.policy, found.errors);
    CHECK(allows(*found.policy, "/opt/x", ir::kRead));
}

TEST_CASE("syscall groups expand (own definitions replace standard ones), `in` multiplies out") {
    Folder f;
    std::string path = f.write("p.nono",
                               "syscall-group @debug {\n  ptrace\n}\n"
                               "syscall-group @mine {\n  @debug @mount\n}\n"
                               "profile p {\n  deny syscall @mine\n"
                               "  deny syscall ioctl if arg1 in {TIOCSTI, TIOCLINUX} && arg0 == 1 kill-process\n}\n");
    Result r = compile(path);
    REQUIRE_MESSAGE(r.policy, r.errors);
    const ir::SyscallTable& x86 = r.policy->syscalls[0];
    CHECK(x86.decisions.count(*syscall_number(ir::Arch::X86_64, "ptrace")) == 1);
    CHECK(x86.decisions.count(*syscall_number(ir::Arch::X86_64, "mount")) == 1);  // from the standard @mount
    CHECK(x86.decisions.count(*syscall_number(ir::Arch::X86_64, "process_vm_readv")) == 0);  // standard @debug replaced
    const ir::SyscallDecision& ioctl = x86.decisions.at(*syscall_number(ir::Arch::X86_64, "ioctl"));
    REQUIRE(ioctl.rules.size() == 2);
    CHECK(ioctl.rules[0].checks.size() == 2);
}

TEST_CASE("every member of the standard syscall groups resolves") {
    Folder f;
    std::string path = f.write("all.nono",
                               "profile all {\n  deny syscall @aio @basic-io @chown @clock @cpu-emulation @debug "
                               "@default @file-system @io-event @ipc @keyring @memlock @module @mount @network-io "
                               "@obsolete @pkey @privileged @process @raw-io @reboot @resources @sandbox @setuid "
                               "@signal @swap @sync @timer @system-service\n}\n");
    Result r = compile(path);
    CHECK_MESSAGE(r.policy, r.errors);
}

TEST_CASE("a trailing slash in the profile's own text states a directory, made when a write grant names it") {
    Folder f;
    std::string profile = f.write("dirs.nono",
                                  "profile dirs {\n  param state = /opt/given/\n"
                                  "  allow read,write ~/.agent/ ~/.agent.json ${state} ${state}/sub/\n"
                                  "  allow read ~/.only-read/\n  deny ~/.agent/secret/\n  allow read,write /opt\n}\n");
    Result r = compile(profile);
    REQUIRE_MESSAGE(r.policy, r.errors);
    auto directory = [&](const std::string& path) {
        const ir::PathNode* node = ir::find_node(r.policy->root, path);
        REQUIRE_MESSAGE(node, path);
        return std::any_of(node->rules.begin(), node->rules.end(), [](const ir::PathRule& rule) { return rule.directory; });
    };
    CHECK(directory("/home/u/.agent"));
    CHECK_FALSE(directory("/home/u/.agent.json"));
    CHECK_FALSE(directory("/opt/given"));  // a value's `/` marks nothing
    CHECK(directory("/opt/given/sub"));  // kept, though /opt implies its rights
    CHECK(directory("/home/u/.only-read"));
    // Only write grants are made, and a deny's slash makes nothing.
    CHECK(landlock_plan(*r.policy).make_directories ==
          std::vector<std::string>{"/home/u/.agent", "/opt/given/sub"});
}
