#include <doctest/doctest.h>

#include <cerrno>
#include <sstream>
#include <stdexcept>

#include "compiler/compile.hpp"
#include "compiler/dump_ir.hpp"
#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "compiler/query.hpp"
#include "compiler/syscalls.hpp"
#include "grammar/parse.hpp"
#include "semantics_helpers.hpp"

using namespace nono;
using namespace nono::test;

namespace {

// The effective rights of the trie's node at `path` and of its parent, walking down from
// the root as every reader does.
std::pair<ir::Rights, ir::Rights> effective_and_parent(const ir::Policy& policy, const std::string& path) {
    const ir::PathNode* node = &policy.root;
    ir::Rights parent = 0, effective = ir::effective_rights(*node, 0);
    for (const std::string& name : ir::split_path(path)) {
        node = &node->children.at(name);
        parent = effective;
        effective = ir::effective_rights(*node, parent);
    }
    return {effective, parent};
}

ir::Rights effective_at(const ir::Policy& policy, const std::string& path) {
    return effective_and_parent(policy, path).first;
}

bool carve_out_at(const ir::Policy& policy, const std::string& path) {
    const auto [effective, parent] = effective_and_parent(policy, path);
    return ir::is_carve_out(parent, effective);
}

}  // namespace

TEST_CASE("effective rights: inherited, overridden per right, deny wins a tie") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead | ir::kWrite, "/w", 1), fs(ir::Effect::Deny, ir::kWrite, "/w/.git", 2),
            fs(ir::Effect::Allow, ir::kRead, "/w/t", 3), fs(ir::Effect::Deny, ir::kRead, "/w/t", 4),
            fs(ir::Effect::Allow, ir::kExec, "/w/.git/x/y", 5)};
    const ir::Policy policy = lower(p);
    CHECK(effective_at(policy, "/") == 0);
    CHECK(effective_at(policy, "/w") == (ir::kRead | ir::kWrite));
    CHECK(effective_at(policy, "/w/.git") == ir::kRead);
    CHECK(effective_at(policy, "/w/.git/x") == ir::kRead);
    CHECK(effective_at(policy, "/w/.git/x/y") == (ir::kRead | ir::kExec));
    CHECK(effective_at(policy, "/w/t") == ir::kWrite);
}

TEST_CASE("dropping implied rules leaves every path's effective rights as they were") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead, "/usr", 1), fs(ir::Effect::Allow, ir::kRead, "/usr/lib/x", 2),
            fs(ir::Effect::Allow, ir::kRead | ir::kWrite, "/w", 3), fs(ir::Effect::Allow, ir::kRead, "/w/a", 4),
            fs(ir::Effect::Deny, ir::kWrite, "/w/a/b", 5)};
    const ir::Policy before = lower(p);
    const ir::Policy after = optimized(p).policy();
    REQUIRE(ir::find_node(after.root, "/usr/lib") == nullptr);
    REQUIRE(ir::find_node(after.root, "/w/a")->rules.empty());  // read on /w/a said what /w says
    for (const char* path : {"/", "/usr", "/w", "/w/a", "/w/a/b"}) {
        CAPTURE(path);
        CHECK(effective_at(before, path) == effective_at(after, path));
    }
    CHECK(effective_at(after, "/w/a/b") == ir::kRead);
}

TEST_CASE("implied rules are dropped, unless a glob could outrank the parent there") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead, "/usr", 1), fs(ir::Effect::Allow, ir::kRead, "/usr/lib/x", 2),
            fs(ir::Effect::Allow, ir::kRead, "/home", 3), fs(ir::Effect::Deny, ir::kRead, "/home/*", 4),
            fs(ir::Effect::Allow, ir::kRead, "/home/u/keep", 5)};
    const ir::Policy policy = optimized(p).policy();
    CHECK(ir::find_node(policy.root, "/usr/lib") == nullptr);  // /usr/lib/x said what /usr says
    REQUIRE(ir::find_node(policy.root, "/usr") != nullptr);
    const ir::PathNode* keep = ir::find_node(policy.root, "/home/u/keep");
    REQUIRE(keep != nullptr);  // /home/* denies /home/u: this rule is what allows keep again
    CHECK(keep->rules.size() == 1);
}

TEST_CASE("a deny outside every grant stays: the runtime follows its path to the file it names") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead | ir::kWrite, "/home/u/dotfiles", 1),
            fs(ir::Effect::Deny, ir::kAllRights, "/home/u/.ssh", 2), fs(ir::Effect::Allow, ir::kRead, "/usr", 3),
            fs(ir::Effect::Allow, ir::kRead, "/usr/lib", 4)};
    const ir::Policy policy = optimized(p).policy();
    const ir::PathNode* ssh = ir::find_node(policy.root, "/home/u/.ssh");
    REQUIRE(ssh != nullptr);  // ~/.ssh may be a symlink into ~/dotfiles
    REQUIRE(ssh->rules.size() == 1);
    CHECK(ssh->rules[0].effect == ir::Effect::Deny);
    CHECK(ir::find_node(policy.root, "/usr/lib") == nullptr);  // an implied allow still goes
}

TEST_CASE("carve-outs are the nodes that allow less than their parent") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead, "/home/u", 1), fs(ir::Effect::Deny, ir::kAllRights, "/home/u/.ssh", 2),
            fs(ir::Effect::Allow, ir::kRead, "/home/u/.ssh/known_hosts", 3),
            fs(ir::Effect::Allow, ir::kWrite, "/home/u/w", 4)};
    const ir::Policy policy = optimized(p).policy();
    CHECK(carve_out_at(policy, "/home/u/.ssh"));
    CHECK_FALSE(carve_out_at(policy, "/home/u/.ssh/known_hosts"));
    CHECK_FALSE(carve_out_at(policy, "/home/u/w"));
    CHECK_FALSE(carve_out_at(policy, "/home/u"));
}

TEST_CASE("syscall ranges cover every number exactly once, neighbours merged") {
    ResolvedProfile p;
    p.syscall_defaults = {{kEperm, at(1)}};
    p.syscalls = {syscall(ir::Effect::Allow, {"read", "write", "close"}, kAllow, 2),
                  syscall(ir::Effect::Deny, {"open"}, kKill, 3)};
    const OptimizedPolicy policy = optimized(p);
    for (const ir::SyscallTable& t : policy.policy().syscalls) {
        CAPTURE(ir::arch_name(t.arch));
        REQUIRE(policy.ranges(t.arch) != nullptr);
        const ir::SyscallRanges& ranges = *policy.ranges(t.arch);
        CHECK(ranges.front().first == 0);
        CHECK(ranges.back().last == 0xffffffffu);
        for (std::size_t i = 1; i < ranges.size(); ++i) {
            CHECK(ranges[i].first == ranges[i - 1].last + 1);
            CHECK_FALSE(ranges[i].decision.same_behaviour(ranges[i - 1].decision));
        }
    }
    // x86_64: read, write, open, close are 0..3: allow [0,1], kill [2], allow [3], errno after.
    const ir::SyscallRanges& x86 = *policy.ranges(ir::Arch::X86_64);
    REQUIRE(x86.size() >= 4);
    CHECK((x86[0].first == 0 && x86[0].last == 1 && x86[0].decision.otherwise == kAllow));
    CHECK(x86[1].decision.otherwise == kKill);
    CHECK((x86[3].first == 4 && x86[3].decision.otherwise == kEperm));
    // x32: the same calls sit above the bias; no x32 syscall lies below it (there the
    // unknown-number action, which under a refusing default is that default).
    const ir::SyscallRanges& x32 = *policy.ranges(ir::Arch::X32);
    CHECK((x32[0].first == 0 && x32[0].last == 0x3fffffffu && x32[0].decision.otherwise == kEperm));
    CHECK((x32[1].first == 0x40000000u && x32[1].decision.otherwise == kAllow));
}

TEST_CASE("the optimized policy holds ranges for exactly the tables it was compiled for") {
    ResolvedProfile p;
    p.syscalls = {syscall(ir::Effect::Deny, {"ptrace"}, kEperm, 1)};
    const OptimizedPolicy policy = optimize(lower(p, std::vector<ir::Arch>{ir::Arch::Aarch64}));
    REQUIRE(policy.ranges(ir::Arch::Aarch64) != nullptr);
    CHECK(policy.ranges(ir::Arch::X86_64) == nullptr);
    const std::uint32_t ptrace = *syscall_number(ir::Arch::Aarch64, "ptrace");
    CHECK(find_decision(*policy.ranges(ir::Arch::Aarch64), ptrace).otherwise == kEperm);
}

TEST_CASE("syscall ranges that leave a number out, or do not merge equal neighbours, cannot be made") {
    const ir::SyscallDecision allow{{}, kAllow, {}}, eperm{{}, kEperm, {}};
    CHECK_NOTHROW(ir::SyscallRanges({{0, 9, allow}, {10, 0xffffffffu, eperm}}));
    CHECK_THROWS_AS(ir::SyscallRanges({{0, 9, allow}, {11, 0xffffffffu, eperm}}), std::invalid_argument);  // 10
    CHECK_THROWS_AS(ir::SyscallRanges({{1, 0xffffffffu, allow}}), std::invalid_argument);                   // 0
    CHECK_THROWS_AS(ir::SyscallRanges({{0, 0xfffffffeu, allow}}), std::invalid_argument);                   // -1
    CHECK_THROWS_AS(ir::SyscallRanges({{0, 9, allow}, {10, 0xffffffffu, allow}}), std::invalid_argument);
}

TEST_CASE("numbers no syscall has take the unknown-number action: gaps, above the newest, not -1") {
    const OptimizedPolicy policy = optimized(ResolvedProfile{});
    const ir::SyscallRanges& x86 = *policy.ranges(ir::Arch::X86_64);
    auto action_at = [&](std::uint32_t nr) {
        for (const ir::SyscallRange& r : x86)
            if (r.first <= nr && nr <= r.last) return r.decision.otherwise;
        FAIL("no range holds ", nr);
        return kAllow;
    };
    const ir::Action enosys{ir::Action::Kind::Errno, ENOSYS};
    CHECK(action_at(*syscall_number(ir::Arch::X86_64, "file_setattr")) == kAllow);
    CHECK(action_at(470) == enosys);
    CHECK(action_at(1000) == enosys);
    CHECK(action_at(400) == enosys);  // the gap x86_64 keeps between 336 and 424
    CHECK(action_at(0xfffffffe) == enosys);
    CHECK(action_at(0xffffffff) == kAllow);  // a tracer's skipped call keeps the default
}

TEST_CASE("the passes in order, and the dump shows each one's work") {
    CHECK(dump_points() == std::vector<std::string>{"lower", "drop-implied", "ranges"});
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead, "/a", 1), fs(ir::Effect::Deny, ir::kRead, "/a/b", 2),
            fs(ir::Effect::Allow, ir::kRead, "/a/c", 3)};
    ir::Policy policy = lower(p, std::vector<ir::Arch>{ir::Arch::X86_64, ir::Arch::Aarch64});
    const std::string lowered = dump_ir(policy);
    // Effective rights and carve-outs are the trie's own, shown from lowering on.
    CHECK(lowered.find("/a  effective: read\n") != std::string::npos);
    CHECK(lowered.find("/a/b  effective: nothing  carve-out") != std::string::npos);
    CHECK(lowered.find("/a/c  effective: read\n") != std::string::npos);
    CHECK(lowered.find("ranges:") == std::string::npos);
    drop_implied_paths(policy);
    const std::string dropped = dump_ir(policy);
    CHECK(dropped.find("/a/c") == std::string::npos);  // it said what /a says; /a/b's deny stays
    CHECK(changed_parts(lowered, dropped) == std::vector<std::string>{"paths"});
    const OptimizedPolicy optimized = coalesce_syscall_ranges(std::move(policy));
    const std::string coalesced = dump_ir(optimized);
    CHECK(coalesced.find("ranges:") != std::string::npos);
    CHECK(changed_parts(dropped, coalesced) ==
          std::vector<std::string>{"syscalls x86_64 ranges", "syscalls aarch64 ranges"});
    CHECK(changed_parts("paths:\n  /\nglobs:\n", "paths:\n  /\n") == std::vector<std::string>{"globs"});
}

TEST_CASE("--dump-ir=after:PASS prints the IR after that pass, headed by what it changed") {
    const std::string text = "profile p {\n  allow read /a\n  allow read /a/c\n  deny read /a/b\n}\n";
    auto compile_dumping = [&](const std::string& after, std::string& errors) {
        SourceMap sources;
        Diagnostics diags;
        const FileLoader load = [&](const std::string& path) -> std::optional<ast::File> {
            if (path != "p.nono") return std::nullopt;
            sources.add(path, text);
            return parse_nono(text, path, diags);
        };
        CompileOptions options;
        options.arches = {ir::Arch::X86_64};
        options.dump_ir_after = after;
        std::ostringstream dump;
        options.dump_ir_to = &dump;
        const bool compiled = compile_file("p.nono", options, load, sources, diags).has_value();
        std::ostringstream rendered;
        diags.render(rendered, sources, false);
        errors = rendered.str();
        return compiled ? dump.str() : std::string();
    };
    std::string errors;
    const std::string lowered = compile_dumping("lower", errors);
    CHECK(lowered.starts_with("# IR after lower\npolicy p (linux)\n"));
    CHECK(lowered.find("/a/c  effective: read") != std::string::npos);
    CHECK(compile_dumping("drop-implied", errors).starts_with("# IR after drop-implied (changed: paths)\n"));
    const std::string coalesced = compile_dumping("ranges", errors);
    CHECK(coalesced.starts_with("# IR after ranges (changed: syscalls x86_64 ranges)\n"));
    CHECK(coalesced.find("/a/b  effective: nothing  carve-out") != std::string::npos);
    CHECK(compile_dumping("effective", errors).empty());  // computed where read: no pass of its own
    CHECK(errors.find("unknown pass `effective`") != std::string::npos);
    CHECK(errors.find("passes: lower, drop-implied, ranges") != std::string::npos);
}
