// Runtime: the supervisor's proxy (DESIGN.md, "Network"). The sandbox reaches the hosts a
// profile names by name only through it: HTTP CONNECT (any TCP, TLS untouched) and plain
// HTTP requests in absolute form, on a loopback port, behind a per-run token in the proxy
// URL (Proxy-Authorization: Basic), so no other local program can use it. SOCKS5 CONNECT
// on the same port (told apart by its first byte), the token the password of user "nono":
// socks5h://nono:TOKEN@127.0.0.1:PORT.
//
// It resolves names itself (or takes --resolve's addresses), lets through only the names
// and ports the profile lists, and refuses addresses that are loopback, private,
// link-local (cloud metadata) or otherwise internal unless the profile names them by
// address or --resolve mapped the name for this run.
//
// One thread, one event loop, every connection non-blocking: a tunnel costs two
// descriptors and two buffers, not a thread. Name lookups (getaddrinfo blocks) run on
// short-lived threads that post their answer back to the loop. The loop is the system's
// (event_loop.hpp: epoll on Linux, poll on macOS), written here rather than taken from Asio:
// it is small, the supervisor already speaks poll and descriptors, and nono takes no
// dependency for it. Nothing else here is one system's: the same proxy serves both.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plan/net_address.hpp"
#include "runtime/event_loop.hpp"

namespace nono::runtime {

struct ProxyConfig {
    std::vector<net::HostRule> hosts;                            // the profile's `connect tcp HOST:PORTS`
    std::map<std::string, std::vector<net::Address>> resolve;    // --resolve NAME=ADDR, names in lower case
};

class Proxy {
public:
    // Listens on 127.0.0.1 on a port the kernel picks, served by `loop` (make_epoll_loop or
    // make_poll_loop). Throws SandboxError.
    Proxy(ProxyConfig config, std::unique_ptr<EventLoop> loop);
    ~Proxy();  // stops the loop and closes every connection
    Proxy(const Proxy&) = delete;
    Proxy& operator=(const Proxy&) = delete;

    std::uint16_t port() const;
    // http://nono:TOKEN@127.0.0.1:PORT
    std::string url() const;
    // What a client sends for it: "Basic base64(nono:TOKEN)".
    std::string authorization() const;

    // Starts the loop on its own thread; call it in the process that serves (after fork).
    void start();

    // "api.example.com:25: not allowed by the profile  (3 times)", one line per refused
    // peer and reason, in order; read after the run.
    std::vector<std::string> refusals() const;

    struct State;

private:
    std::unique_ptr<State> state_;
};

// The variables a sandboxed program reads to find the proxy (HTTPS_PROXY, http_proxy, …,
// NO_PROXY, NODE_USE_ENV_PROXY), each name with its value. NO_PROXY lists what the sandbox
// reaches without the proxy: loopback when `loopback_direct`, and the addresses of `direct`'s
// rules. Linux: loopback and the profile's addresses, which the supervisor decides per
// connect. macOS: loopback only under `allow loopback`, and no address, which Seatbelt
// cannot name: the proxy takes them.
std::vector<std::pair<std::string, std::string>> proxy_environment(const std::string& url, bool loopback_direct,
                                                                   const std::vector<net::HostRule>& direct);

}  // namespace nono::runtime
