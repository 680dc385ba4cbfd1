// The plan format: hosts as a profile names them — a domain, `*.domain`, an IPv4 or IPv6
// address, or a CIDR — parsed, printed and matched in one place, so that what `nonoc check`
// accepts, what `nonoc why` answers and what the proxy and the mediation decide cannot
// disagree. Pure: no sockets (the loopback listener is runtime/loopback.hpp).
#pragma once

#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nono::net {

// An IPv4 or IPv6 address; IPv4 keeps its four bytes first.
struct Address {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
    auto operator<=>(const Address&) const = default;
};

std::optional<Address> parse_address(std::string_view text);  // "10.0.0.1", "::1" (no brackets)
std::string to_string(const Address& a);                      // "10.0.0.1", "::1"
// The address of a sockaddr_in/sockaddr_in6 (an IPv4-mapped IPv6 address counts as the
// IPv4 one, as the kernel connects it), with its port; nullopt for other families.
std::optional<std::pair<Address, std::uint16_t>> from_sockaddr(const sockaddr* sa, std::size_t len);

// Addresses no profile reaches by name without naming them as addresses: this machine, the
// site's private networks, the link (cloud metadata), and IPv6 forms that carry one of
// those IPv4 addresses; not documentation ranges (the reasons: net_address.cpp).
bool is_internal(const Address& a);
bool is_loopback(const Address& a);  // 127.0.0.0/8, ::1
// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address the kernel connects it
// to; any other as it is.
Address unmapped(const Address& a);

// `example.com` (that name), `*.example.com` (names below it, not itself), or a network
// (`10.0.0.0/8`, `192.0.2.1` as a /32, `[::1]`, `[fd00::/8]`).
struct HostPattern {
    enum class Kind { Name, Suffix, Network };
    Kind kind = Kind::Name;
    std::string name;  // Name, Suffix: lower case, without the `*.`
    Address network;   // Network
    unsigned prefix = 0;
    auto operator<=>(const HostPattern&) const = default;

    bool matches_name(std::string_view host) const;   // Name, Suffix; a host of any case
    bool contains(const Address& a) const;            // Network
    // `host` as a request names it: an address (`10.0.0.1`, `[::1]`) or a name.
    bool matches(std::string_view host) const;
};

// An address written as a request writes it (`10.0.0.1`, `::1`, `[::1]`), or nullopt for a name.
std::optional<Address> literal_address(std::string_view host);

// `connect tcp HOST:FIRST-LAST`.
struct HostRule {
    HostPattern host;
    std::uint16_t first = 0;
    std::uint16_t last = 0;
    auto operator<=>(const HostRule&) const = default;
    bool allows(std::string_view peer, std::uint16_t port) const {
        return first <= port && port <= last && host.matches(peer);
    }
};
std::string to_string(const HostRule& r);  // "api.example.com:443", "[::1]:8000-8099"

// The peers a profile names (DESIGN.md, "Network"): names go through the supervisor's
// proxy, addresses and loopback are decided by it per call, unix sockets by path.
struct Peers {
    std::vector<HostRule> hosts;
    bool loopback = false;
    std::vector<std::string> unix_connect;  // absolute paths, sorted
    auto operator<=>(const Peers&) const = default;
    bool any() const { return !hosts.empty() || loopback || !unix_connect.empty(); }
};

// The pattern, or why the text is not one (a sentence for a diagnostic).
std::variant<HostPattern, std::string> parse_host(std::string_view text);
// The canonical text, which parse_host reads back: `*.example.com`, `10.0.0.0/8`, `[::1]`.
std::string to_string(const HostPattern& p);

}  // namespace nono::net
