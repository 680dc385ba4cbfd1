// The IR verifier (compiler/verify_ir.hpp): it passes what the passes make, and names each
// broken invariant it is shown.
#include <doctest/doctest.h>

#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "compiler/verify_ir.hpp"
#include "semantics_helpers.hpp"

using namespace nono;
using namespace nono::test;

namespace {

ResolvedProfile sample() {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead | ir::kWrite, "/w", 1), fs(ir::Effect::Deny, ir::kWrite, "/w/.git", 2)};
    p.syscall_defaults = {{{ir::Action::Kind::Errno, 1}, at(3)}};
    p.syscalls = {syscall(ir::Effect::Allow, {"read"}, {ir::Action::Kind::Allow, 0}, 4)};
    return p;
}

template <typename Ir>
std::string failure(const Ir& policy, std::string_view after) {
    try {
        verify_ir(policy, after);
    } catch (const InvalidIr& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("verify_ir: the IR after lower and after each pass is valid") {
    ir::Policy policy = lower(sample());
    CHECK(failure(policy, "lower") == "");
    drop_implied_paths(policy);
    CHECK(failure(policy, "drop-implied") == "");
    const OptimizedPolicy optimized = coalesce_syscall_ranges(std::move(policy));
    CHECK(failure(optimized, "ranges") == "");
}

TEST_CASE("verify_ir: each broken invariant is named") {
    const ir::Policy policy = optimize(lower(sample())).policy();

    ir::Policy broken = policy;
    broken.network.tcp_connect = {{443, 443, at(5)}, {80, 8080, at(6)}};
    CHECK(failure(broken, "lower") == "the IR after lower is invalid: connect port ranges are not sorted and disjoint");

    broken = policy;
    broken.globs = {{"/w/./*", {}}};
    CHECK(failure(broken, "lower") == "the IR after lower is invalid: glob `/w/./*` is not a canonical absolute pattern");

    broken = policy;
    broken.syscalls[0].default_action = {ir::Action::Kind::Errno, 5000};
    CHECK(failure(broken, "drop-implied") ==
          "the IR after drop-implied is invalid: errno 5000 on x86_64's default is above 4095");
    // The optimized policy is checked as its IR is.
    CHECK(failure(coalesce_syscall_ranges(broken), "ranges") ==
          "the IR after ranges is invalid: errno 5000 on x86_64's default is above 4095");
}

TEST_CASE("verify_ranges: ranges that disagree with their table's decisions are named") {
    const ir::SyscallTable table = lower(sample()).syscalls[0];
    const ir::SyscallRanges ranges = coalesce_syscall_ranges(table);
    CHECK_NOTHROW(verify_ranges(table, ranges, "ranges"));
    ir::SyscallTable changed = table;  // ranges coalesced before a decision changed
    changed.decisions.begin()->second.otherwise = {ir::Action::Kind::KillProcess, 0};
    CHECK_THROWS_WITH_AS(verify_ranges(changed, ranges, "ranges"),
                         "the IR after ranges is invalid: the x86_64 ranges disagree with the decision for read",
                         InvalidIr);
}

namespace {

std::string rights_failure(const ir::PathNode& before, const ir::PathNode& after) {
    try {
        verify_same_rights(before, after, "drop-implied");
    } catch (const InvalidIr& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("verify_same_rights: a pass that changes what a path is allowed is named, at the first such path") {
    const ir::Policy lowered = lower(sample());
    ir::Policy optimized = lowered;
    drop_implied_paths(optimized);
    CHECK(rights_failure(lowered.root, optimized.root) == "");

    ir::Policy broken = lowered;  // a pass that drops a deny: /w/.git may be written again
    const_cast<ir::PathNode&>(*ir::find_node(broken.root, "/w/.git")).rules.clear();
    CHECK(rights_failure(lowered.root, broken.root) ==
          "the IR after drop-implied is invalid: /w/.git allows read before the pass and read, write after it");

    broken = lowered;  // a pass that removes a node and its deny with it
    const_cast<ir::PathNode&>(*ir::find_node(broken.root, "/w")).children.clear();
    CHECK(rights_failure(lowered.root, broken.root) ==
          "the IR after drop-implied is invalid: /w/.git allows read before the pass and read, write after it");

    broken = lowered;  // a pass that adds a rule on a new path
    ir::add_path_rule(broken, "/w/new", {ir::Effect::Deny, ir::kRead, at(9)});
    CHECK(rights_failure(lowered.root, broken.root) ==
          "the IR after drop-implied is invalid: /w/new allows read, write before the pass and write after it");
}
