#include <doctest/doctest.h>

#include <cerrno>

#include "compiler/lower.hpp"
#include "compiler/syscalls.hpp"
#include "semantics_helpers.hpp"

using namespace nono;
using namespace nono::test;

TEST_CASE("lower canonicalizes paths before they enter the trie") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Allow, ir::kRead, "/usr//lib/./x/../", 1), fs(ir::Effect::Deny, ir::kAllRights, "/..", 2)};
    ir::Policy policy = lower(p);
    const ir::PathNode* lib = ir::find_node(policy.root, "/usr/lib");
    REQUIRE(lib != nullptr);
    CHECK(lib->rules.size() == 1);
    CHECK(lib->children.empty());
    CHECK(policy.root.rules.size() == 1);
}

TEST_CASE("lower keeps globs apart, canonical and sorted") {
    ResolvedProfile p;
    p.fs = {fs(ir::Effect::Deny, ir::kRead, "/home/u/**/.env", 2), fs(ir::Effect::Allow, ir::kRead, "/a//*.txt/", 1)};
    ir::Policy policy = lower(p);
    REQUIRE(policy.globs.size() == 2);
    CHECK(policy.globs[0].pattern == "/a/*.txt");
    CHECK(policy.globs[1].pattern == "/home/u/**/.env");
    CHECK(policy.root.children.empty());
}

TEST_CASE("lower puts a literal path with `*` or `?` in the trie, never among the globs") {
    ResolvedProfile p;
    FsFact literal = fs(ir::Effect::Allow, ir::kRead, "/src/*/a?", 1);
    literal.literal = true;
    p.fs = {literal};
    ir::Policy policy = lower(p);
    CHECK(policy.globs.empty());
    CHECK(ir::find_node(policy.root, "/src/*/a?") != nullptr);
}

TEST_CASE("deny secret: a deny, until an allow names its very path; an allow above it does not") {
    FsFact secret = fs(ir::Effect::Deny, ir::kAllRights, "/home/u/.codex/auth.json", 1);
    secret.secret = true;
    ResolvedProfile other;
    other.fs = {secret, fs(ir::Effect::Allow, ir::kRead | ir::kWrite, "/home/u", 2)};
    ir::Policy kept = lower(other);
    const ir::PathNode* file = ir::find_node(kept.root, "/home/u/.codex/auth.json");
    REQUIRE(file != nullptr);
    REQUIRE(file->rules.size() == 1);
    CHECK(file->rules[0].effect == ir::Effect::Deny);
    CHECK(file->rules[0].rights == ir::kAllRights);

    ResolvedProfile owner = other;
    owner.fs.push_back(fs(ir::Effect::Allow, ir::kRead, "/home/u/.codex//auth.json", 3));  // the same file, spelled otherwise
    ir::Policy reopened = lower(owner);
    file = ir::find_node(reopened.root, "/home/u/.codex/auth.json");
    REQUIRE(file != nullptr);
    REQUIRE(file->rules.size() == 1);
    CHECK(file->rules[0].effect == ir::Effect::Allow);

    // A plain deny of the same path is not re-opened.
    ResolvedProfile plain = owner;
    plain.fs[0].secret = false;
    ir::Policy denied = lower(plain);
    file = ir::find_node(denied.root, "/home/u/.codex/auth.json");
    REQUIRE(file != nullptr);
    CHECK(file->rules.size() == 2);
}

TEST_CASE("syscall precedence: unconditional deny, conditional denies strictest first, allows, default") {
    ResolvedProfile p;
    p.syscall_defaults = {{kEperm, at(1)}};
    ir::ArgCheck tiocsti{1, ir::ArgCheck::Op::Eq, 0x5412, ~0ull};
    ir::ArgCheck zero{0, ir::ArgCheck::Op::Eq, 0, ~0ull};
    p.syscalls = {syscall(ir::Effect::Allow, {"ioctl"}, kAllow, 2),
                  syscall(ir::Effect::Deny, {"ioctl"}, kEperm, 3, {{tiocsti}}),
                  syscall(ir::Effect::Deny, {"ioctl"}, kKill, 4, {{zero}}),
                  syscall(ir::Effect::Allow, {"ptrace"}, kAllow, 5),
                  syscall(ir::Effect::Deny, {"ptrace"}, kKill, 6)};
    ir::Policy policy = lower(p);
    REQUIRE(policy.syscalls.size() == 4);
    const ir::SyscallTable& x86 = policy.syscalls[0];
    CHECK(x86.arch == ir::Arch::X86_64);
    CHECK(x86.default_action == kEperm);
    const ir::SyscallDecision& ioctl = x86.decisions.at(*syscall_number(ir::Arch::X86_64, "ioctl"));
    REQUIRE(ioctl.rules.size() == 2);
    CHECK(ioctl.rules[0].action == kKill);  // strictest first, whatever the written order
    CHECK(ioctl.rules[1].action == kEperm);
    CHECK(ioctl.otherwise == kAllow);
    CHECK(ioctl.origins == std::vector<ir::Origin>{at(2)});
    const ir::SyscallDecision& ptrace = x86.decisions.at(*syscall_number(ir::Arch::X86_64, "ptrace"));
    CHECK(ptrace.rules.empty());
    CHECK(ptrace.otherwise == kKill);
}

TEST_CASE("a conditional rule that ends in the same action as its fallback is dropped") {
    ResolvedProfile p;
    p.syscalls = {syscall(ir::Effect::Allow, {"read"}, kAllow, 1, {{{0, ir::ArgCheck::Op::Eq, 0, ~0ull}}})};
    ir::Policy policy = lower(p);
    const ir::SyscallDecision& read = policy.syscalls[0].decisions.at(0);
    CHECK(read.rules.empty());  // the default is allow already: no argument loads needed
    CHECK(read.otherwise == kAllow);
}

TEST_CASE("a syscall missing on an architecture is absent from that table only") {
    ResolvedProfile p;
    p.syscalls = {syscall(ir::Effect::Deny, {"open"}, kEperm, 1)};
    p.net = {{ir::Effect::Allow, ast::NetRule::Kind::Network, {}, {}}};  // so lowering adds no socket() rules
    ir::Policy policy = lower(p);
    CHECK(policy.syscalls[0].decisions.size() == 1);  // x86_64
    CHECK(policy.syscalls[2].decisions.begin()->first == 0x40000000u + 2);  // x32: biased
    CHECK(policy.syscalls[3].decisions.empty());  // aarch64 has openat only
}

TEST_CASE("network: port ranges are sorted and disjoint — deny wins — allow network with a deny is spelled out") {
    ResolvedProfile p;
    using Kind = ast::NetRule::Kind;
    p.net = {{ir::Effect::Allow, Kind::ConnectTcp, {{443, 443}, {80, 90}}, at(1)},
             {ir::Effect::Allow, Kind::ConnectTcp, {{85, 100}}, at(2)},
             {ir::Effect::Deny, Kind::ConnectTcp, {{88, 88}}, at(3)}};
    ir::Policy policy = lower(p);
    const auto& r = policy.network.tcp_connect;
    REQUIRE(r.size() == 4);
    CHECK((r[0].first == 80 && r[0].last == 87 && r[0].origin == at(1)));
    CHECK((r[1].first == 89 && r[1].last == 90 && r[1].origin == at(1)));
    CHECK((r[2].first == 91 && r[2].last == 100 && r[2].origin == at(2)));
    CHECK((r[3].first == 443 && r[3].last == 443));

    ResolvedProfile all;
    all.net = {{ir::Effect::Allow, Kind::Network, {}, at(1)}, {ir::Effect::Deny, Kind::ConnectTcp, {{25, 25}}, at(2)}};
    ir::Policy spelled = lower(all);
    CHECK_FALSE(spelled.network.all.has_value());
    REQUIRE(spelled.network.tcp_connect.size() == 2);
    CHECK(spelled.network.tcp_connect[0].last == 24);
    CHECK(spelled.network.tcp_connect[1].first == 26);
    CHECK(spelled.network.udp.has_value());
    CHECK(spelled.network.tcp_bind.size() == 1);
}

TEST_CASE("network: the earliest-written allow owns a port, whatever the order of the facts — runs end at 65535") {
    ResolvedProfile p;
    using Kind = ast::NetRule::Kind;
    p.net = {{ir::Effect::Allow, Kind::BindTcp, {{10, 30}, {20, 40}, {65000, 65535}}, at(5)},
             {ir::Effect::Allow, Kind::BindTcp, {{25, 26}, {0, 2}}, at(1)},
             {ir::Effect::Deny, Kind::BindTcp, {{30, 30}, {65535, 65535}}, at(9)},
             {ir::Effect::Allow, Kind::BindTcp, {{5, 1}}, at(0)}};
    const auto& r = lower(p).network.tcp_bind;
    REQUIRE(r.size() == 6);
    CHECK((r[0].first == 1 && r[0].last == 2 && r[0].origin == at(1)));
    CHECK((r[1].first == 10 && r[1].last == 24 && r[1].origin == at(5)));
    CHECK((r[2].first == 25 && r[2].last == 26 && r[2].origin == at(1)));
    CHECK((r[3].first == 27 && r[3].last == 29 && r[3].origin == at(5)));
    CHECK((r[4].first == 31 && r[4].last == 40 && r[4].origin == at(5)));
    CHECK((r[5].first == 65000 && r[5].last == 65534 && r[5].origin == at(5)));
}

TEST_CASE("environment: drop wins over keep") {
    ResolvedProfile p;
    p.env = {{ast::EnvRule::Kind::Keep, {"LD_PRELOAD", "PATH"}, "", at(1)},
             {ast::EnvRule::Kind::Drop, {"LD_PRELOAD"}, "", at(2)}};
    ir::Policy policy = lower(p);
    CHECK(policy.env.keep.count("PATH") == 1);
    CHECK(policy.env.keep.count("LD_PRELOAD") == 0);
    CHECK(policy.env.drop.count("LD_PRELOAD") == 1);
}

TEST_CASE("macOS platform: no syscall tables — mach-lookup deny wins") {
    ResolvedProfile p;
    p.platform = ir::Platform::Macos;
    p.macos = {{ir::Effect::Deny, ast::MacosRule::Kind::MachLookup, {"a"}, at(1)},
               {ir::Effect::Allow, ast::MacosRule::Kind::MachLookup, {"a", "b"}, at(2)}};
    ir::Policy policy = lower(p);
    CHECK(policy.syscalls.empty());
    CHECK(policy.macos.mach_lookup.size() == 1);
    CHECK(policy.macos.mach_lookup.count("b") == 1);
}

TEST_CASE("numbers no syscall has are refused with ENOSYS under default allow, and take a stricter default") {
    const ir::Action enosys{ir::Action::Kind::Errno, ENOSYS};
    ResolvedProfile open;
    for (const ir::SyscallTable& t : lower(open).syscalls) {
        CAPTURE(ir::arch_name(t.arch));
        CHECK(t.default_action == kAllow);
        CHECK(t.unknown_action == enosys);
        CHECK(t.unknown_origin.statement == "built-in: numbers unknown to nono's syscall tables are refused");
    }
    ResolvedProfile strict;
    strict.syscall_defaults = {{kKill, at(1)}};
    const ir::Policy lowered = lower(strict);
    const ir::SyscallTable& x86 = lowered.syscalls.front();
    CHECK(x86.unknown_action == kKill);
    CHECK(x86.unknown_origin == at(1));
}
