// The differential test: random profiles decided two ways, by a plain reference
// evaluator that applies the resolved statements literally (no trie, no optimizer), and
// by query.hpp over the lowered and optimized IR. They must never disagree.
#include <doctest/doctest.h>

#include <random>

#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "compiler/query.hpp"
#include "compiler/syscalls.hpp"
#include "core/paths.hpp"

using namespace nono;

namespace {

// ------------------------------------------------------------------- the reference

// Per right: the rules that match the path or one of its ancestors; the deepest match
// decides, deny wins a tie, nothing matching means denied.
bool reference_path(const ResolvedProfile& p, const std::string& path, ir::Right right) {
    std::vector<std::string> parts = ir::split_path(path);
    long best = -1;
    bool denied = false;
    for (const FsFact& f : p.fs) {
        if (!(f.rights & right)) continue;
        std::string rule = canonical_path(f.path);
        std::string prefix;
        for (std::size_t depth = 0; depth <= parts.size(); ++depth) {
            if (depth > 0) prefix += "/" + parts[depth - 1];
            std::string here = prefix.empty() ? "/" : prefix;
            bool matches = is_glob(rule) ? glob_match(rule, here) : rule == here;
            if (!matches) continue;
            long d = static_cast<long>(depth);
            if (d > best) best = d, denied = false;
            if (d == best && f.effect == ir::Effect::Deny) denied = true;
        }
    }
    return best >= 0 && !denied;
}

ir::Action reference_syscall(const ResolvedProfile& p, const std::string& name,
                             const std::array<std::uint64_t, 6>& args) {
    auto holds = [&](const SyscallFact& f) {
        for (const auto& checks : f.alternatives) {
            bool all = true;
            for (const ir::ArgCheck& c : checks) all = all && check_holds(c, args);
            if (all) return true;
        }
        return false;
    };
    // Class by class, in precedence order: the strictest action of the matching facts.
    for (int cls = 0; cls < 4; ++cls) {
        std::optional<ir::Action> found;
        for (const SyscallFact& f : p.syscalls) {
            if (std::find(f.names.begin(), f.names.end(), name) == f.names.end()) continue;
            bool deny = f.effect == ir::Effect::Deny;
            int fact_cls = !f.conditional() ? (deny ? 0 : 3) : (deny ? 1 : 2);
            if (fact_cls != cls || !holds(f)) continue;
            if (!found || stricter(f.action, *found)) found = f.action;
        }
        if (found) return *found;
    }
    ir::Action def{ir::Action::Kind::Allow, 0};
    for (const SyscallDefaultFact& d : p.syscall_defaults)
        if (&d == &p.syscall_defaults.front() || stricter(d.action, def)) def = d.action;
    return def;
}

bool reference_net(const ResolvedProfile& p, ast::NetRule::Kind kind, std::uint16_t port) {
    bool allowed = false;
    for (const NetFact& f : p.net) {
        bool covers = f.kind == kind && (f.ports.empty() || std::any_of(f.ports.begin(), f.ports.end(), [&](auto r) {
                                             return r.first <= port && port <= r.second;
                                         }));
        if (f.effect == ir::Effect::Deny && covers) return false;
        if (f.effect == ir::Effect::Allow && (covers || f.kind == ast::NetRule::Kind::Network)) allowed = true;
    }
    return allowed;
}

// ------------------------------------------------------------------- random profiles

const std::vector<std::string> kComponents = {"a", "b", "c", ".x"};
// socket() is left out: lowering adds its rules from the network
// statements, and tests/unit/network_syscalls_test.cpp covers it.
const std::vector<std::string> kSyscalls = {"read", "write", "ioctl", "open", "kill", "clone", "mmap"};

struct Generator {
    std::mt19937 rng;
    explicit Generator(unsigned seed) : rng(seed) {}

    std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }
    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }

    // A path as a person might write it: with ".", "..", doubled and trailing slashes.
    std::string written_path(bool allow_glob) {
        std::string path;
        std::size_t depth = below(4);
        for (std::size_t i = 0; i < depth; ++i) {
            path += chance(10) ? "//" : "/";
            if (allow_glob && chance(15)) {
                static const char* globs[] = {"*", "**", "?", "*b*", ".*"};
                path += globs[below(5)];
            } else {
                path += kComponents[below(kComponents.size())];
            }
            if (chance(8)) path += "/.";
            if (chance(5)) path += "/" + kComponents[below(kComponents.size())] + "/..";
        }
        if (chance(10)) path += "/";
        return path.empty() ? "/" : path;
    }

    std::string query_path() {
        std::string path;
        for (std::size_t i = 0, depth = below(5); i < depth; ++i) path += "/" + kComponents[below(kComponents.size())];
        return path.empty() ? "/" : path;
    }

    ir::Rights rights() {
        static const ir::Rights choices[] = {ir::kRead, ir::kWrite, ir::kExec, ir::kAllRights, ir::ReadFile,
                                             ir::CreateFile | ir::ReadDir, ir::IoctlDev};
        return choices[below(7)];
    }

    ir::Action action(bool deny) {
        if (!deny) return chance(80) ? ir::Action{ir::Action::Kind::Allow, 0} : ir::Action{ir::Action::Kind::Log, 0};
        switch (below(4)) {
            case 0: return {ir::Action::Kind::KillProcess, 0};
            case 1: return {ir::Action::Kind::Trap, 0};
            default: return {ir::Action::Kind::Errno, static_cast<std::uint16_t>(1 + below(3))};
        }
    }

    ir::ArgCheck check() {
        ir::ArgCheck c;
        c.arg = static_cast<std::uint8_t>(below(3));
        c.op = static_cast<ir::ArgCheck::Op>(below(7));
        c.value = below(4);
        if (c.op == ir::ArgCheck::Op::MaskedEq) c.mask = 1 + below(3);
        return c;
    }

    ResolvedProfile profile(unsigned index) {
        ResolvedProfile p;
        p.name = "random";
        auto origin = [&](const std::string& what) {
            return ir::Origin{{"random.nono", index * 1000 + static_cast<unsigned>(below(999)) + 1, 1}, what};
        };
        for (std::size_t i = 0, n = 1 + below(12); i < n; ++i) {
            bool deny = chance(40);
            p.fs.push_back({deny ? ir::Effect::Deny : ir::Effect::Allow, rights(), written_path(true), origin("fs")});
        }
        if (chance(50)) p.syscall_defaults.push_back({action(chance(50)), origin("default")});
        for (std::size_t i = 0, n = below(8); i < n; ++i) {
            SyscallFact f;
            f.effect = chance(50) ? ir::Effect::Deny : ir::Effect::Allow;
            f.names = {kSyscalls[below(kSyscalls.size())]};
            if (chance(30)) f.names.push_back(kSyscalls[below(kSyscalls.size())]);
            std::sort(f.names.begin(), f.names.end());
            f.names.erase(std::unique(f.names.begin(), f.names.end()), f.names.end());
            std::size_t alternatives = chance(40) ? 0 : 1 + below(3);
            if (alternatives == 0) f.alternatives = {{}};
            for (std::size_t a = 0; a < alternatives; ++a) {
                std::vector<ir::ArgCheck> checks;
                for (std::size_t c = 0, nc = 1 + below(2); c < nc; ++c) checks.push_back(check());
                f.alternatives.push_back(checks);
            }
            f.action = action(f.effect == ir::Effect::Deny);
            f.origin = origin("syscall");
            p.syscalls.push_back(f);
        }
        using Kind = ast::NetRule::Kind;
        for (std::size_t i = 0, n = below(4); i < n; ++i) {
            NetFact f;
            f.effect = chance(30) ? ir::Effect::Deny : ir::Effect::Allow;
            static const Kind kinds[] = {Kind::ConnectTcp, Kind::BindTcp, Kind::Udp, Kind::Network};
            f.kind = kinds[below(f.effect == ir::Effect::Deny ? 3 : 4)];
            if (f.kind == Kind::ConnectTcp || f.kind == Kind::BindTcp) {
                auto first = static_cast<std::uint16_t>(1 + below(10));
                f.ports.push_back({first, static_cast<std::uint16_t>(first + below(5))});
            }
            f.origin = origin("net");
            p.net.push_back(f);
        }
        return p;
    }
};

}  // namespace

TEST_CASE("the optimized IR decides paths exactly as the statements do") {
    std::size_t cases = 0, disagreements = 0;
    for (unsigned seed = 1; seed <= 400; ++seed) {
        Generator gen(seed);
        ResolvedProfile profile = gen.profile(seed);
        const ir::Policy policy = optimize(lower(profile)).policy();
        for (int q = 0; q < 40; ++q) {
            std::string path = gen.query_path();
            for (std::uint32_t bit = 1; bit <= ir::IoctlDev; bit <<= 1) {
                auto right = static_cast<ir::Right>(bit);
                bool expected = reference_path(profile, path, right);
                bool actual = decide_path(policy, path, right).allowed;
                ++cases;
                if (expected != actual) {
                    ++disagreements;
                    if (disagreements <= 3) {
                        std::string statements;
                        for (const FsFact& f : profile.fs)
                            statements += (f.effect == ir::Effect::Deny ? "deny " : "allow ") +
                                          ir::rights_to_string(f.rights) + " " + f.path + "\n";
                        FAIL_CHECK("seed " << seed << ": " << path << " " << ir::right_name(right) << ": expected "
                                           << expected << "\n" << statements);
                    }
                }
            }
        }
    }
    CHECK(cases >= 100000);
    CHECK(disagreements == 0);
}

TEST_CASE("the optimized IR decides syscalls exactly as the statements do") {
    std::size_t cases = 0, disagreements = 0;
    for (unsigned seed = 1; seed <= 400; ++seed) {
        Generator gen(seed * 7919);
        ResolvedProfile profile = gen.profile(seed);
        const OptimizedPolicy policy = optimize(lower(profile));
        for (ir::Arch arch : ir::kAllArches) {
            for (const std::string& name : kSyscalls) {
                std::optional<std::uint32_t> nr = syscall_number(arch, name);
                if (!nr) continue;  // `open` has no number on aarch64
                for (int q = 0; q < 6; ++q) {
                    std::array<std::uint64_t, 6> args{gen.below(4), gen.below(4), gen.below(4), 0, 0, 0};
                    ir::Action expected = reference_syscall(profile, name, args);
                    ir::Action actual = decide_syscall(policy, arch, *nr, args).action;
                    ++cases;
                    if (expected != actual && ++disagreements <= 3)
                        FAIL_CHECK("seed " << seed << " " << ir::arch_name(arch) << " " << name << ": expected "
                                           << ir::action_to_string(expected) << ", got "
                                           << ir::action_to_string(actual));
                }
            }
        }
    }
    CHECK(cases >= 10000);
    CHECK(disagreements == 0);
}

TEST_CASE("the optimized IR decides network access exactly as the statements do") {
    using Kind = ast::NetRule::Kind;
    std::size_t cases = 0, disagreements = 0;
    for (unsigned seed = 1; seed <= 1000; ++seed) {
        Generator gen(seed * 104729);
        ResolvedProfile profile = gen.profile(seed);
        const ir::Policy policy = optimize(lower(profile)).policy();
        for (std::uint16_t port = 1; port <= 16; ++port) {
            cases += 2;
            disagreements += reference_net(profile, Kind::ConnectTcp, port) != decide_connect_tcp(policy, port).allowed;
            disagreements += reference_net(profile, Kind::BindTcp, port) != decide_bind_tcp(policy, port).allowed;
        }
        ++cases;
        disagreements += reference_net(profile, Kind::Udp, 0) != decide_udp(policy).allowed;
    }
    CHECK(cases >= 10000);
    CHECK(disagreements == 0);
}
