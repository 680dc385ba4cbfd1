// Units for the `limit` statements: amounts (plan/limits), where the run's cgroup is
// made (runtime/run_cgroup, on a fake tree), composition across `extends` (the smallest wins), and how
// explain, diff, fmt and the YAML form show them.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compile.hpp"
#include "compiler/diff.hpp"
#include "compiler/explain.hpp"
#include "grammar/parse.hpp"
#include "grammar/print_nono.hpp"
#include "runtime/enforce_limits.hpp"
#include "plan/limits.hpp"
#include "runtime/run_cgroup.hpp"
#include "yaml/yaml_form.hpp"

using namespace nono;
using limits::Kind;

namespace {

struct Folder {
    std::filesystem::path dir;
    Folder() {
        dir = std::filesystem::temp_directory_path() / ("nono-limits-test-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
    }
    ~Folder() { std::filesystem::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) const {
        const std::filesystem::path path = dir / name;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
        return path.string();
    }
};

OptimizedPolicy compiled(const std::string& path) {
    CompileOptions options;
    options.bindings = {{"HOME", "/home/u"}, {"CWD", "/work/p"}};
    SourceMap sources;
    Diagnostics diags;
    std::optional<OptimizedPolicy> policy = compile_profile(path, options, sources, diags);
    std::ostringstream errors;
    diags.render(errors, sources, false);
    REQUIRE_MESSAGE(policy, errors.str());
    REQUIRE_MESSAGE(!diags.has_errors(), errors.str());
    return *policy;
}

}  // namespace

TEST_CASE("limit amounts: units, and what is refused") {
    CHECK(limits::parse_amount(Kind::Memory, "4G").value == 4ull << 30);
    CHECK(limits::parse_amount(Kind::Memory, "256M").value == 256ull << 20);
    CHECK(limits::parse_amount(Kind::FileSize, "10T").value == 10ull << 40);
    CHECK(limits::parse_amount(Kind::FileSize, "1K").value == 1024);
    CHECK(limits::parse_amount(Kind::CpuTime, "30m").value == 1800);
    CHECK(limits::parse_amount(Kind::CpuTime, "2h").value == 7200);
    CHECK(limits::parse_amount(Kind::CpuTime, "45s").value == 45);
    CHECK(limits::parse_amount(Kind::Processes, "512").value == 512);

    auto refused = [](Kind kind, std::string_view text) {
        const limits::Amount a = limits::parse_amount(kind, text);
        return a.error + " @" + std::to_string(a.error_offset);
    };
    CHECK(refused(Kind::Memory, "4") == "missing unit after the number @1");
    CHECK(refused(Kind::Memory, "4GB") == "unknown unit `GB` for memory @1");
    CHECK(refused(Kind::Memory, "4g") == "unknown unit `g` for memory @1");
    CHECK(refused(Kind::CpuTime, "30") == "missing unit after the number @2");
    CHECK(refused(Kind::CpuTime, "1d") == "unknown unit `d` for cpu-time @1");
    CHECK(refused(Kind::OpenFiles, "4K") == "unexpected unit `K` for open-files @1");
    CHECK(refused(Kind::Processes, "0") == "a limit of zero @0");
    CHECK(refused(Kind::Memory, "0G") == "a limit of zero @0");
    CHECK(refused(Kind::Memory, "G") == "expected a number @0");
    CHECK(refused(Kind::Memory, "8589934592G") == "limit too large @0");  // 2^33 G = 2^63 bytes
    CHECK(refused(Kind::Processes, "99999999999999999999999") == "limit too large @0");
    CHECK(limits::parse_amount(Kind::Memory, "8589934591G").error.empty());
    CHECK(limits::parse_amount(Kind::Processes, "9223372036854775807").value == limits::kMaxAmount);
}

TEST_CASE("limit amounts: format_amount writes the shortest text that reads back the same") {
    CHECK(limits::format_amount(Kind::Memory, 4ull << 30) == "4G");
    CHECK(limits::format_amount(Kind::Memory, 1536ull << 20) == "1536M");
    CHECK(limits::format_amount(Kind::CpuTime, 5400) == "90m");
    CHECK(limits::format_amount(Kind::CpuTime, 61) == "61s");
    CHECK(limits::format_amount(Kind::OpenFiles, 4096) == "4096");
    for (Kind kind : {Kind::Memory, Kind::CpuTime, Kind::Processes})
        for (std::uint64_t v : {1024ull, 3600ull, 7ull << 40, 86400ull})
            if (limits::info(kind).unit != limits::Unit::Bytes || v % 1024 == 0)
                CHECK(limits::parse_amount(kind, limits::format_amount(kind, v)).value == v);
}

TEST_CASE("cgroup v2: the unified hierarchy in /proc/self/cgroup and /proc/self/mountinfo") {
    CHECK(run_cgroup::unified_cgroup("0::/user.slice/user-1000.slice/session-3.scope\n") ==
          "/user.slice/user-1000.slice/session-3.scope");
    CHECK(run_cgroup::unified_cgroup("12:pids:/\n1:name=systemd:/\n0::/a/b\n") == "/a/b");
    CHECK_FALSE(run_cgroup::unified_cgroup("9:name=systemd:/\n8:pids:/\n7:blkio:/\n"));  // v1 only
    CHECK_FALSE(run_cgroup::unified_cgroup(""));

    const std::string hybrid =
        "30 25 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755\n"
        "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate\n";
    CHECK(run_cgroup::cgroup2_mount(hybrid) == "/sys/fs/cgroup/unified");
    // A bind of a subtree is not the hierarchy's root; optional tags before "-"; escapes.
    CHECK(run_cgroup::cgroup2_mount("40 1 0:27 /user.slice /mnt/u rw - cgroup2 cgroup2 rw\n"
                                    "41 1 0:27 / /mnt/all\\040cgroups rw shared:3 master:1 - cgroup2 none rw\n") ==
          "/mnt/all cgroups");
    CHECK_FALSE(run_cgroup::cgroup2_mount("31 30 0:27 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"));
}

TEST_CASE("cgroup v2: the run's cgroup is made beside the process's, where it is delegated") {
    Folder tree;
    const std::string mountinfo = "31 30 0:27 / " + tree.dir.string() + " rw - cgroup2 cgroup2 rw\n";
    const std::string self = "0::/user.slice/app.slice/run.scope\n";
    const std::string parent = (tree.dir / "user.slice/app.slice").string();
    CHECK(run_cgroup::find_place("8:pids:/\n", mountinfo).reason == "no cgroup v2 hierarchy here (cgroup v1 only)");
    CHECK(run_cgroup::find_place(self, "").reason == "no cgroup v2 hierarchy here (cgroup v1 only)");

    tree.write("user.slice/app.slice/cgroup.procs", "");
    tree.write("user.slice/app.slice/cgroup.subtree_control", "cpu memory\n");
    run_cgroup::Place place = run_cgroup::find_place(self, mountinfo);
    CHECK(place.parent == parent);
    CHECK(place.reason.empty());
    CHECK(place.memory);
    CHECK_FALSE(place.pids);  // a run there bounds memory, not processes
    // In the root cgroup, below it.
    tree.write("cgroup.procs", "");
    CHECK(run_cgroup::find_place("0::/\n", mountinfo).parent == tree.dir.string());

    const limits::Enforcement e = run_cgroup::enforcement_at(place);
    CHECK(e.cgroup == parent);
    CHECK(e.memory);
    CHECK_FALSE(e.pids);
    // Not writable by this user: only root writes there, so the check runs as nobody.
    if (getuid() == 0) {
        const pid_t child = fork();
        if (child == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
            _exit(run_cgroup::find_place(self, mountinfo).reason == parent + " is not delegated to this user (not writable)" ? 0 : 1);
        }
        int status = 0;
        waitpid(child, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
}

TEST_CASE("limits: memory is weaker without the run's cgroup's memory controller, and processes only for root") {
    limits::Limits l;
    l[Kind::Memory] = 256ull << 20;
    l[Kind::Processes] = 100;
    l[Kind::OpenFiles] = 64;
    const limits::Enforcement user{{}, "no cgroup v2", false, false, false};
    const limits::Enforcement root{{}, "no cgroup v2", false, false, true};
    const std::vector<std::string> as_user = limits::weaker_than_written(l, user);
    REQUIRE(as_user.size() == 1);
    CHECK(as_user[0] == "limit memory 256M: no cgroup of the run (no cgroup v2); RLIMIT_AS bounds each process, "
                        "not the run's processes together");
    const std::vector<std::string> as_root = limits::weaker_than_written(l, root);
    REQUIRE(as_root.size() == 2);
    CHECK(as_root[1].rfind("limit processes 100: no cgroup of the run (no cgroup v2); RLIMIT_NPROC does not bind root", 0) == 0);
    // A cgroup without the controllers is no better; with them, nothing is weaker.
    const limits::Enforcement bare{"/cg", "", false, false, true};
    CHECK(limits::weaker_than_written(l, bare)[0].find("the run's cgroup has no memory controller") != std::string::npos);
    CHECK(limits::weaker_than_written(l, {"/cg", "", true, true, true}).empty());
    l[Kind::Memory].reset();
    l[Kind::Processes].reset();
    CHECK(limits::weaker_than_written(l, root).empty());
}

TEST_CASE("limits compose across extends: the smallest of each kind wins, with its source line") {
    Folder f;
    f.write("parent.nono", "profile parent {\n  limit memory 2G\n  limit processes 64\n  limit cpu-time 1h\n}\n");
    const std::string child =
        f.write("child.nono", "profile child extends parent {\n  limit memory 8G\n  limit processes 32\n  limit open-files 100\n}\n");
    const OptimizedPolicy optimized = compiled(child);
    const ir::Policy& p = optimized.policy();
    REQUIRE(p.limits.size() == 4);
    CHECK(p.limits.at(Kind::Memory).amount == 2ull << 30);  // the parent's: a child cannot raise it
    CHECK(p.limits.at(Kind::Memory).origin.loc.line == 2);
    CHECK(p.limits.at(Kind::Processes).amount == 32);  // the child's: lower
    CHECK(p.limits.at(Kind::CpuTime).amount == 3600);
    CHECK(p.limits.at(Kind::OpenFiles).amount == 100);

    const std::string text = explain_text(optimized);
    const std::size_t memory = text.find("limits:\n  memory 2G ");
    REQUIRE(memory != std::string::npos);
    CHECK(text.substr(memory, text.find('\n', memory + 9) - memory).ends_with((f.dir / "parent.nono").string() + ":2"));
    CHECK(text.find("processes 32") != std::string::npos);
    CHECK(text.find("core dumps: off") != std::string::npos);
    CHECK(explain_json(optimized).find("\"memory\": {\"amount\": 2147483648") != std::string::npos);

    const ir::Policy parent = compiled((f.dir / "parent.nono").string()).policy();
    CHECK(policy_diff(parent, p) == std::vector<std::string>{"- limit processes: 64 -> 32", "- limit open-files: no limit -> 100"});
    CHECK(policy_diff(p, parent) == std::vector<std::string>{"+ limit processes: 32 -> 64", "+ limit open-files: 100 -> no limit"});
}

TEST_CASE("limits: fmt keeps the amount as written, YAML carries it both ways") {
    Diagnostics diags;
    const std::string text = "profile p {\n  limit memory 4096M  # as written\n  limit cpu-time 90s\n  limit processes 12\n}\n";
    const ast::File file = parse_nono(text, "p.nono", diags);
    REQUIRE_FALSE(diags.has_errors());
    CHECK(print_nono(file) == text);
    const std::string yaml = print_yaml(file);
    CHECK(yaml.find("limits:\n  memory: 4096M") != std::string::npos);
    CHECK(yaml.find("  cpu-time: 90s\n  processes: 12\n") != std::string::npos);
    const ast::File back = parse_yaml(yaml, "p.yaml", diags);
    REQUIRE_FALSE(diags.has_errors());
    CHECK(print_nono(back) == text);

    const ast::File twice = parse_nono("profile p {\n  limit memory 1G\n  limit memory 2G\n}\n", "t.nono", diags);
    CHECK_THROWS_AS(print_yaml(twice), YamlUnrepresentable);
}
