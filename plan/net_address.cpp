#include "plan/net_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace nono::net {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether the first `prefix` bits of a and b agree.
bool same_prefix(const Address& a, const Address& b, unsigned prefix) {
    for (unsigned i = 0; i < prefix; ++i) {
        const unsigned mask = 0x80u >> (i % 8);
        if ((a.bytes[i / 8] & mask) != (b.bytes[i / 8] & mask)) return false;
    }
    return true;
}

bool in(const Address& a, std::string_view network, unsigned prefix) {
    return same_prefix(a, *parse_address(network), prefix) && a.v6 == parse_address(network)->v6;
}

// A DNS name: dot-separated labels of letters, digits and `-` (not at either end).
std::optional<std::string> name_problem(std::string_view name) {
    if (name.empty()) return "empty host name";
    if (name.size() > 253) return "host name longer than 253 characters";
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = std::min(name.find('.', start), name.size());
        const std::string_view label = name.substr(start, dot - start);
        if (label.empty()) return "empty label in host name `" + std::string(name) + "`";
        if (label.size() > 63) return "label longer than 63 characters in host name";
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                return "`" + std::string(1, c) + "` cannot appear in a host name";
        if (label.front() == '-' || label.back() == '-') return "a host name label cannot start or end with `-`";
        if (dot == name.size()) break;
        start = dot + 1;
    }
    if (std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }))
        return "`" + std::string(name) + "` is not an IPv4 address";
    return std::nullopt;
}

}  // namespace

std::optional<Address> parse_address(std::string_view text) {
    if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    const std::string s(text);
    Address a;
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
    a.v6 = true;
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
    return std::nullopt;
}

std::string to_string(const Address& a) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), text, sizeof text);
    return text;
}

std::optional<std::pair<Address, std::uint16_t>> from_sockaddr(const sockaddr* sa, std::size_t len) {
    Address a;
    if (len >= sizeof(sockaddr_in) && sa->sa_family == AF_INET) {
        sockaddr_in in;
        std::memcpy(&in, sa, sizeof in);
        std::memcpy(a.bytes.data(), &in.sin_addr, 4);
        return std::pair{a, ntohs(in.sin_port)};
    }
    if (len >= sizeof(sockaddr_in6) && sa->sa_family == AF_INET6) {
        sockaddr_in6 in6;
        std::memcpy(&in6, sa, sizeof in6);
        if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) {
            std::memcpy(a.bytes.data(), in6.sin6_addr.s6_addr + 12, 4);
        } else {
            a.v6 = true;
            std::memcpy(a.bytes.data(), in6.sin6_addr.s6_addr, 16);
        }
        return std::pair{a, ntohs(in6.sin6_port)};
    }
    return std::nullopt;
}

bool is_loopback(const Address& a) { return a.v6 ? in(a, "::1", 128) : in(a, "127.0.0.0", 8); }

Address unmapped(const Address& a) {
    if (!in(a, "::ffff:0:0", 96)) return a;
    Address v4;
    std::copy_n(a.bytes.begin() + 12, 4, v4.bytes.begin());
    return v4;
}

bool is_internal(const Address& a) {
    // Where a network keeps what it does not publish: what a program that may reach only
    // the names its profile lists could still reach, were one of those names to resolve
    // there. This machine (loopback, and "this network" 0.0.0.0/8 and the unspecified
    // address, which Linux connects to itself); the site (private RFC 1918, unique local
    // fc00::/7, the old site-local fec0::/10, carrier-grade NAT 100.64.0.0/10 where
    // providers put services of their own, the IETF's 192.0.0.0/24 of local gateways);
    // the link (169.254.0.0/16 and fe80::/10, where the cloud metadata endpoints answer:
    // 169.254.169.254, AWS's fd00:ec2::254, Alibaba's 100.100.100.200); Azure's WireServer
    // 168.63.129.16, a public address that every Azure VM reaches as its host's; multicast,
    // broadcast and the reserved 240.0.0.0/4, which no server answers on; and the local-use
    // NAT64 prefix 64:ff9b:1::/48. Documentation (192.0.2.0/24, 198.51.100.0/24,
    // 203.0.113.0/24, 2001:db8::/32) and benchmarking (198.18.0.0/15) ranges are not: no
    // network keeps its resources there by design, and machines that number their own
    // networks from them (test networks, this project's CI) would lose every name.
    static constexpr std::pair<std::string_view, unsigned> kInternal[] = {
        {"0.0.0.0", 8},     {"10.0.0.0", 8},     {"100.64.0.0", 10},   {"127.0.0.0", 8}, {"168.63.129.16", 32},
        {"169.254.0.0", 16}, {"172.16.0.0", 12}, {"192.0.0.0", 24},    {"192.168.0.0", 16}, {"224.0.0.0", 3},
        {"::", 128},        {"::1", 128},        {"64:ff9b:1::", 48},  {"fc00::", 7},     {"fec0::", 10},
        {"fe80::", 10},     {"ff00::", 8},
    };
    // IPv6 addresses that carry an IPv4 one reach it: mapped (::ffff:0:0/96), NAT64's
    // well-known prefix (64:ff9b::/96) and 6to4 (2002::/16, the IPv4 address in bits 16-47).
    static constexpr std::pair<std::string_view, unsigned> kCarryIpv4[] = {{"::ffff:0:0", 96}, {"64:ff9b::", 96}, {"2002::", 16}};
    for (const auto& [network, prefix] : kCarryIpv4)
        if (in(a, network, prefix)) {
            Address v4;
            const std::size_t at = prefix == 16 ? 2 : 12;
            std::copy_n(a.bytes.begin() + static_cast<std::ptrdiff_t>(at), 4, v4.bytes.begin());
            return is_internal(v4);
        }
    return std::any_of(std::begin(kInternal), std::end(kInternal), [&](const auto& n) { return in(a, n.first, n.second); });
}

bool HostPattern::matches_name(std::string_view host) const {
    if (kind == Kind::Network) return false;
    std::string h(host);
    std::transform(h.begin(), h.end(), h.begin(), lower);
    if (!h.empty() && h.back() == '.') h.pop_back();  // the root's dot: the same name
    if (kind == Kind::Name) return h == name;
    return h.size() > name.size() + 1 && h.ends_with(name) && h[h.size() - name.size() - 1] == '.';
}

bool HostPattern::contains(const Address& a) const {
    return kind == Kind::Network && a.v6 == network.v6 && same_prefix(a, network, prefix);
}

bool HostPattern::matches(std::string_view host) const {
    const std::optional<Address> a = literal_address(host);
    return a ? contains(*a) : matches_name(host);
}

std::optional<Address> literal_address(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return parse_address(host);
}

std::variant<HostPattern, std::string> parse_host(std::string_view text) {
    HostPattern p;
    const bool bracketed = text.starts_with('[');
    if (bracketed) {
        if (!text.ends_with(']')) return "expected `]` to end the IPv6 address";
        text = text.substr(1, text.size() - 2);
    }
    std::string_view address = text;
    std::optional<unsigned> prefix;
    if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
        address = text.substr(0, slash);
        const std::string_view digits = text.substr(slash + 1);
        unsigned n = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
            return "expected a prefix length after `/`";
        prefix = n;
    }
    if (const auto a = parse_address(address)) {
        if (a->v6 != bracketed)
            return a->v6 ? "write an IPv6 address in brackets: `[" + std::string(text) + "]`"
                         : "only IPv6 addresses go in brackets";
        const unsigned bits = a->v6 ? 128 : 32;
        if (prefix && *prefix > bits)
            return "prefix length " + std::to_string(*prefix) + " is out of range (0-" + std::to_string(bits) + ")";
        p.kind = HostPattern::Kind::Network;
        p.network = *a;
        p.prefix = prefix.value_or(bits);
        Address masked;
        masked.v6 = a->v6;
        for (unsigned i = 0; i < p.prefix; ++i) masked.bytes[i / 8] |= a->bytes[i / 8] & (0x80u >> (i % 8));
        if (masked != *a)
            return "`" + std::string(text) + "` has bits set after the prefix; write `" + to_string(masked) + "/" +
                   std::to_string(p.prefix) + "`";
        return p;
    }
    if (bracketed || prefix) return "`" + std::string(address) + "` is not an IP address";
    std::string name(text);
    std::transform(name.begin(), name.end(), name.begin(), lower);
    if (name.starts_with("*.")) {
        p.kind = HostPattern::Kind::Suffix;
        name.erase(0, 2);
    } else if (name.find('*') != std::string::npos) {
        return "`*` may only stand first, as a whole label: `*.example.com`";
    }
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (auto problem = name_problem(name)) return *problem;
    p.name = std::move(name);
    return p;
}

std::string to_string(const HostPattern& p) {
    switch (p.kind) {
        case HostPattern::Kind::Name: return p.name;
        case HostPattern::Kind::Suffix: return "*." + p.name;
        case HostPattern::Kind::Network: break;
    }
    const unsigned bits = p.network.v6 ? 128 : 32;
    std::string text = to_string(p.network);
    if (p.prefix != bits) text += "/" + std::to_string(p.prefix);
    return p.network.v6 ? "[" + text + "]" : text;
}

std::string to_string(const HostRule& r) {
    std::string text = to_string(r.host) + ":" + std::to_string(r.first);
    if (r.last != r.first) text += "-" + std::to_string(r.last);
    return text;
}

}  // namespace nono::net
