// Units for the Landlock plan (layout, globs, ABI needs), the emitter and the runtime's
// parts that need no Landlock (environment; descriptors while expanding). Enforcement by the
// kernel is in tests/enforcement/.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>

#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/optimize.hpp"
#include "plan/glob_match.hpp"
#include "runtime/glob_expand.hpp"
#include "runtime/sandbox.hpp"

using namespace nono;
using namespace nono::landlock;

namespace {

constexpr Access R = kAccessFsReadFile | kAccessFsReadDir;
constexpr Access W = kAccessFsWriteFile | kAccessFsMakeReg | kAccessFsRemoveFile;

const Expansion* find_expansion(const Layout& l, const std::string& dir) {
    for (const Expansion& e : l.expansions)
        if (e.directory == dir) return &e;
    return nullptr;
}
Access rule_at(const Layout& l, const std::string& path) {
    for (const PathRule& r : l.rules)
        if (r.path == path) return r.access;
    return 0;
}

std::string parent_of(const std::string& p) {
    std::size_t slash = p.rfind('/');
    return slash == 0 ? "/" : p.substr(0, slash);
}
std::string name_of(const std::string& p) { return p.substr(p.rfind('/') + 1); }

// What Landlock grants at `path` under a layout: the rules on the path and its ancestors,
// plus the expansions whose directory holds an ancestor-or-self not in `except`.
Access landlock_grants(const Layout& l, const std::string& path) {
    Access granted = 0;
    for (std::string p = path;; p = parent_of(p)) {
        granted |= rule_at(l, p);
        if (p == "/") break;
        if (const Expansion* e = find_expansion(l, parent_of(p)))
            if (!std::binary_search(e->except.begin(), e->except.end(), name_of(p))) granted |= e->access;
    }
    return granted;
}

// The profile's meaning at `path`: per right, the most specific entry that mentions it.
Access meaning(const std::vector<PathEntry>& entries, const std::string& path) {
    std::vector<std::string> chain;
    for (std::string p = path;; p = parent_of(p)) {
        chain.insert(chain.begin(), p);
        if (p == "/") break;
    }
    Access eff = 0;
    for (const std::string& p : chain)
        for (const PathEntry& e : entries)
            if (e.path == p) eff = (eff & ~(e.allow | e.deny)) | (e.allow & ~e.deny);
    return eff;
}

}  // namespace

TEST_CASE("a plain allow is one rule") {
    Layout l = lay_out({{"/usr", R | kAccessFsExecute, 0, 0}});
    REQUIRE(l.rules.size() == 1);
    CHECK(l.rules[0].path == "/usr");
    CHECK(l.rules[0].access == (R | kAccessFsExecute));
    CHECK(l.expansions.empty());
}

TEST_CASE("a denied directory under an allowed one becomes an expansion of the parent") {
    Layout l = lay_out({{"/home/u", R, 0, 0}, {"/home/u/.ssh", 0, kAllFsRights, 0}, {"/home/u/.ssh/known_hosts", R, 0, 0}});
    CHECK(rule_at(l, "/home/u") == 0);  // any right on /home/u would reach .ssh
    const Expansion* home = find_expansion(l, "/home/u");
    REQUIRE(home != nullptr);
    CHECK(home->access == R);
    CHECK(home->except == std::vector<std::string>{".ssh"});
    CHECK(rule_at(l, "/home/u/.ssh/known_hosts") == R);
    CHECK(find_expansion(l, "/home/u/.ssh") == nullptr);
}

TEST_CASE("a reduced path keeps its ancestors' common rights as rules") {
    Layout l = lay_out({{"/w", R | W, 0, 0}, {"/w/.git/hooks", 0, W, 0}});
    CHECK(rule_at(l, "/w") == R);
    CHECK(rule_at(l, "/w/.git") == 0);
    CHECK(rule_at(l, "/w/.git/hooks") == 0);
    REQUIRE(find_expansion(l, "/w") != nullptr);
    CHECK(find_expansion(l, "/w")->access == W);
    CHECK(find_expansion(l, "/w")->except == std::vector<std::string>{".git"});
    REQUIRE(find_expansion(l, "/w/.git") != nullptr);
    CHECK(find_expansion(l, "/w/.git")->except == std::vector<std::string>{"hooks"});
}

TEST_CASE("paths the plan does not state are anchored at the nearest one it does") {
    Layout l = lay_out({{"/w", R | W, 0, 0}, {"/w/.git/hooks", 0, W, 0}});
    REQUIRE(find_expansion(l, "/w") != nullptr);
    CHECK(find_expansion(l, "/w")->anchor == "/w");
    REQUIRE(find_expansion(l, "/w/.git") != nullptr);
    CHECK(find_expansion(l, "/w/.git")->anchor == "/w");
    Layout sibling = lay_out({{"/h", R, 0, 0}, {"/h/x", 0, R, 0}, {"/h/a/b", W, 0, 0}});
    CHECK(rule_at(sibling, "/h/a") == R);
    REQUIRE(sibling.rules.size() == 2);
    CHECK(sibling.rules[0].anchor == "/h");  // /h/a: reached as the ancestor of /h/a/b
    CHECK(sibling.rules[1].path == "/h/a/b");
    CHECK(sibling.rules[1].anchor == "/h/a/b");
}

TEST_CASE("on a tie, deny wins — a sealed directory is expanded") {
    Layout tie = lay_out({{"/a", R, R, 0}});
    CHECK(tie.rules.empty());
    Layout sealed = lay_out({{"/a", R, 0, kAccessFsReadFile}});
    CHECK(rule_at(sealed, "/a") == kAccessFsReadDir);
    REQUIRE(find_expansion(sealed, "/a") != nullptr);
    CHECK(find_expansion(sealed, "/a")->access == kAccessFsReadFile);
    CHECK(find_expansion(sealed, "/a")->except.empty());
}

TEST_CASE("layouts never grant more than the profile, and exactly it on other entries") {
    // Random trees over a few names; every path of the tree, and an unnamed entry "x"
    // beside each, is checked against the precedence rules computed directly.
    std::mt19937 rng(12345);
    const char* names[] = {"a", "b", "c"};
    const Access rights[] = {R, W, R | W, kAccessFsExecute, kAccessFsReadFile, kAllFsRights};
    for (int round = 0; round < 300; ++round) {
        std::vector<PathEntry> entries;
        int count = 1 + static_cast<int>(rng() % 6);
        for (int i = 0; i < count; ++i) {
            std::string path;
            int depth = 1 + static_cast<int>(rng() % 3);
            for (int d = 0; d < depth; ++d) path += std::string("/") + names[rng() % 3];
            PathEntry e{path, 0, 0, 0};
            (rng() % 3 == 0 ? e.deny : e.allow) = rights[rng() % 6];
            entries.push_back(e);
        }
        entries = merge_paths(entries);
        Layout l = lay_out(entries);
        for (const PathEntry& e : entries) {
            for (std::string p = e.path; p != "/"; p = parent_of(p)) {
                CAPTURE(p);
                Access granted = landlock_grants(l, p);
                CHECK((granted & ~meaning(entries, p)) == 0);
                std::string other = p + "/x";
                CHECK(landlock_grants(l, other) == meaning(entries, other));
            }
        }
    }
}

TEST_CASE("glob components match * and ? within a name") {
    CHECK(component_matches("*.env", "prod.env"));
    CHECK(component_matches("*", ".env"));
    CHECK(component_matches("id_*", "id_rsa"));
    CHECK(component_matches("?a*b", "xab"));
    CHECK(component_matches("a*b*c", "aXbYbZc"));
    CHECK_FALSE(component_matches("*.env", "env"));
    CHECK_FALSE(component_matches("?", ""));
    CHECK_FALSE(component_matches("a?c", "ac"));
    CHECK(component_matches("[x]", "[x]"));  // no bracket classes in the language
}

TEST_CASE("globs expand against the file system") {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/nono-glob-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    const std::string root = tmpl;
    fs::create_directories(root + "/p/q");
    fs::create_directories(root + "/r");
    for (const char* f : {"/.env", "/p/.env", "/p/q/.env", "/p/keep", "/r/x.txt"}) std::ofstream(root + f) << "x";
    fs::create_symlink(root + "/p", root + "/link");  // not walked: no duplicate under link/

    std::vector<std::string> skipped;
    auto entries = expand_globs({{root + "/**/.env", 0, R}, {root + "/r/*.txt", R, 0}, {root + "/missing/*", R, 0}}, skipped);
    std::map<std::string, PathEntry> by_path;
    for (const PathEntry& e : entries) by_path[e.path] = e;
    CHECK(by_path.count(root + "/.env"));
    CHECK(by_path.count(root + "/p/.env"));
    CHECK(by_path.count(root + "/p/q/.env"));
    CHECK_FALSE(by_path.count(root + "/link/.env"));
    CHECK_FALSE(by_path.count(root + "/p/keep"));
    CHECK(by_path[root + "/p/q/.env"].deny == R);
    CHECK(by_path[root].sealed == R);  // a deny glob seals its fixed directory
    CHECK(by_path[root + "/r/x.txt"].allow == R);
    CHECK(skipped == std::vector<std::string>{root + "/missing/*: no directory " + root + "/missing"});
    fs::remove_all(root);
}

TEST_CASE("a deny glob denies a directory it cannot list, whole") {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/nono-glob-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    const std::string root = tmpl;
    fs::create_directories(root + "/hidden");
    std::ofstream(root + "/hidden/.env") << "x";
    REQUIRE(chmod(root.c_str(), 0755) == 0);
    REQUIRE(chmod((root + "/hidden").c_str(), 0711) == 0);  // searchable, not listable
    // As an unprivileged user (the tests run as root, whom no mode stops).
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (setresuid(65534, 65534, 65534) != 0) _exit(2);
        std::vector<std::string> skipped;
        for (const PathEntry& e : expand_globs({{root + "/**/.env", 0, R}}, skipped))
            if (e.path == root + "/hidden" && e.deny == R) _exit(0);
        _exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    fs::remove_all(root);
}

namespace {

// A directory of `entries` files and a denied `secret` directory: an expansion of
// `entries` rules, as in bench/expansion_bench.cpp.
struct CarvedDirectory {
    explicit CarvedDirectory(int entries) {
        char tmpl[] = "/tmp/nono-carved-XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        root = tmpl;
        std::filesystem::create_directory(root + "/secret");
        for (int i = 0; i < entries; ++i) std::ofstream(root + "/f" + std::to_string(i)) << "x";
        plan.paths = {{root, R, 0, 0}, {root + "/secret", 0, kAllFsRights, 0}};
    }
    ~CarvedDirectory() { std::filesystem::remove_all(root); }
    std::string root;
    Plan plan;
};

std::vector<int> open_fds() {
    std::vector<int> fds;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) fds.push_back(std::stoi(e.path().filename().string()));
    std::sort(fds.begin(), fds.end());
    return fds;
}

// Runs `child` in a forked process (whose descriptor limit it may lower); its exit status.
int in_child(const std::function<int()>& child) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        try {
            _exit(child());
        } catch (...) {
            _exit(4);  // never back into the test runner, in a copy of it
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Lowers the soft descriptor limit to 64 and fills every free number under it but `free`.
bool leave_free_descriptors(int free) {
    rlimit limit{64, 64};
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
    std::vector<int> filler;
    for (int fd; (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) filler.push_back(fd);
    if (errno != EMFILE || static_cast<int>(filler.size()) < free) return false;
    for (int i = 0; i < free; ++i) close(filler[i]);
    return true;
}

}  // namespace

TEST_CASE("expanding a directory leaves no descriptor open and closes none of anyone else's") {
    CarvedDirectory carved(1100);  // two full batches of 512 and a partial one
    // The four lowest free numbers, the 2nd and 4th kept by descriptors not ours: the
    // directory gets the 1st, the entries the 3rd and then the numbers above the 4th.
    int fds[4];
    for (int& fd : fds) REQUIRE((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0);
    close(fds[0]);
    close(fds[2]);
    const std::vector<int> before = open_fds();
    const runtime::ConcreteRuleset ruleset = runtime::resolve_ruleset(carved.plan, kNewestKnownAbi);
    CHECK(ruleset.rules.size() == 1100);
    CHECK(open_fds() == before);
    CHECK(fcntl(fds[1], F_GETFD) >= 0);
    CHECK(fcntl(fds[3], F_GETFD) >= 0);
    close(fds[1]);
    close(fds[3]);
}

TEST_CASE("running out of descriptors while expanding closes the expansion's own first, else fails closed") {
    CarvedDirectory carved(100);
    // Two free numbers: the directory takes one, the entries take turns with the other.
    CHECK(in_child([&] {
              if (!leave_free_descriptors(2)) return 2;
              return runtime::resolve_ruleset(carved.plan, kNewestKnownAbi).rules.size() == 100 ? 0 : 1;
          }) == 0);
    // One free number: the directory takes it, and no entry can be opened.
    CHECK(in_child([&] {
              if (!leave_free_descriptors(1)) return 2;
              try {
                  runtime::resolve_ruleset(carved.plan, kNewestKnownAbi);
              } catch (const runtime::SandboxError& e) {
                  // Descriptors back first: UBSan checks the call below through a pipe of its
                  // own, and with none free it reports an invalid vptr.
                  syscall(SYS_close_range, 3, ~0u, 0);
                  const std::string reason = e.what();
                  return reason.rfind("Failed to open \"" + carved.root + "/f", 0) == 0 &&
                                 reason.find("\": Too many open files") != std::string::npos
                             ? 0
                             : 3;
              }
              return 1;
          }) == 0);
}

TEST_CASE("the rules' own descriptors are closed in batches, and in turn when descriptors run out") {
    CarvedDirectory files(100);
    Plan plan;  // each file stated on its own: 100 rules, no expansion
    for (int i = 0; i < 100; ++i) plan.paths.push_back({files.root + "/f" + std::to_string(i), kAccessFsReadFile, 0, 0});
    const std::vector<int> before = open_fds();
    CHECK(runtime::resolve_ruleset(plan, kNewestKnownAbi).rules.size() == 100);
    CHECK(open_fds() == before);
    CHECK(in_child([&] {
              if (!leave_free_descriptors(1)) return 2;
              return runtime::resolve_ruleset(plan, kNewestKnownAbi).rules.size() == 100 ? 0 : 1;
          }) == 0);
}

TEST_CASE("ABI needs: TCP and scopes only when the plan restricts them") {
    Plan plan;
    auto weaker = runtime::weaker_on(plan, 3);
    CHECK(weaker == std::vector<std::string>{"TCP bind and connect ports (needs ABI 4)", "ioctl on devices (needs ABI 5)",
                                             "abstract unix sockets scoped to the sandbox (needs ABI 6)",
                                             "signals scoped to the sandbox (needs ABI 6)"});
    CHECK(runtime::weaker_on(plan, 1).front() == "truncate (needs ABI 3)");  // refer: stricter on ABI 1
    plan.handle_tcp = false;
    plan.scoped = 0;
    CHECK(runtime::weaker_on(plan, 5).empty());
    CHECK(runtime::weaker_on(plan, 7).empty());
}

TEST_CASE("weaker on every kernel: a deny glob with a wildcard in a directory") {
    Plan plan;
    plan.globs = {{"/h/**/.env", 0, kAccessFsReadFile}, {"/h/*.key", 0, kAccessFsReadFile}, {"/e/*/x", kAccessFsReadFile, 0}};
    // `/h/*.key` seals /h and `/e/*/x` only allows: neither is weaker than written.
    CHECK(runtime::weaker_on(plan, 7) ==
          std::vector<std::string>{"/h/**/.env: a match created later, in a directory that held none, is not denied"});
}

TEST_CASE("the environment loses code-injecting variables unless kept") {
    char e1[] = "LD_PRELOAD=/x.so", e2[] = "LD_AUDIT=/y.so", e3[] = "PATH=/bin", e4[] = "SECRET=1", e5[] = "LANG=C",
         e6[] = "GLIBC_TUNABLES=glibc.x=1";
    char* env[] = {e1, e2, e3, e4, e5, e6, nullptr};
    EnvPlan plan;
    plan.keep = {"LD_AUDIT"};
    plan.drop = {"SECRET"};
    plan.set = {{"LANG", "C.UTF-8"}};
    CHECK(runtime::command_environment(plan, env) ==
          std::vector<std::string>{"LD_AUDIT=/y.so", "PATH=/bin", "LANG=C.UTF-8"});
}

namespace {

ir::Policy sample_policy() {
    ir::Policy p;
    p.name = "sample";
    ir::Origin o{{"sample.nono", 3, 3}, "allow read,write /w"};
    ir::add_path_rule(p, "/w", {ir::Effect::Allow, ir::kRead | ir::kWrite, o});
    ir::add_path_rule(p, "/w/.git/hooks", {ir::Effect::Deny, ir::kWrite, {{"sample.nono", 4, 3}, "deny write /w/.git/hooks"}});
    ir::add_path_rule(p, "/usr", {ir::Effect::Allow, ir::kRead | ir::kExec, {{"sample.nono", 5, 3}, "allow read,exec /usr"}});
    p.globs.push_back({"/w/**/.env", {ir::Effect::Deny, ir::kRead, {{"sample.nono", 6, 3}, "deny read /w/**/.env"}}});
    p.globs.push_back({"/etc/*.conf", {ir::Effect::Allow, ir::kRead, {{"sample.nono", 7, 3}, "allow read /etc/*.conf"}}});
    p.network.tcp_connect.push_back({443, 443, {{"sample.nono", 8, 3}, "allow connect tcp 443"}});
    p.network.tcp_bind.push_back({8000, 8099, {{"sample.nono", 9, 3}, "allow bind tcp 8000-8099"}});
    p.network.signal_outside = ir::Origin{{"sample.nono", 10, 3}, "allow signal outside"};
    p.env.keep["LD_LIBRARY_PATH"] = {};
    p.env.set["LANG"] = {"C.UTF-8", {}};
    return p;
}

}  // namespace

TEST_CASE("the emitter turns the IR into a plan") {
    Plan plan = landlock_plan(sample_policy());
    REQUIRE(plan.paths.size() == 3);
    CHECK(plan.paths[0].path == "/usr");
    CHECK(plan.paths[1].path == "/w");
    CHECK(plan.paths[1].allow == (ir::kRead | ir::kWrite));
    CHECK(plan.paths[2].path == "/w/.git/hooks");
    CHECK(plan.paths[2].deny == ir::kWrite);
    REQUIRE(plan.globs.size() == 2);
    CHECK(plan.globs[0].pattern == "/etc/*.conf");
    CHECK(plan.handle_tcp);
    REQUIRE(plan.tcp_bind.size() == 1);
    CHECK(plan.tcp_bind[0].last == 8099);
    CHECK(plan.scoped == kScopeAbstractUnixSocket);
    CHECK(plan.env.keep == std::vector<std::string>{"LD_LIBRARY_PATH"});

    ir::Policy open_net = sample_policy();
    open_net.network.all = ir::Origin{};
    CHECK_FALSE(landlock_plan(open_net).handle_tcp);
}

TEST_CASE("the JSON artifact is deterministic and escapes paths") {
    ir::Policy p = sample_policy();
    ir::add_path_rule(p, "/odd/\"q\"\\\xff", {ir::Effect::Allow, ir::kRead, {}});
    std::string a = landlock_json(landlock_plan(p));
    CHECK(a == landlock_json(landlock_plan(p)));
    CHECK(a.find(R"("path": "/odd/\"q\"\\\udcff")") != std::string::npos);
    CHECK(a.find(R"({"directory": "/w", "access": ["write-file", "remove-dir", "remove-file", "create-dir", "create-file", "create-socket", "create-fifo", "create-symlink", "refer", "truncate"], "except": [".git"]})") != std::string::npos);
    CHECK(a.find(R"("tcp": {"connect": [[443, 443]], "bind": [[8000, 8099]]})") != std::string::npos);
    CHECK(a.find(R"("scoped": ["abstract-unix-socket"])") != std::string::npos);
}

TEST_CASE("fidelity: exact on a new kernel, weaker on an old one, stricter for carve-outs and globs") {
    ir::Policy p = sample_policy();
    Plan plan = landlock_plan(p);
    auto count = [](const Fidelity& f, FidelityItem::Level level, std::string_view text) {
        int n = 0;
        for (const FidelityItem& i : f.items)
            if (i.level == level && i.what.find(text) != std::string::npos) ++n;
        return n;
    };
    Fidelity now = landlock_fidelity(p, plan, 7);
    CHECK(count(now, FidelityItem::Level::Exact, "TCP bind and connect ports") == 1);
    CHECK(count(now, FidelityItem::Level::Stricter, "/w: holds a path with fewer rights") == 1);
    CHECK(count(now, FidelityItem::Level::Stricter, "/etc/*.conf") == 1);
    CHECK(count(now, FidelityItem::Level::Weaker, "/w/**/.env") == 1);  // a later .env in a new directory
    Fidelity old = landlock_fidelity(p, plan, 3);
    CHECK(count(old, FidelityItem::Level::Weaker, "TCP bind and connect ports: not enforced on Landlock ABI 3") == 1);
    CHECK(count(landlock_fidelity(p, plan, 1), FidelityItem::Level::Stricter, "refer (rename and link across directories): refused everywhere") == 1);
    CHECK(landlock_fidelity(p, plan, 0).weaker());
}

TEST_CASE("the landlock target is registered") {
    bool found = false;
    for (const Target& t : targets())
        if (t.name == "landlock") {
            found = true;
            TargetOutput out = t.emit(optimize(sample_policy()), {"sample"});
            REQUIRE(out.artifacts.size() == 1);
            CHECK(out.artifacts[0].file_name == "sample.landlock.json");
        }
    CHECK(found);
}
