#include "runtime/proxy.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "runtime/loopback.hpp"
#include "runtime/process.hpp"
#include "runtime/refusals.hpp"
#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

constexpr std::size_t kMaxHead = 16 * 1024;     // a request head longer than this is refused
constexpr std::size_t kBuffer = 64 * 1024;      // per direction: read no more while this much waits
constexpr std::size_t kMaxConnections = 4096;   // beyond this, new clients wait in the backlog

std::string base64(std::string_view in) {
    static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16;
        if (i + 1 < in.size()) n |= static_cast<std::uint8_t>(in[i + 1]) << 8;
        if (i + 2 < in.size()) n |= static_cast<std::uint8_t>(in[i + 2]);
        out += kDigits[(n >> 18) & 63];
        out += kDigits[(n >> 12) & 63];
        out += i + 1 < in.size() ? kDigits[(n >> 6) & 63] : '=';
        out += i + 2 < in.size() ? kDigits[n & 63] : '=';
    }
    return out;
}

std::string random_token() {
    unsigned char bytes[16];
    if (getentropy(bytes, sizeof bytes) != 0)
        throw SandboxError(std::string("Failed to make the proxy's token: ") + std::strerror(errno), "");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string token;
    for (unsigned char b : bytes) token += {kHex[b >> 4], kHex[b & 15]};
    return token;
}

// Compares without stopping at the first difference: the time taken says nothing of the token.
bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// "host:port" or "[v6]:port"; the host keeps its brackets.
std::optional<std::pair<std::string, std::uint16_t>> split_authority(std::string_view authority, std::uint16_t default_port) {
    std::string_view host = authority, port_text;
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
        host = authority.substr(0, colon);
        port_text = authority.substr(colon + 1);
    }
    if (host.empty()) return std::nullopt;
    unsigned port = default_port;
    if (!port_text.empty()) {
        port = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9' || port > 65535) return std::nullopt;
            port = port * 10 + static_cast<unsigned>(c - '0');
        }
    }
    if (port == 0 || port > 65535) return std::nullopt;
    return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

// Non-blocking, closed on exec, and for a socket silent when written after its peer left
// (quiet_on_broken_pipe, process.hpp): what every descriptor of the loop must be.
bool prepare(int fd, bool socket) {
    const int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 &&
           (!socket || quiet_on_broken_pipe(fd));
}

// A pipe that makes the loop wake up: written from any thread, drained by the loop.
struct Wakeup {
    int read_end = -1, write_end = -1;
    Wakeup() {
        int ends[2];
        if (pipe(ends) != 0) return;
        read_end = ends[0];
        write_end = ends[1];
        if (!prepare(read_end, false) || !prepare(write_end, false)) {
            close(read_end);
            close(write_end);
            read_end = write_end = -1;
        }
    }
    ~Wakeup() {
        if (read_end >= 0) close(read_end);
        if (write_end >= 0) close(write_end);
    }
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;
    bool ok() const { return read_end >= 0; }
    void notify() const {
        const char one = 1;
        [[maybe_unused]] auto ignored = write(write_end, &one, 1);  // full: a wake-up is pending anyway
    }
    void drain() const {
        char bytes[64];
        while (read(read_end, bytes, sizeof bytes) > 0) {
        }
    }
};

struct Connection;

// What an event of the loop points at.
struct Endpoint {
    enum class Kind { Listener, Lookups, Stop, Client, Upstream };
    Kind kind;
    Connection* connection = nullptr;
};

struct Connection {
    std::uint64_t id = 0;
    int client = -1;
    int upstream = -1;
    enum class Stage { Head, Resolving, Connecting, Relay, Closing } stage = Stage::Head;
    std::string head;         // the request head while it is read
    std::string to_upstream;  // bytes waiting for the upstream (the rewritten request, then the client's)
    std::string to_client;
    bool client_eof = false, upstream_eof = false;
    bool closed = false;
    std::string host;  // as requested
    std::uint16_t port = 0;
    bool tunnel = false;
    bool socks = false;              // SOCKS5 rather than HTTP: errors and the tunnel's start are said in it
    std::size_t socks_answered = 0;  // SOCKS5 messages answered: the greeting, then the password
    std::vector<net::Address> addresses;
    std::size_t next_address = 0;
    Endpoint client_end{Endpoint::Kind::Client, this};
    Endpoint upstream_end{Endpoint::Kind::Upstream, this};
};

// Answers of the lookup threads, which may outlive the proxy: they hold the mailbox.
struct Mailbox {
    std::mutex mutex;
    std::deque<std::pair<std::uint64_t, std::vector<net::Address>>> answers;
    Wakeup wakeup;
};

}  // namespace

struct Proxy::State {
    ProxyConfig config;
    std::string token;
    std::string credential;  // "Basic base64(nono:TOKEN)"
    int listener = -1;
    std::unique_ptr<EventLoop> loop;
    Wakeup stop;
    std::uint16_t port = 0;
    std::thread thread;
    std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
    Endpoint listener_end{Endpoint::Kind::Listener};
    Endpoint lookups_end{Endpoint::Kind::Lookups};
    Endpoint stop_end{Endpoint::Kind::Stop};
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;
    std::uint64_t next_id = 1;
    bool accepting = true;
    Refusals refusals;

    // The events each side waits for, from the buffers: back-pressure is not reading.
    void update(Connection& c) {
        unsigned client_events = 0, upstream_events = 0;
        const bool relaying = c.stage == Connection::Stage::Relay;
        if ((c.stage == Connection::Stage::Head || relaying) && !c.client_eof && c.to_upstream.size() < kBuffer)
            client_events |= EventLoop::kReadable;
        if (!c.to_client.empty()) client_events |= EventLoop::kWritable;
        loop->change(c.client, &c.client_end, client_events);
        if (c.upstream < 0) return;
        if (relaying && !c.upstream_eof && c.to_client.size() < kBuffer) upstream_events |= EventLoop::kReadable;
        if (c.stage == Connection::Stage::Connecting || (relaying && !c.to_upstream.empty()))
            upstream_events |= EventLoop::kWritable;
        loop->change(c.upstream, &c.upstream_end, upstream_events);
    }

    void close_upstream(Connection& c) {
        if (c.upstream < 0) return;
        loop->remove(c.upstream);
        close(c.upstream);
        c.upstream = -1;
    }

    void close_connection(Connection& c) {
        if (c.closed) return;
        c.closed = true;
        loop->remove(c.client);
        close(c.client);
        close_upstream(c);
    }

    // Answers the client with an error and closes once it is sent.
    void reply_error(Connection& c, const std::string& status, const std::string& why) {
        const std::string body = "nono: " + why + "\n";
        if (c.socks)  // "not allowed by ruleset", "host unreachable", or a general failure
            c.to_client += socks_reply(status.starts_with("403") ? 2 : status.starts_with("502") ? 4 : 1);
        else
            c.to_client = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\nConnection: close\r\n" +
                          (status.starts_with("407") ? "Proxy-Authenticate: Basic realm=\"nono\"\r\n" : "") + "\r\n" + body;
        c.stage = Connection::Stage::Closing;
        close_upstream(c);
        update(c);
    }

    void refuse(Connection& c, const std::string& status, const std::string& why) {
        refusals.count(why);
        reply_error(c, status, why);
    }

    std::string peer(const Connection& c) const { return c.host + ":" + std::to_string(c.port); }

    // A request head is complete: check it, and find where it goes.
    void on_head(Connection& c, std::size_t head_end) {
        const std::string_view head(c.head.data(), head_end);
        const std::size_t line_end = head.find("\r\n");
        const std::string_view request_line = head.substr(0, line_end);
        const std::size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
        if (sp1 == std::string_view::npos || sp2 == sp1) return reply_error(c, "400 Bad Request", "not an HTTP request");
        const std::string_view method = request_line.substr(0, sp1);
        const std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
        const std::string_view version = request_line.substr(sp2 + 1);

        std::string forwarded_headers;
        bool authenticated = false;
        for (std::size_t at = line_end + 2; at < head_end;) {
            const std::size_t end = std::min(head.find("\r\n", at), head_end);
            const std::string_view line = head.substr(at, end - at);
            at = end + 2;
            const std::size_t colon = line.find(':');
            const std::string_view name = line.substr(0, colon);
            if (colon != std::string_view::npos && iequals(name, "Proxy-Authorization")) {
                authenticated = authenticated || same_secret(trim(line.substr(colon + 1)), credential);
            } else if (!iequals(name, "Proxy-Connection")) {
                forwarded_headers.append(line).append("\r\n");
            }
        }
        if (!authenticated) return refuse(c, "407 Proxy Authentication Required", "a request without the run's proxy token");

        std::optional<std::pair<std::string, std::uint16_t>> authority;
        std::string path;
        if (method == "CONNECT") {
            c.tunnel = true;
            authority = split_authority(target, 0);
        } else if (target.starts_with("http://")) {
            const std::string_view rest = target.substr(7);
            const std::size_t slash = std::min(rest.find('/'), rest.size());
            authority = split_authority(rest.substr(0, slash), 80);
            path = slash < rest.size() ? std::string(rest.substr(slash)) : "/";
        } else {
            return reply_error(c, "400 Bad Request", "the proxy takes CONNECT and http:// requests in absolute form");
        }
        if (!authority || authority->first.find('@') != std::string::npos)
            return reply_error(c, "400 Bad Request", "no host and port in the request");
        c.host = authority->first;
        c.port = authority->second;
        std::string rest = c.head.substr(head_end + 4);  // bytes the client sent after the head
        c.to_upstream = c.tunnel ? rest
                                 : std::string(method) + " " + path + " " + std::string(version) + "\r\n" + forwarded_headers +
                                       "\r\n" + rest;
        c.head.clear();
        c.head.shrink_to_fit();
        route(c);
    }

    // SOCKS5's reply to a request (RFC 1928, 6): the code, and no bound address.
    static std::string socks_reply(char code) { return {'\x05', code, '\0', '\x01', '\0', '\0', '\0', '\0', '\0', '\0'}; }

    // SOCKS5 (RFC 1928), CONNECT only, authenticated with the run's token as the password of
    // user "nono" (RFC 1929): for programs that speak no HTTP proxy (ssh's ProxyCommand,
    // ncat). The messages are read as they arrive; each is answered once, when whole.
    void on_socks(Connection& c) {
        c.socks = true;
        const std::string& b = c.head;
        auto byte = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
        auto wait_for = [&](std::size_t size) { return b.size() < size; };
        // The greeting: version, the number of methods, the methods.
        if (wait_for(2) || wait_for(2 + byte(1))) return update(c);
        const std::size_t greeting = 2 + byte(1);
        if (c.socks_answered == 0) {
            ++c.socks_answered;
            if (b.find('\x02', 2) >= greeting) {  // no username/password method offered
                c.to_client += "\x05\xff";
                refusals.count("a request without the run's proxy token");
                c.stage = Connection::Stage::Closing;
                return update(c);
            }
            c.to_client += "\x05\x02";
        }
        // The password: version 1, the user's length and name, the password's length and text.
        if (wait_for(greeting + 2) || wait_for(greeting + 3 + byte(greeting + 1)) ||
            wait_for(greeting + 3 + byte(greeting + 1) + byte(greeting + 2 + byte(greeting + 1))))
            return update(c);
        const std::size_t user_length = byte(greeting + 1), password_length = byte(greeting + 2 + user_length);
        const std::size_t request = greeting + 3 + user_length + password_length;
        if (c.socks_answered == 1) {
            ++c.socks_answered;
            if (byte(greeting) != 1 || b.compare(greeting + 2, user_length, "nono") != 0 ||
                !same_secret(std::string_view(b).substr(greeting + 3 + user_length, password_length), token)) {
                c.to_client += "\x01\x01";
                refusals.count("a request without the run's proxy token");
                c.stage = Connection::Stage::Closing;
                return update(c);
            }
            c.to_client += std::string{'\x01', '\0'};  // success
        }
        // The request: version, command, reserved, the address's type, the address, the port.
        if (wait_for(request + 5)) return update(c);
        const unsigned char type = byte(request + 3);
        const std::size_t address_length = type == 1 ? 4 : type == 4 ? 16 : type == 3 ? 1 + byte(request + 4) : 0;
        if (wait_for(request + 4 + address_length + 2)) return update(c);
        if (byte(request) != 5 || byte(request + 1) != 1 || address_length == 0)
            return reply_error(c, "400 Bad Request", "a SOCKS5 request other than CONNECT");
        const std::string_view address = std::string_view(b).substr(request + 4, address_length);
        if (type == 3) {
            c.host = address.substr(1);
        } else {
            net::Address a;
            a.v6 = type == 4;
            std::copy(address.begin(), address.end(), a.bytes.begin());
            c.host = a.v6 ? "[" + net::to_string(a) + "]" : net::to_string(a);
        }
        const std::size_t port_at = request + 4 + address_length;
        c.port = static_cast<std::uint16_t>(byte(port_at) << 8 | byte(port_at + 1));
        c.tunnel = true;
        c.to_upstream = b.substr(port_at + 2);  // bytes the client sent after the request
        c.head.clear();
        c.head.shrink_to_fit();
        route(c);
    }

    // Where a request's host and port go: refused unless the profile lists them, else to the
    // address the profile named, --resolve's, or the name's.
    void route(Connection& c) {
        const bool listed = std::any_of(config.hosts.begin(), config.hosts.end(),
                                        [&](const net::HostRule& r) { return r.allows(c.host, c.port); });
        if (!listed) return refuse(c, "403 Forbidden", peer(c) + ": not allowed by the profile");
        if (const auto literal = net::literal_address(c.host)) {
            c.addresses = {*literal};  // an address the profile named (the rule matched it)
            return connect_next(c);
        }
        std::string name = c.host;
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (auto mapped = config.resolve.find(name); mapped != config.resolve.end())
            return on_addresses(c, mapped->second, true);
        lookup(c, name);
    }

    void lookup(Connection& c, const std::string& name) {
        c.stage = Connection::Stage::Resolving;
        update(c);
        std::thread([mailbox = mailbox, id = c.id, name] {
            addrinfo hints{};
            hints.ai_socktype = SOCK_STREAM;
            addrinfo* found = nullptr;
            std::vector<net::Address> addresses;
            if (getaddrinfo(name.c_str(), nullptr, &hints, &found) == 0) {
                for (addrinfo* a = found; a; a = a->ai_next)
                    if (auto address = net::from_sockaddr(a->ai_addr, a->ai_addrlen)) addresses.push_back(address->first);
                freeaddrinfo(found);
            }
            std::lock_guard lock(mailbox->mutex);
            mailbox->answers.emplace_back(id, std::move(addresses));
            mailbox->wakeup.notify();
        }).detach();
    }

    bool named(const net::Address& a, std::uint16_t port) const {
        return std::any_of(config.hosts.begin(), config.hosts.end(),
                           [&](const net::HostRule& r) { return r.allows(net::to_string(a), port); });
    }

    // Where a name may be reached, of the addresses found for it (`mapped`: by --resolve,
    // else by a lookup). Where the profile does not name them by address, refused: this
    // machine's own addresses other than loopback, whoever gave them (a server bound to
    // 0.0.0.0 answers on each, though it does not look like this machine); and internal
    // ones from a lookup (--resolve's loopback and private addresses are the user's choice
    // for this run: tests, local mirrors).
    void on_addresses(Connection& c, std::vector<net::Address> found, bool mapped) {
        if (found.empty()) return refuse(c, "502 Bad Gateway", peer(c) + ": the name does not resolve");
        const std::vector<net::Address> own = net::own_addresses();
        std::optional<net::Address> own_found;
        std::erase_if(found, [&](const net::Address& a) {
            if (named(a, c.port)) return false;
            const net::Address plain = net::unmapped(a);
            if (!net::is_loopback(plain) && std::find(own.begin(), own.end(), plain) != own.end()) {
                own_found = plain;
                return true;
            }
            return !mapped && net::is_internal(a);
        });
        std::sort(found.begin(), found.end());
        found.erase(std::unique(found.begin(), found.end()), found.end());
        if (found.empty() && own_found)
            return refuse(c, "403 Forbidden",
                          peer(c) + ": resolves to this machine's own address " + net::to_string(*own_found) +
                              ", which the profile does not name");
        if (found.empty())
            return refuse(c, "403 Forbidden", peer(c) + ": resolves only to internal addresses, which the profile does not name");
        c.addresses = std::move(found);
        connect_next(c);
    }

    void connect_next(Connection& c) {
        close_upstream(c);
        while (c.next_address < c.addresses.size()) {
            const net::Address& a = c.addresses[c.next_address++];
            sockaddr_storage storage{};
            socklen_t length = 0;
            if (a.v6) {
                auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
                in6->sin6_family = AF_INET6;
                in6->sin6_port = htons(c.port);
                std::memcpy(&in6->sin6_addr, a.bytes.data(), 16);
                length = sizeof *in6;
            } else {
                auto* in = reinterpret_cast<sockaddr_in*>(&storage);
                in->sin_family = AF_INET;
                in->sin_port = htons(c.port);
                std::memcpy(&in->sin_addr, a.bytes.data(), 4);
                length = sizeof *in;
            }
            const int fd = socket(a.v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
            if (fd < 0) continue;
            if (!prepare(fd, true) ||
                (connect(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 && errno != EINPROGRESS)) {
                close(fd);
                continue;
            }
            c.upstream = fd;
            c.stage = Connection::Stage::Connecting;
            loop->add(fd, &c.upstream_end, EventLoop::kWritable);
            update(c);
            return;
        }
        refuse(c, "502 Bad Gateway", peer(c) + ": no address of it accepted the connection");
    }

    void on_connected(Connection& c) {
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(c.upstream, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) return connect_next(c);
        c.stage = Connection::Stage::Relay;
        if (c.tunnel) c.to_client += c.socks ? socks_reply(0) : "HTTP/1.1 200 Connection established\r\n\r\n";
        update(c);
    }

    // Moves what `from` has into `buffer`; false when the connection is to be closed.
    static bool fill(int from, std::string& buffer, bool& eof) {
        char chunk[16 * 1024];
        const ssize_t n = read(from, chunk, sizeof chunk);
        if (n > 0) buffer.append(chunk, static_cast<std::size_t>(n));
        else if (n == 0) eof = true;
        else if (errno != EAGAIN && errno != EINTR) return false;
        return true;
    }

    static bool drain(int to, std::string& buffer) {
        const ssize_t n = send_quietly(to, buffer.data(), buffer.size());
        if (n > 0) buffer.erase(0, static_cast<std::size_t>(n));
        else if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
        return true;
    }

    void on_client(Connection& c, const EventLoop::Event& e) {
        if (e.writable) {
            if (!drain(c.client, c.to_client)) return close_connection(c);
            if (c.to_client.empty() && c.stage == Connection::Stage::Closing) return close_connection(c);
            if (c.to_client.empty() && c.upstream_eof) shutdown(c.client, SHUT_WR);
        }
        if (e.readable || e.hangup) {
            if (c.stage == Connection::Stage::Head) {
                if (!fill(c.client, c.head, c.client_eof) || c.client_eof) return close_connection(c);
                if (!c.head.empty() && c.head.front() == '\x05') return on_socks(c);
                const std::size_t end = c.head.find("\r\n\r\n");
                if (end != std::string::npos) return on_head(c, end);
                if (c.head.size() > kMaxHead) return reply_error(c, "431 Request Header Fields Too Large", "request head too long");
            } else if (c.stage == Connection::Stage::Relay) {
                if (!fill(c.client, c.to_upstream, c.client_eof)) return close_connection(c);
                if (c.client_eof && c.to_upstream.empty()) shutdown(c.upstream, SHUT_WR);
            } else if (e.hangup) {
                return close_connection(c);
            }
        }
        finish_or_update(c);
    }

    void on_upstream(Connection& c, const EventLoop::Event& e) {
        if (c.stage == Connection::Stage::Connecting) {
            if (e.writable || e.hangup) on_connected(c);
            return;
        }
        if (e.writable) {
            if (!drain(c.upstream, c.to_upstream)) return close_connection(c);
            if (c.to_upstream.empty() && c.client_eof) shutdown(c.upstream, SHUT_WR);
        }
        if (e.readable || e.hangup) {
            if (!fill(c.upstream, c.to_client, c.upstream_eof)) return close_connection(c);
            if (c.upstream_eof && c.to_client.empty()) shutdown(c.client, SHUT_WR);
        }
        finish_or_update(c);
    }

    void finish_or_update(Connection& c) {
        if (c.closed) return;
        if (c.stage == Connection::Stage::Relay && c.client_eof && c.upstream_eof && c.to_client.empty() && c.to_upstream.empty())
            return close_connection(c);
        update(c);
    }

    void accept_clients() {
        while (connections.size() < kMaxConnections) {
            const int fd = accept(listener, nullptr, nullptr);
            if (fd < 0) break;
            if (!prepare(fd, true)) {
                close(fd);
                continue;
            }
            auto c = std::make_unique<Connection>();
            c->id = next_id++;
            c->client = fd;
            loop->add(fd, &c->client_end, EventLoop::kReadable);
            connections.emplace(c->id, std::move(c));
        }
        // At the limit, stop taking clients until one ends (they wait in the backlog).
        const bool accept_more = connections.size() < kMaxConnections;
        if (accept_more != accepting) {
            accepting = accept_more;
            loop->change(listener, &listener_end, accepting ? unsigned{EventLoop::kReadable} : 0u);
        }
    }

    void on_lookups() {
        mailbox->wakeup.drain();
        std::deque<std::pair<std::uint64_t, std::vector<net::Address>>> answers;
        {
            std::lock_guard lock(mailbox->mutex);
            answers.swap(mailbox->answers);
        }
        for (auto& [id, addresses] : answers)
            if (auto it = connections.find(id); it != connections.end() && !it->second->closed)
                on_addresses(*it->second, std::move(addresses), false);
    }

    void run() {
        std::vector<EventLoop::Event> events;
        for (;;) {
            if (!loop->wait(events)) return;
            for (const EventLoop::Event& e : events) {
                auto* end = static_cast<Endpoint*>(e.tag);
                switch (end->kind) {
                    case Endpoint::Kind::Stop: return;
                    case Endpoint::Kind::Listener: accept_clients(); break;
                    case Endpoint::Kind::Lookups: on_lookups(); break;
                    case Endpoint::Kind::Client:
                        if (!end->connection->closed) on_client(*end->connection, e);
                        break;
                    case Endpoint::Kind::Upstream:
                        if (!end->connection->closed) on_upstream(*end->connection, e);
                        break;
                }
            }
            // Freed only now: a later event of the same batch may point at one.
            std::erase_if(connections, [](const auto& entry) { return entry.second->closed; });
            if (!accepting) accept_clients();
        }
    }
};

Proxy::Proxy(ProxyConfig config, std::unique_ptr<EventLoop> loop) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.config = std::move(config);
    s.loop = std::move(loop);
    s.token = random_token();
    s.credential = "Basic " + base64("nono:" + s.token);
    auto fail = [](const char* what) {
        return SandboxError(std::string("Failed to start the proxy: ") + what + ": " + std::strerror(errno), "");
    };
    s.listener = net::listen_on_loopback(0, 1024, s.port);
    if (s.listener < 0 || !prepare(s.listener, true)) throw fail("listen on 127.0.0.1");
    if (!s.stop.ok() || !s.mailbox->wakeup.ok()) throw fail("pipe");
    s.loop->add(s.listener, &s.listener_end, EventLoop::kReadable);
    s.loop->add(s.mailbox->wakeup.read_end, &s.lookups_end, EventLoop::kReadable);
    s.loop->add(s.stop.read_end, &s.stop_end, EventLoop::kReadable);
}

Proxy::~Proxy() {
    State& s = *state_;
    if (s.thread.joinable()) {
        s.stop.notify();
        s.thread.join();
    }
    for (auto& [id, c] : s.connections) s.close_connection(*c);
    if (s.listener >= 0) close(s.listener);
}

std::uint16_t Proxy::port() const { return state_->port; }
std::string Proxy::url() const { return "http://nono:" + state_->token + "@127.0.0.1:" + std::to_string(state_->port); }
std::string Proxy::authorization() const { return state_->credential; }

void Proxy::start() {
    state_->thread = std::thread([s = state_.get()] { s->run(); });
}

std::vector<std::string> Proxy::refusals() const { return state_->refusals.lines(); }

std::vector<std::pair<std::string, std::string>> proxy_environment(const std::string& url, bool loopback_direct,
                                                                   const std::vector<net::HostRule>& direct) {
    // curl reads CIDRs here, other clients skip what they cannot.
    std::string no_proxy = loopback_direct ? "localhost,127.0.0.1,::1" : "";
    for (const net::HostRule& r : direct)
        if (r.host.kind == net::HostPattern::Kind::Network) {
            std::string text = net::to_string(r.host);
            if (text.front() == '[') text = text.substr(1, text.size() - 2);
            no_proxy += (no_proxy.empty() ? "" : ",") + text;
        }
    std::vector<std::pair<std::string, std::string>> env;
    for (const char* name : {"HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"}) {
        std::string lower(name);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
        env.emplace_back(name, url);
        env.emplace_back(lower, url);
    }
    env.emplace_back("NO_PROXY", no_proxy);
    env.emplace_back("no_proxy", no_proxy);
    env.emplace_back("NODE_USE_ENV_PROXY", "1");  // Node 22.21 and 24 read the variables only when told
    return env;
}

}  // namespace nono::runtime
