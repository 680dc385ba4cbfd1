// Golden Seatbelt profiles: every profile of the repository (profiles/, examples/,
// tests/golden/), compiled for macOS with a fixed user, must emit exactly its golden file
// (UPDATE=1 rewrites them), read back, stay within the vocabulary, and decide its own
// paths as the IR does. Golden files: tests/golden/NAME.sb beside tests/golden/NAME.nono,
// tests/golden/sbpl/DIR-NAME.sb for the other folders.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/emitters/sbpl/emit_sbpl.hpp"
#include "compiler/load.hpp"
#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "compiler/query.hpp"
#include "compiler/resolve.hpp"
#include "sbpl_model.hpp"

namespace fs = std::filesystem;
using namespace nono;
using namespace nono::sbpl::test;

namespace {

const std::map<std::string, std::string> kMacUser = {
    {"HOME", "/Users/nono"},
    {"CWD", "/Users/nono/project"},
    {"TMPDIR", "/private/var/folders/nn/T"},
    {"USER", "nono"},
    {"UID", "501"},
    {"env:HOME", "/Users/nono"},
    {"env:XDG_CACHE_HOME", "/Users/nono/Library/Caches"},
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The paths worth asking about: every rule's path and a child of it.
std::vector<std::string> probe_paths(const ir::PathNode& node, const std::string& path) {
    std::vector<std::string> out;
    if (!node.rules.empty()) {
        out.push_back(path.empty() ? "/" : path);
        out.push_back(path + "/probe");
    }
    for (const auto& [name, child] : node.children) {
        auto more = probe_paths(child, path + "/" + name);
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

// The IR of one profile file, as `nonoc compile --target sbpl` builds it.
std::optional<OptimizedPolicy> compile_for_macos(const fs::path& file, SourceMap& sources, Diagnostics& diags) {
    ResolveOptions options;
    options.platform = ir::Platform::Macos;
    options.bindings = kMacUser;
    options.builtin_dir = "profiles";
    FileLoader load = [&](const std::string& path) -> std::optional<ast::File> {
        if (!fs::is_regular_file(path)) return std::nullopt;
        return load_profile_file(path, sources, diags);
    };
    ResolvedProfile resolved = resolve_profile(file.string(), options, load, sources, diags);
    if (diags.has_errors()) return std::nullopt;
    return optimize(lower(resolved));
}

struct Golden {
    fs::path profile;
    fs::path sb;
};

// Profile paths are relative to the repository (the test runs there), so the `; file:line`
// comments of the golden files do not depend on where the checkout is.
std::vector<Golden> golden_cases() {
    std::vector<Golden> cases;
    for (const char* dir : {"profiles", "examples", "tests/golden"}) {
        if (!fs::is_directory(dir)) continue;
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.path().extension() != ".nono") continue;
            std::string text = read_file(entry.path());
            if (!text.starts_with("profile ") && text.find("\nprofile ") == std::string::npos) continue;  // groups only
            std::string name = entry.path().stem().string();
            fs::path sb = std::string(dir) == "tests/golden"
                              ? fs::path(dir) / (name + ".sb")
                              : fs::path("tests/golden/sbpl") / (std::string(dir) + "-" + name + ".sb");
            cases.push_back({entry.path(), sb});
        }
    }
    std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.sb < b.sb; });
    return cases;
}

}  // namespace

TEST_CASE("sbpl: golden profiles for every profile of the repository") {
    const bool update = std::getenv("UPDATE") != nullptr;
    struct InRepository {
        fs::path before = fs::current_path();
        InRepository() { fs::current_path(NONO_REPO_DIR); }
        ~InRepository() { fs::current_path(before); }
    } in_repository;
    const auto cases = golden_cases();
    REQUIRE_FALSE(cases.empty());
    std::set<fs::path> expected;
    std::size_t skipped = 0;
    for (const auto& [profile, file] : cases) {
        CAPTURE(profile);
        expected.insert(file);
        SourceMap sources;
        Diagnostics diags;
        auto policy = compile_for_macos(profile, sources, diags);
        if (!policy) {
            // Whether a profile compiles is the front end's and the resolver's test (a parent
            // may not be in the tree yet); its golden file comes when it does.
            std::ostringstream shown;
            diags.render(shown, sources, false);
            MESSAGE("skipped, it does not compile:\n" << shown.str());
            ++skipped;
            continue;
        }
        TargetOptions target;
        target.base_name = profile.stem().string();
        TargetOutput out = sbpl::emit(*policy, target);
        const std::string& sb = out.artifacts.at(0).content;
        // A built-in profile is what a Mac user runs: Seatbelt must enforce all of it
        // (`nonoc compile --target sbpl` without --allow-weaker).
        if (profile.parent_path() == "profiles")
            for (const auto& item : out.fidelity.items)
                CHECK_MESSAGE(item.level != FidelityItem::Level::Weaker, item.what);
        if (update) {
            fs::create_directories(file.parent_path());
            std::ofstream(file, std::ios::binary) << sb;
        }
        CHECK_MESSAGE(read_file(file) == sb, "differs from " << file.string() << " (UPDATE=1 rewrites it)");

        auto forms = read_sbpl(sb);
        // The one parameter of a bound profile: the port of the run's proxy, for hosts.
        std::set<std::string> defined;
        const ir::Network& network = policy->policy().network;
        if (!network.tcp_connect_hosts.empty() && !network.all) defined.insert(std::string(sbpl::kProxyPortParam));
        CHECK(check_profile(forms, defined).empty());
        // Decided as the IR does on the profile's own paths: exactly, or more strictly where
        // the fidelity report says so; and the test's reference agrees with the IR's own
        // query.
        bool stricter = false;
        for (const auto& item : out.fidelity.items) stricter = stricter || item.level == FidelityItem::Level::Stricter;
        Reference ref(policy->policy());
        for (const std::string& path : probe_paths(policy->policy().root, "")) {
            for (const auto& op : sbpl::path_operations()) {
                INFO(op.name << " " << path);
                bool expected_here = ref.allows(op.rights, path);
                CHECK(decide_path(policy->policy(), path, op.rights).allowed == expected_here);
                bool actual = evaluate(forms, Query{std::string(op.name), path, {}, {}, 0});
                if (actual != expected_here) CHECK((stricter && !actual));
            }
        }
    }
    CHECK(skipped < cases.size());
    // No golden file is left without its profile.
    for (const fs::path dir : {fs::path("tests/golden"), fs::path("tests/golden/sbpl")}) {
        if (!fs::is_directory(dir)) continue;
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.path().extension() == ".sb")
                CHECK_MESSAGE(expected.count(entry.path()), "no profile for " << entry.path().string());
    }
}

TEST_CASE("sbpl: base states what a macOS process needs to start, and no more") {
    struct InRepository {
        fs::path before = fs::current_path();
        InRepository() { fs::current_path(NONO_REPO_DIR); }
        ~InRepository() { fs::current_path(before); }
    } in_repository;
    SourceMap sources;
    Diagnostics diags;
    auto policy = compile_for_macos("profiles/base.nono", sources, diags);
    REQUIRE(policy);
    TargetOptions target;
    target.base_name = "base";
    auto forms = read_sbpl(sbpl::emit(*policy, target).artifacts.at(0).content);
    auto can = [&](const char* op, const char* path) { return evaluate(forms, Query{op, path, {}, {}, 0}); };
    // dyld, libSystem and the frameworks; dyld's dtrace helper; name service and time zone files.
    CHECK(can("file-read-data", "/System/Library/Frameworks/Foundation.framework/Foundation"));
    CHECK(can("file-map-executable", "/usr/lib/libSystem.B.dylib"));
    CHECK(can("file-write-data", "/dev/dtracehelper"));
    CHECK(can("file-read-data", "/private/etc/passwd"));
    CHECK(can("file-read-data", "/private/etc/services"));  // Seatbelt sees the resolved path
    CHECK(can("file-read-data", "/private/var/db/timezone/zoneinfo/UTC"));
    // The devices: bit bucket, descriptors by name, terminals (isatty is an ioctl).
    CHECK(can("file-write-data", "/dev/null"));
    CHECK(can("file-ioctl", "/dev/null"));
    CHECK(can("file-write-data", "/dev/fd/3"));
    CHECK(can("file-ioctl", "/dev/ttys003"));
    CHECK(can("file-ioctl", "/dev/ptmx"));
    CHECK(can("process-exec*", "/bin/sh"));
    // Reading and writing a device is not creating or removing under /dev, and a system
    // file stays unwritable.
    CHECK_FALSE(can("file-write-create", "/dev/ttys003"));
    CHECK_FALSE(can("file-write-unlink", "/dev/null"));
    CHECK_FALSE(can("file-write-data", "/usr/lib/libSystem.B.dylib"));
    CHECK_FALSE(can("file-read-data", "/Users/nono/.ssh/id_ed25519"));
    CHECK_FALSE(can("file-read-data", "/Users/nono/Library/Keychains/login.keychain-db"));
}
