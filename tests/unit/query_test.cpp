#include <doctest/doctest.h>

#include <cerrno>

#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "compiler/query.hpp"
#include "compiler/syscalls.hpp"
#include "semantics_helpers.hpp"

using namespace nono;
using namespace nono::test;

TEST_CASE("decide_path: the most specific rule wins — a glob is as specific as what it matches") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead | ir::kWrite, "/home/u/proj", 1),
            fs(ir::Effect::Deny, ir::kRead, "/home/u/**/.env", 2), fs(ir::Effect::Deny, ir::kAllRights, "/home/u/.ssh", 3),
            fs(ir::Effect::Allow, ir::kRead, "/home/u/.ssh/known_hosts", 4)};
    const ir::Policy policy = optimized(p).policy();

    PathDecision env = decide_path(policy, "/home/u/proj/.env", ir::kRead);
    CHECK_FALSE(env.allowed);
    REQUIRE(env.deciding.size() == 1);
    CHECK(env.deciding[0].glob);
    CHECK(env.deciding[0].rule.origin == at(2));
    REQUIRE(env.overridden.size() == 1);
    CHECK(env.overridden[0].path == "/home/u/proj");

    CHECK(decide_path(policy, "/home/u/proj/.env", ir::kWrite).allowed);
    CHECK(decide_path(policy, "/home/u/proj/src/../x", ir::ReadFile).allowed);
    CHECK(decide_path(policy, "/home/u/.ssh/known_hosts", ir::kRead).allowed);
    CHECK_FALSE(decide_path(policy, "/home/u/.ssh/id_rsa", ir::ReadFile).allowed);
    CHECK_FALSE(decide_path(policy, "/etc/passwd", ir::ReadFile).allowed);
    CHECK(decide_path(policy, "/etc/passwd", ir::ReadFile).deciding.empty());
}

TEST_CASE("decide_path: deny wins a tie between a glob and a path of the same depth") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead, "/a/b", 1), fs(ir::Effect::Deny, ir::kRead, "/a/?", 2)};
    const ir::Policy policy = optimized(p).policy();
    CHECK_FALSE(decide_path(policy, "/a/b", ir::ReadFile).allowed);
    CHECK_FALSE(decide_path(policy, "/a/b/c", ir::ReadFile).allowed);
}

TEST_CASE("decide_syscall: conditions, the default, and foreign architectures") {
    ResolvedProfile p;
    p.syscall_defaults = {{kEperm, at(1)}};
    p.syscalls = {syscall(ir::Effect::Allow, {"ioctl"}, kAllow, 2),
                  syscall(ir::Effect::Deny, {"ioctl"}, kKill, 3, {{{1, ir::ArgCheck::Op::Eq, 0x5412, ~0ull}}})};
    const OptimizedPolicy policy = optimized(p);
    std::uint32_t ioctl = *syscall_number(ir::Arch::X86_64, "ioctl");
    SyscallVerdict sti = decide_syscall(policy, ir::Arch::X86_64, ioctl, {0, 0x5412, 0, 0, 0, 0});
    CHECK(sti.action == kKill);
    CHECK_FALSE(sti.allowed);
    REQUIRE(sti.rule != nullptr);
    CHECK(sti.origins == std::vector<ir::Origin>{at(3)});
    SyscallVerdict other = decide_syscall(policy, ir::Arch::X86_64, ioctl, {0, 1, 0, 0, 0, 0});
    CHECK(other.allowed);
    CHECK(other.origins == std::vector<ir::Origin>{at(2)});
    SyscallVerdict unnamed = decide_syscall(policy, ir::Arch::X86_64, 0, {});
    CHECK(unnamed.action == kEperm);
    CHECK(unnamed.is_default);
    CHECK(decide_syscall(policy, ir::Arch::X86_64, 0xffffffffu, {}).action == kEperm);
}

TEST_CASE("decide_syscall: a number no syscall has takes the unknown-number action, as the filter does") {
    const OptimizedPolicy policy = optimized(ResolvedProfile{});  // syscalls default allow
    const SyscallVerdict newer = decide_syscall(policy, ir::Arch::X86_64, 1000, {});
    CHECK(newer.action == ir::Action{ir::Action::Kind::Errno, ENOSYS});
    CHECK_FALSE(newer.is_default);
    CHECK(decide_syscall(policy, ir::Arch::X86_64, 0, {}).allowed);
}

TEST_CASE("network verdicts name the statement that allows") {
    ResolvedProfile p;
    p.net = {{ir::Effect::Allow, ast::NetRule::Kind::ConnectTcp, {{443, 443}}, at(1)},
             {ir::Effect::Allow, ast::NetRule::Kind::Udp, {}, at(2)}};
    const ir::Policy policy = optimized(p).policy();
    CHECK(decide_connect_tcp(policy, 443).origin == at(1));
    CHECK_FALSE(decide_connect_tcp(policy, 80).allowed);
    CHECK_FALSE(decide_bind_tcp(policy, 443).allowed);
    CHECK(decide_udp(policy).allowed);
    CHECK_FALSE(decide_unix(policy).allowed);
}
