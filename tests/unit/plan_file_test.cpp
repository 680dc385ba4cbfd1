// Units for the compiled plan file (plan/plan_file.hpp): what the "plan" target writes
// loads back exactly; anything else is refused whole, with the byte and the reason.
#include <doctest/doctest.h>

#include <linux/filter.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compile.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/plan/emit_plan.hpp"
#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/optimize.hpp"
#include "plan/plan_file.hpp"
#include "runtime/load_plan_file.hpp"

using namespace nono;
using namespace nono::landlock;
using plan::CompiledPlan;

namespace {

CompiledPlan rich_plan() {
    CompiledPlan p;
    p.landlock.name = "rich";
    p.landlock.handle_tcp = true;
    p.landlock.tcp_connect = {{443, 443}, {8000, 8080}};
    p.landlock.tcp_bind = {{0, 0}};
    p.landlock.paths = {{"/", kAccessFsReadDir, 0, 0},
                        {"/home/u", kAccessFsReadFile, 0, 0},
                        {"/home/u/.ssh", 0, kAccessFsReadFile | kAccessFsReadDir, 0},
                        {"/home/u/caf\xc3\xa9 \xff", kAccessFsWriteFile, 0, 0}};
    p.landlock.make_directories = {"/home/u/.cache/rich", "/tmp/build/out"};
    p.landlock.protect = {"/home/u/.claude/settings.json", "/home/u/w/.mcp.json"};
    p.landlock.globs = {{"/home/u/**/.env", 0, kAccessFsReadFile}, {"/tmp/*.sock", kAccessFsMakeSock, 0}};
    p.landlock.env = {{"LD_PRELOAD"}, {"AWS_SECRET"}, {{"LANG", "C.UTF-8"}, {"EMPTY", ""}}};
    p.landlock.limits[limits::Kind::Memory] = 4ull << 30;
    p.landlock.limits[limits::Kind::CpuTime] = 1800;
    for (const char* host : {"*.example.com", "10.0.0.0/8", "[::1]", "api.example.com"})
        p.landlock.peers.hosts.push_back({std::get<net::HostPattern>(net::parse_host(host)), 443, 443});
    std::sort(p.landlock.peers.hosts.begin(), p.landlock.peers.hosts.end());
    p.landlock.peers.loopback = true;
    p.landlock.peers.unix_connect = {"/run/a.sock", "/tmp/build/b.sock"};
    p.arch = "x86_64";
    p.tmpdir = "/tmp/build";
    p.filter = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_RET | BPF_K, 0x7fff0000u)};
    return p;
}

// The reason read_plan gives for `bytes`, or "" when it accepts them.
std::string refusal(std::string_view bytes) {
    try {
        plan::read_plan(bytes);
    } catch (const plan::PlanFileError& e) {
        return e.what();
    }
    return "";
}

bool same(const CompiledPlan& a, const CompiledPlan& b) {
    auto paths_equal = [](const std::vector<PathEntry>& x, const std::vector<PathEntry>& y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i].path != y[i].path || x[i].allow != y[i].allow || x[i].deny != y[i].deny || x[i].sealed != y[i].sealed)
                return false;
        return true;
    };
    auto globs_equal = [](const std::vector<GlobEntry>& x, const std::vector<GlobEntry>& y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i].pattern != y[i].pattern || x[i].allow != y[i].allow || x[i].deny != y[i].deny) return false;
        return true;
    };
    auto ports_equal = [](const std::vector<PortRange>& x, const std::vector<PortRange>& y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i].first != y[i].first || x[i].last != y[i].last) return false;
        return true;
    };
    const Plan &l = a.landlock, &r = b.landlock;
    return l.name == r.name && l.handled_fs == r.handled_fs && l.handle_tcp == r.handle_tcp && l.scoped == r.scoped &&
           ports_equal(l.tcp_connect, r.tcp_connect) && ports_equal(l.tcp_bind, r.tcp_bind) && paths_equal(l.paths, r.paths) &&
           l.make_directories == r.make_directories && l.protect == r.protect &&
           globs_equal(l.globs, r.globs) && l.env.keep == r.env.keep && l.env.drop == r.env.drop && l.env.set == r.env.set &&
           l.limits == r.limits && l.peers == r.peers && a.arch == b.arch && a.tmpdir == b.tmpdir && a.filter.size() == b.filter.size() &&
           std::memcmp(a.filter.data(), b.filter.data(), a.filter.size() * sizeof(sock_filter)) == 0;
}

}  // namespace

TEST_CASE("plan file: every field loads back as written, and writes back byte for byte") {
    const CompiledPlan plan = rich_plan();
    const std::string bytes = plan::write_plan(plan);
    CHECK(bytes.substr(0, 8) == "NONOPLAN");
    const CompiledPlan loaded = plan::read_plan(bytes);
    CHECK(same(loaded, plan));
    CHECK(plan::write_plan(loaded) == bytes);
}

TEST_CASE("plan file: every shortened file, and every file with more after the end, is refused") {
    const std::string bytes = plan::write_plan(rich_plan());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        INFO("length " << n);
        CHECK(refusal(bytes.substr(0, n)) != "");
    }
    CHECK(refusal(bytes + '\0') == "byte " + std::to_string(bytes.size()) + ": 1 bytes after the end of the plan");
}

TEST_CASE("plan file: what the reader refuses, and why") {
    auto refused_with = [](const CompiledPlan& p) { return refusal(plan::write_plan(p)); };
    auto contains = [](const std::string& s, const std::string& part) {
        INFO(s);
        return s.find(part) != std::string::npos;
    };
    CHECK(contains(refusal("#!/bin/sh\n"), "not a nono plan file"));

    std::string bytes = plan::write_plan(rich_plan());
    bytes[8] = 2;  // version
    CHECK(contains(refusal(bytes), "byte 8: plan format version 2; this nono reads version 6"));

    CompiledPlan p = rich_plan();
    std::swap(p.landlock.protect[0], p.landlock.protect[1]);
    CHECK(contains(refused_with(p), "the protected paths are not sorted"));
    p = rich_plan();
    p.landlock.protect[0] = "/home/u/../x";
    CHECK(contains(refused_with(p), "the protected path"));

    p = rich_plan();
    p.landlock.peers.hosts[0].host.name = "Example.com";
    CHECK(contains(refused_with(p), "host \"Example.com\" is not in its canonical form"));
    p = rich_plan();
    p.landlock.peers.hosts[0].host.name = "bad..name";
    CHECK(contains(refused_with(p), "host \"bad..name\": empty label"));
    p = rich_plan();
    std::swap(p.landlock.peers.hosts[0], p.landlock.peers.hosts[1]);
    CHECK(contains(refused_with(p), "the hosts are not sorted and unique"));
    p = rich_plan();
    p.landlock.peers.hosts[0].first = 0;
    CHECK(contains(refused_with(p), "not a port range"));
    p = rich_plan();
    p.landlock.peers.unix_connect = {"/run/../a.sock"};
    CHECK(contains(refused_with(p), "the unix socket path \"/run/../a.sock\" is not a canonical absolute path"));
    p = rich_plan();
    p.landlock.paths[1].path = "/home/../etc";
    CHECK(contains(refused_with(p), "the path \"/home/../etc\" is not a canonical absolute path"));
    p.landlock.paths[1].path = "/\x1b[2J/../x";  // shown without its control bytes
    CHECK(contains(refused_with(p), "the path \"/?[2J/../x\" is not a canonical absolute path"));
    for (const char* bad : {"relative", "/a//b", "/a/", "/a/./b", ""}) {
        p = rich_plan();
        p.landlock.paths[1].path = bad;
        CHECK(contains(refused_with(p), "is not a canonical absolute path"));
    }
    p = rich_plan();
    p.landlock.globs[0].pattern = "**/.env";
    CHECK(contains(refused_with(p), "the glob \"**/.env\" is not a canonical absolute path"));
    p = rich_plan();
    p.landlock.paths[0].allow = Access{1} << 16;
    CHECK(contains(refused_with(p), "a path's allowed rights: unknown filesystem rights"));
    p = rich_plan();
    p.landlock.handled_fs = ~Access{0};
    CHECK(contains(refused_with(p), "the handled rights: unknown filesystem rights"));
    p = rich_plan();
    p.landlock.scoped = 4;
    CHECK(contains(refused_with(p), "unknown scopes"));
    p = rich_plan();
    p.landlock.tcp_connect = {{80, 79}};
    CHECK(contains(refused_with(p), "TCP connect ports: a range that ends before it starts"));
    p = rich_plan();
    p.landlock.env.set = {{"A=B", "c"}};
    CHECK(contains(refused_with(p), "a set variable \"A=B\" is not a variable name"));
    p = rich_plan();
    p.landlock.env.drop = {""};
    CHECK(contains(refused_with(p), "dropped variables \"\" is not a variable name"));
    p = rich_plan();
    p.landlock.env.set = {{"A", std::string("x\0y", 3)}};
    CHECK(contains(refused_with(p), "a set variable's value holds a NUL byte"));
    p = rich_plan();
    p.arch = "mips";
    CHECK(contains(refused_with(p), "unknown architecture \"mips\""));
    p = rich_plan();
    p.filter.clear();
    CHECK(contains(refused_with(p), "a seccomp filter of 0 instructions (the kernel takes 1 to 4096)"));
    p = rich_plan();
    p.filter.assign(BPF_MAXINSNS + 1, BPF_STMT(BPF_RET | BPF_K, 0));
    CHECK(contains(refused_with(p), "a seccomp filter of 4097 instructions"));

    // The TCP flag is the byte after magic, version, name ("rich") and handled rights.
    bytes = plan::write_plan(rich_plan());
    const std::size_t tcp_flag = 8 + 4 + 4 + 4 + 8;
    REQUIRE(bytes[tcp_flag] == 1);
    bytes[tcp_flag] = 2;
    CHECK(contains(refusal(bytes), "byte 28: the TCP flag is neither 0 nor 1"));

    // The limits stand before the peers, the architecture ("x86_64") and the filter (2
    // instructions): a count, then {u8 kind, u64 amount} for memory and cpu-time.
    CompiledPlan no_peers = rich_plan();
    no_peers.landlock.peers = {};
    const std::size_t peers = bytes.size() - plan::write_plan(no_peers).size() + (4 + 1 + 4);
    const std::size_t limits_count = bytes.size() - (4 + 6) - (4 + 2 * 8) - peers - (4 + 2 * 9);
    const std::size_t first_kind = limits_count + 4, first_amount = first_kind + 1, second_kind = first_amount + 8;
    bytes = plan::write_plan(rich_plan());
    REQUIRE(bytes[first_kind] == static_cast<char>(limits::Kind::Memory));
    REQUIRE(bytes[second_kind] == static_cast<char>(limits::Kind::CpuTime));
    bytes[first_kind] = 9;
    CHECK(refusal(bytes) == "byte " + std::to_string(first_kind) + ": unknown limit kind 9");
    bytes = plan::write_plan(rich_plan());
    bytes[second_kind] = static_cast<char>(limits::Kind::Memory);
    CHECK(refusal(bytes) == "byte " + std::to_string(second_kind) + ": limit kinds out of order or repeated");
    bytes = plan::write_plan(rich_plan());
    bytes.replace(first_amount, 8, std::string(8, '\0'));
    CHECK(refusal(bytes) == "byte " + std::to_string(first_amount) + ": limit memory of 0 (1 to 9223372036854775807)");
    bytes.replace(first_amount, 8, std::string(8, '\xff'));
    CHECK(contains(refusal(bytes), "byte " + std::to_string(first_amount) + ": limit memory of 18446744073709551615"));
    bytes = plan::write_plan(rich_plan());
    bytes.replace(limits_count, 4, "\x3c\0\0\0", 4);
    CHECK(contains(refusal(bytes), "byte " + std::to_string(limits_count) + ": the file is too short for 60 limits"));

    // A count larger than the file could hold is refused before anything is allocated.
    bytes = plan::write_plan(rich_plan());
    const std::size_t connect_count = tcp_flag + 1 + 8;
    bytes.replace(connect_count, 4, "\xff\xff\xff\x7f", 4);
    CHECK(contains(refusal(bytes), "the file is too short for 2147483647 TCP connect ports"));
}

TEST_CASE("plan file: the plan target writes what the runtime would have compiled itself") {
    CompileOptions options;
    options.bindings = {{"HOME", "/home/user"}, {"CWD", "/work/project"}, {"USER", "user"}, {"UID", "1000"}, {"TMPDIR", "/tmp"}};
    SourceMap sources;
    Diagnostics diags;
    for (const char* profile : {"python-agent", "strict", "node-agent"}) {
        INFO(profile);
        std::optional<OptimizedPolicy> optimized = compile_profile(profile, options, sources, diags);
        REQUIRE(optimized);
        const ir::Policy* policy = &optimized->policy();
        const TargetOutput out = emit_plan(*optimized, TargetOptions{policy->name, ir::Arch::Aarch64, false});
        REQUIRE(out.artifacts.size() == 1);
        CHECK(out.artifacts[0].file_name == std::string(profile) + ".plan");
        const ir::SyscallTable& table = *ir::syscall_table(*policy, ir::Arch::Aarch64);
        CompiledPlan expected{landlock_plan(*policy), "aarch64", seccomp::emit_seccomp(table, coalesce_syscall_ranges(table))};
        // What $TMPDIR stood for, where the profile uses it (strict does not).
        if (policy->bindings.count("TMPDIR")) expected.tmpdir = "/tmp";
        CHECK(same(plan::read_plan(out.artifacts[0].content), expected));
        CHECK(out.fidelity.target == "plan");
        CHECK_FALSE(out.fidelity.weaker());
    }
}

TEST_CASE("plan file: $TMPDIR's rules move to the run's private directory, and nothing else does") {
    CompiledPlan p;
    p.tmpdir = "/.nono-run-tmpdir";
    p.landlock.paths = {{"/", kAccessFsReadDir, 0, 0},
                        {"/.nono-run-tmpdir", kAccessFsWriteFile, 0, 0},
                        {"/.nono-run-tmpdir-not", kAccessFsReadFile, 0, 0},
                        {"/.nono-run-tmpdir/cache", 0, kAccessFsWriteFile, 0},
                        {"/tmp/nono-ab12", kAccessFsExecute, 0, 0}};
    p.landlock.globs = {{"/.nono-run-tmpdir/*.sock", kAccessFsMakeSock, 0}, {"/.nono-run-tmpdirs/*", kAccessFsReadFile, 0}};
    p.landlock.make_directories = {"/.nono-run-tmpdir-not/x", "/.nono-run-tmpdir/cache/out"};
    p.landlock.protect = {"/.nono-run-tmpdir/hooks.json", "/home/u/x"};
    plan::place_private_tmp(p, "/tmp/nono-ab12");
    // Moved with the directory, and sorted again.
    CHECK(p.landlock.protect == std::vector<std::string>{"/home/u/x", "/tmp/nono-ab12/hooks.json"});
    std::vector<std::string> paths;
    for (const PathEntry& e : p.landlock.paths) paths.push_back(e.path);
    // Sorted again, and merged where the directory was already named.
    CHECK(paths == std::vector<std::string>{"/", "/.nono-run-tmpdir-not", "/tmp/nono-ab12", "/tmp/nono-ab12/cache"});
    CHECK(p.landlock.paths[2].allow == (kAccessFsWriteFile | kAccessFsExecute));
    CHECK(p.landlock.globs[0].pattern == "/tmp/nono-ab12/*.sock");
    CHECK(p.landlock.globs[1].pattern == "/.nono-run-tmpdirs/*");
    CHECK(p.landlock.make_directories == std::vector<std::string>{"/.nono-run-tmpdir-not/x", "/tmp/nono-ab12/cache/out"});
    CHECK(p.tmpdir == "/tmp/nono-ab12");
    CompiledPlan sockets;
    sockets.tmpdir = "/.nono-run-tmpdir";
    sockets.landlock.peers.unix_connect = {"/.nono-run-tmpdir/agent.sock", "/run/a.sock"};
    plan::place_private_tmp(sockets, "/tmp/nono-ab12");
    CHECK(sockets.landlock.peers.unix_connect == std::vector<std::string>{"/run/a.sock", "/tmp/nono-ab12/agent.sock"});

    CompiledPlan globbed;
    globbed.landlock.globs = {{std::string(plan::kPlanTmpdir) + "/*", kAccessFsReadFile, 0}};
    CHECK_THROWS_AS(plan::place_private_tmp(globbed, "/tmp/a*b/nono-x"), plan::PlanFileError);
}

TEST_CASE("plan file: load_plan_file refuses what is not a plan file, naming it") {
    const std::string dir = std::filesystem::temp_directory_path() / "nono-plan-file-test";
    std::filesystem::create_directories(dir);
    auto load_error = [](const std::string& path) {
        try {
            runtime::load_plan_file(path);
        } catch (const plan::PlanFileError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(load_error(dir + "/missing.plan") == dir + "/missing.plan: No such file or directory");
    CHECK(load_error(dir) == dir + ": not a regular file");
    std::ofstream(dir + "/text.plan") << "profile x {}\n";
    CHECK(load_error(dir + "/text.plan").find(dir + "/text.plan: not a nono plan file") == 0);
    std::ofstream(dir + "/good.plan", std::ios::binary) << plan::write_plan(rich_plan());
    CHECK(same(runtime::load_plan_file(dir + "/good.plan"), rich_plan()));
    std::filesystem::remove_all(dir);
}
