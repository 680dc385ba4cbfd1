// The network pass: socket()/socketpair()/socketcall() rules from ir::Network, checked by
// emitting the filter and running calls through the interpreter.
#include <doctest/doctest.h>

#include <linux/net.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/emitters/seccomp/interpret.hpp"
#include "compiler/lower_network_syscalls.hpp"
#include "compiler/optimize.hpp"
#include "tests/support/seccomp_reference.hpp"

using namespace nono;
using ir::Action;
using ir::Arch;

namespace {

constexpr std::uint32_t kAllowed = SECCOMP_RET_ALLOW;
constexpr std::uint32_t kRefused = SECCOMP_RET_ERRNO | EACCES;

ir::Origin at(unsigned line, std::string statement) { return {{"p.nono", line, 3}, std::move(statement)}; }

// A policy whose syscall tables allow everything (or only what `allowed` names), with the
// network pass applied; returns the program for `arch`.
struct Sandbox {
    ir::Policy policy;
    std::map<Arch, std::vector<sock_filter>> programs;

    explicit Sandbox(ir::Network net, Action by_default = {Action::Kind::Allow, 0}) {
        policy.network = std::move(net);
        for (Arch arch : ir::kAllArches) {
            auto t = testing::make_table(arch, by_default);
            if (by_default.kind != Action::Kind::Allow) testing::allow(t, "socketpair");
            policy.syscalls.push_back(std::move(t));
        }
        add_network_syscall_rules(policy);
        for (const auto& t : policy.syscalls) programs[t.arch] = seccomp::emit_seccomp(t, coalesce_syscall_ranges(t));
    }

    std::uint32_t call(Arch arch, const std::string& name, std::vector<std::uint64_t> args) const {
        const auto& t = *std::find_if(policy.syscalls.begin(), policy.syscalls.end(),
                                      [&](const ir::SyscallTable& table) { return table.arch == arch; });
        seccomp_data d{};
        d.nr = static_cast<int>(testing::number_of(t, name));
        d.arch = ir::audit_arch(arch);
        for (std::size_t i = 0; i < args.size(); ++i) d.args[i] = args[i];
        return seccomp::run_filter(programs.at(arch), d).result;
    }
    std::uint32_t socket(std::uint64_t family, std::uint64_t type, std::uint64_t protocol, Arch arch = Arch::X86_64) const {
        return call(arch, "socket", {family, type, protocol});
    }
};

}  // namespace

TEST_CASE("no network statement: no sockets but AF_UNIX pairs") {
    const Sandbox s{{}};
    for (Arch arch : ir::kAllArches) {
        CAPTURE(ir::arch_name(arch));
        CHECK(s.socket(AF_INET, SOCK_STREAM, 0, arch) == kRefused);
        CHECK(s.socket(AF_UNIX, SOCK_STREAM, 0, arch) == kRefused);
        CHECK(s.socket(AF_NETLINK, SOCK_RAW, 0, arch) == kRefused);
        CHECK(s.call(arch, "socketpair", {AF_UNIX, SOCK_STREAM, 0, 0}) == kAllowed);
        CHECK(s.call(arch, "socketpair", {AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, 0}) == kAllowed);
        CHECK(s.call(arch, "socketpair", {AF_INET, SOCK_STREAM, 0, 0}) == kRefused);
        // A datagram pair could send to any named unix socket (/dev/log).
        CHECK(s.call(arch, "socketpair", {AF_UNIX, SOCK_DGRAM, 0, 0}) == kRefused);
        CHECK(s.call(arch, "socketpair", {AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0}) == kRefused);
        CHECK(s.call(arch, "socketpair", {AF_UNIX, 0xdead00000000 | SOCK_DGRAM, 0, 0}) == kRefused);
        CHECK(s.call(arch, "listen", {3, 1}) == kRefused);
    }
    const auto& table = s.policy.syscalls.front();
    const auto& decision = table.decisions.at(testing::number_of(table, "socket"));
    REQUIRE(decision.origins.size() == 1);
    CHECK(decision.origins[0].statement == "no network statement");
    CHECK(s.call(Arch::I386, "socketcall", {SYS_SOCKET, 0}) == kRefused);
    CHECK(s.call(Arch::I386, "socketcall", {0x100000000 | SYS_SOCKET, 0}) == kRefused);
    CHECK(s.call(Arch::I386, "socketcall", {SYS_CONNECT, 0}) == kAllowed);
    CHECK(s.call(Arch::I386, "socketcall", {SYS_SOCKETPAIR, 0}) == kRefused);
    CHECK(s.call(Arch::I386, "socketcall", {SYS_LISTEN, 0}) == kRefused);
}

TEST_CASE("listen() needs a TCP bind grant or allow unix") {
    ir::Network connect_only;
    connect_only.tcp_connect.push_back({443, 443, at(4, "allow connect tcp 443")});
    CHECK(Sandbox{connect_only}.call(Arch::X86_64, "listen", {3, 1}) == kRefused);
    ir::Network bind = connect_only;
    bind.tcp_bind.push_back({8080, 8080, at(5, "allow bind tcp 8080")});
    CHECK(Sandbox{bind}.call(Arch::X86_64, "listen", {3, 1}) == kAllowed);
    CHECK(Sandbox{bind}.call(Arch::I386, "socketcall", {SYS_LISTEN, 0}) == kAllowed);
    ir::Network unix_sockets;
    unix_sockets.unix_sockets = at(6, "allow unix");
    const Sandbox with_unix{unix_sockets};
    CHECK(with_unix.call(Arch::X86_64, "listen", {3, 1}) == kAllowed);
    CHECK(with_unix.call(Arch::X86_64, "socketpair", {AF_UNIX, SOCK_DGRAM, 0, 0}) == kAllowed);
}

TEST_CASE("TCP ports allow TCP stream sockets only — UDP, ICMP, raw, packet, SCTP and MPTCP stay refused") {
    ir::Network net;
    net.tcp_connect.push_back({443, 443, at(4, "allow connect tcp 443")});
    const Sandbox s{net};
    for (int family : {AF_INET, AF_INET6}) {
        CHECK(s.socket(family, SOCK_STREAM, 0) == kAllowed);
        CHECK(s.socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP) == kAllowed);
        CHECK(s.socket(family, SOCK_STREAM, IPPROTO_MPTCP) == kRefused);
        CHECK(s.socket(family, SOCK_STREAM, IPPROTO_SCTP) == kRefused);
        CHECK(s.socket(family, SOCK_SEQPACKET, 0) == kRefused);
        CHECK(s.socket(family, SOCK_DGRAM, 0) == kRefused);
        CHECK(s.socket(family, SOCK_DGRAM, IPPROTO_ICMP) == kRefused);
        CHECK(s.socket(family, SOCK_RAW, IPPROTO_TCP) == kRefused);
    }
    CHECK(s.socket(AF_PACKET, SOCK_RAW, 0) == kRefused);
    CHECK(s.socket(AF_UNIX, SOCK_STREAM, 0) == kRefused);
    CHECK(s.socket(AF_VSOCK, SOCK_STREAM, 0) == kRefused);
    // The kernel reads these arguments as int: garbage in the high word changes nothing.
    CHECK(s.socket(0xdead00000000 | AF_INET, SOCK_STREAM, 0) == kAllowed);
    CHECK(s.socket(AF_INET, 0xdead00000000 | SOCK_DGRAM, 0) == kRefused);
    const auto& table = s.policy.syscalls.front();
    const auto& decision = table.decisions.at(testing::number_of(table, "socket"));
    CHECK(decision.rules.front().origin.statement == "allow connect tcp 443");
    CHECK(decision.origins.front().statement == "allow connect tcp 443");
}

TEST_CASE("udp and unix are separate grants — allow network lifts every restriction") {
    ir::Network net;
    net.udp = at(5, "allow udp");
    net.unix_sockets = at(6, "allow unix");
    const Sandbox s{net};
    CHECK(s.socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0) == kAllowed);
    CHECK(s.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) == kAllowed);
    CHECK(s.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) == kRefused);
    CHECK(s.socket(AF_INET, SOCK_STREAM, 0) == kRefused);
    CHECK(s.socket(AF_UNIX, SOCK_DGRAM, 0) == kAllowed);
    CHECK(s.socket(AF_UNIX, SOCK_STREAM, 0, Arch::Aarch64) == kAllowed);

    ir::Network all;
    all.all = at(7, "allow network");
    const Sandbox open{all};
    CHECK(open.socket(AF_PACKET, SOCK_RAW, 0) == kAllowed);
    CHECK(open.socket(AF_NETLINK, SOCK_RAW, 0) == kAllowed);
}

TEST_CASE("log lets a call through, so it is narrowed like allow") {
    ir::Network net;
    net.udp = at(5, "allow udp");
    const Sandbox logged{net, {Action::Kind::Log, 0}};
    CHECK(logged.socket(AF_INET, SOCK_DGRAM, 0) == SECCOMP_RET_LOG);
    CHECK(logged.socket(AF_INET, SOCK_STREAM, 0) == kRefused);
    CHECK(logged.socket(AF_PACKET, SOCK_RAW, 0) == kRefused);
}

TEST_CASE("the pass only narrows: a refused socket() stays refused, rule order is kept") {
    ir::Network net;
    net.udp = at(5, "allow udp");
    const Sandbox denied{net, {Action::Kind::Errno, EPERM}};
    CHECK(denied.socket(AF_INET, SOCK_DGRAM, 0) == (SECCOMP_RET_ERRNO | EPERM));
    CHECK(denied.call(Arch::X86_64, "socketpair", {AF_UNIX, SOCK_STREAM, 0, 0}) == kAllowed);

    ir::Policy p;
    p.network = net;
    auto t = testing::make_table(Arch::X86_64, {Action::Kind::Errno, EPERM});
    const auto nr = testing::number_of(t, "socket");
    // The profile: socket(AF_INET6, …) killed, socket(AF_INET, …) allowed, others EPERM.
    const ir::CondRule kill_inet6{{ir::ArgCheck{0, ir::ArgCheck::Op::Eq, AF_INET6, ~0ull}},
                                  {Action::Kind::KillProcess, 0},
                                  at(8, "deny syscall socket if arg0 == AF_INET6 kill")};
    const ir::CondRule allow_inet{{ir::ArgCheck{0, ir::ArgCheck::Op::Eq, AF_INET, ~0ull}},
                                  {Action::Kind::Allow, 0},
                                  at(9, "allow syscall socket if arg0 == AF_INET")};
    t.decisions[nr] = {{kill_inet6, allow_inet}, {Action::Kind::Errno, EPERM}, {}};
    p.syscalls.push_back(t);
    add_network_syscall_rules(p);
    const auto program = seccomp::emit_seccomp(p.syscalls[0], coalesce_syscall_ranges(p.syscalls[0]));
    auto run = [&](std::uint64_t family, std::uint64_t type) {
        seccomp_data d{};
        d.nr = static_cast<int>(nr);
        d.arch = ir::audit_arch(Arch::X86_64);
        d.args[0] = family;
        d.args[1] = type;
        return seccomp::run_filter(program, d).result;
    };
    CHECK(run(AF_INET6, SOCK_DGRAM) == SECCOMP_RET_KILL_PROCESS);
    CHECK(run(AF_INET, SOCK_DGRAM) == kAllowed);
    CHECK(run(AF_INET, SOCK_STREAM) == kRefused);
    CHECK(run(AF_UNIX, SOCK_STREAM) == (SECCOMP_RET_ERRNO | EPERM));
}
