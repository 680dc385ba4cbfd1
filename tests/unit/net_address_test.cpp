// Units for hosts as profiles name them (plan/net_address.hpp), the supervisor's
// decisions on addresses (runtime/mediate_network.hpp) and its filter, which must leave
// every syscall it does not mediate to the kernel's constant-action cache.
#include <doctest/doctest.h>

#include <linux/audit.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <cerrno>
#include <set>

#include "compiler/emitters/seccomp/interpret.hpp"
#include "compiler/syscalls.hpp"
#include "runtime/mediate_network.hpp"
#include "plan/net_address.hpp"

using namespace nono;

namespace {

net::HostPattern host(const char* text) {
    const auto parsed = net::parse_host(text);
    REQUIRE(std::holds_alternative<net::HostPattern>(parsed));
    return std::get<net::HostPattern>(parsed);
}

std::string problem(const char* text) {
    const auto parsed = net::parse_host(text);
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

net::Address address(const char* text) { return *net::parse_address(text); }

}  // namespace

TEST_CASE("hosts: names, *.names, addresses and CIDRs print back canonically") {
    for (auto [written, canonical] : std::initializer_list<std::pair<const char*, const char*>>{
             {"API.Example.com", "api.example.com"},
             {"example.com.", "example.com"},
             {"*.GitHubUserContent.com", "*.githubusercontent.com"},
             {"10.1.2.0/24", "10.1.2.0/24"},
             {"192.0.2.7", "192.0.2.7"},
             {"192.0.2.7/32", "192.0.2.7"},
             {"[::1]", "[::1]"},
             {"[FD00::/8]", "[fd00::/8]"},
             {"localhost", "localhost"}}) {
        INFO(written);
        CHECK(net::to_string(host(written)) == canonical);
        CHECK(net::to_string(host(canonical)) == canonical);
    }
}

TEST_CASE("hosts: what is not a host, and why") {
    CHECK(problem("bad..example.com") == "empty label in host name `bad..example.com`");
    CHECK(problem("exa_mple.com") == "`_` cannot appear in a host name");
    CHECK(problem("a.*.example.com") == "`*` may only stand first, as a whole label: `*.example.com`");
    CHECK(problem("*") == "`*` may only stand first, as a whole label: `*.example.com`");
    CHECK(problem("-x.com") == "a host name label cannot start or end with `-`");
    CHECK(problem("10.0.0.300") == "`10.0.0.300` is not an IPv4 address");
    CHECK(problem("10.0.0.0/33") == "prefix length 33 is out of range (0-32)");
    CHECK(problem("10.1.2.3/24") == "`10.1.2.3/24` has bits set after the prefix; write `10.1.2.0/24`");
    CHECK(problem("::1") == "write an IPv6 address in brackets: `[::1]`");
    CHECK(problem("[10.0.0.1]") == "only IPv6 addresses go in brackets");
    CHECK(problem("[fd00::/129]") == "prefix length 129 is out of range (0-128)");
    CHECK(problem("example.com/24") == "`example.com` is not an IP address");
    CHECK(problem("[::1") == "expected `]` to end the IPv6 address");
}

TEST_CASE("hosts: a name matches itself in any case; *.name only the names below it") {
    CHECK(host("api.example.com").matches("API.example.com."));
    CHECK_FALSE(host("api.example.com").matches("evil-api.example.com"));
    CHECK(host("*.example.com").matches("a.b.example.com"));
    CHECK_FALSE(host("*.example.com").matches("example.com"));
    CHECK_FALSE(host("*.example.com").matches("evilexample.com"));
    // An address in a request is compared as an address, never as a name.
    CHECK(host("10.1.2.0/24").matches("10.1.2.200"));
    CHECK_FALSE(host("10.1.2.0/24").matches("10.1.3.1"));
    CHECK(host("[::1]").matches("[::1]"));
    CHECK_FALSE(host("[fd00::/8]").matches("10.0.0.1"));
}

TEST_CASE("hosts: internal addresses are this machine, the site, the link (metadata), and IPv6 forms of them") {
    for (const char* a : {"127.0.0.1", "127.9.9.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                          "100.64.0.1", "100.100.100.200", "168.63.129.16", "192.0.0.170", "0.0.0.0", "224.0.0.1",
                          "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fd00:ec2::254", "fec0::1",
                          "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1",
                          "2002:7f00:1::1", "2002:a00:1::"}) {
        INFO(a);
        CHECK(net::is_internal(address(a)));
    }
    // Documentation and benchmarking ranges are not internal (some machines number their
    // own networks from them), nor public addresses in any of their IPv6 forms.
    for (const char* a : {"1.1.1.1", "172.32.0.1", "168.63.129.17", "192.0.2.7", "198.51.100.1", "203.0.113.80", "198.18.0.1",
                          "2001:db8::1", "2606:4700::1111", "::ffff:1.1.1.1", "64:ff9b::101:101", "2002:101:101::1"}) {
        INFO(a);
        CHECK_FALSE(net::is_internal(address(a)));
    }
}

TEST_CASE("mediation: connect and bind as the supervisor decides them") {
    runtime::MediationRules rules;
    rules.tcp_connect = {{22, 22}};
    rules.proxy_port = 40000;
    rules.peers.hosts = {{host("10.1.2.0/24"), 5432, 5432}, {host("api.example.com"), 443, 443}};
    // Port rules hold for every address, as Landlock's.
    CHECK(runtime::decide_inet_connect(rules, address("192.0.2.7"), 22) == 0);
    // The proxy only on 127.0.0.1.
    CHECK(runtime::decide_inet_connect(rules, address("127.0.0.1"), 40000) == 0);
    CHECK(runtime::decide_inet_connect(rules, address("127.0.0.2"), 40000) == EACCES);
    CHECK(runtime::decide_inet_connect(rules, address("192.0.2.7"), 40000) == EACCES);
    // A CIDR on its port; a name never by address.
    CHECK(runtime::decide_inet_connect(rules, address("10.1.2.9"), 5432) == 0);
    CHECK(runtime::decide_inet_connect(rules, address("10.1.2.9"), 5433) == EACCES);
    CHECK(runtime::decide_inet_connect(rules, address("10.1.3.9"), 5432) == EACCES);
    // Loopback only with `allow loopback`, and bind never on every address.
    CHECK(runtime::decide_inet_connect(rules, address("127.0.0.1"), 8080) == EACCES);
    CHECK(runtime::decide_inet_bind(rules, address("127.0.0.1"), 0) == EACCES);
    rules.peers.loopback = true;
    CHECK(runtime::decide_inet_connect(rules, address("127.0.0.1"), 8080) == 0);
    CHECK(runtime::decide_inet_connect(rules, address("::1"), 8080) == 0);
    CHECK(runtime::decide_inet_bind(rules, address("127.0.0.1"), 0) == 0);
    CHECK(runtime::decide_inet_bind(rules, address("0.0.0.0"), 0) == EACCES);
    CHECK(runtime::decide_inet_bind(rules, address("::"), 8080) == EACCES);
    rules.tcp_bind = {{8080, 8080}};
    CHECK(runtime::decide_inet_bind(rules, address("0.0.0.0"), 8080) == 0);
}

TEST_CASE("mediation filter: connect, bind and listen notify; Fast Open sends fail; every other syscall is a constant allow") {
    const std::vector<sock_filter> filter = runtime::mediation_filter({.network = true});
    REQUIRE_FALSE(seccomp::check_program(filter).has_value());
    auto run = [&](std::uint32_t nr, std::uint64_t arg2, std::uint64_t arg3) {
        seccomp_data data{};
        data.arch = AUDIT_ARCH_X86_64;
        data.nr = static_cast<int>(nr);
        data.args[2] = arg2;
        data.args[3] = arg3;
        return seccomp::run_filter(filter, data).result;
    };
    for (long nr : {SYS_connect, SYS_bind, SYS_listen}) {
        CHECK(run(static_cast<std::uint32_t>(nr), 0, 0) == SECCOMP_RET_USER_NOTIF);
        CHECK_FALSE(seccomp::is_const_allow(filter, AUDIT_ARCH_X86_64, static_cast<std::uint32_t>(nr)));
    }
    CHECK(run(SYS_sendto, 0, MSG_FASTOPEN) == (SECCOMP_RET_ERRNO | EOPNOTSUPP));
    CHECK(run(SYS_sendmmsg, 0, MSG_FASTOPEN) == (SECCOMP_RET_ERRNO | EOPNOTSUPP));
    CHECK(run(SYS_sendmsg, MSG_FASTOPEN, 0) == (SECCOMP_RET_ERRNO | EOPNOTSUPP));
    CHECK(run(SYS_sendto, 0, MSG_DONTWAIT) == SECCOMP_RET_ALLOW);
    CHECK(run(SYS_sendmsg, MSG_DONTWAIT, MSG_FASTOPEN) == SECCOMP_RET_ALLOW);  // sendmsg's flags are arg2
    const std::set<long> mediated = {SYS_connect, SYS_bind, SYS_listen, SYS_sendto, SYS_sendmsg, SYS_sendmmsg};
    unsigned constant = 0;
    for (const auto& [nr, name] : syscall_names(ir::Arch::X86_64)) {
        if (mediated.count(static_cast<long>(nr))) continue;
        INFO(name);
        CHECK(seccomp::is_const_allow(filter, AUDIT_ARCH_X86_64, nr));
        ++constant;
    }
    CHECK(constant > 300);
}
