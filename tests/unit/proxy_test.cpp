// The proxy (runtime/proxy.hpp) on each event loop (runtime/event_loop.hpp): epoll, which
// nono runs on Linux, and poll, which it runs on macOS and which is tested here for it.
// Real sockets on loopback: CONNECT tunnels to a local echo server, many at once; a name the
// profile does not list, a request without the run's token, and a name mapped to one of this
// machine's own addresses other than loopback, refused.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/event_loop.hpp"
#include "plan/net_address.hpp"
#include "runtime/loopback.hpp"
#include "runtime/proxy.hpp"

using namespace nono;

namespace {

struct Loop {
    const char* name;
    std::unique_ptr<runtime::EventLoop> (*make)();
};
const Loop kLoops[] = {{"epoll", runtime::make_epoll_loop}, {"poll", runtime::make_poll_loop}};

// An echo server on `address` (127.0.0.1, or 0.0.0.0 for every address of the machine),
// a thread per client; it stops taking clients when destroyed.
struct EchoServer {
    int listener = -1;
    std::uint16_t port = 0;
    std::thread thread;
    explicit EchoServer(in_addr_t address) {
        listener = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a = net::loopback(0);
        a.sin_addr.s_addr = address;
        socklen_t length = sizeof a;
        REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(listen(listener, 512) == 0);
        REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&a), &length) == 0);
        port = ntohs(a.sin_port);
        thread = std::thread([fd = listener] {
            for (int c; (c = accept(fd, nullptr, nullptr)) >= 0;)
                std::thread([c] {
                    char buffer[16 * 1024];
                    for (ssize_t n; (n = read(c, buffer, sizeof buffer)) > 0;)
                        if (write(c, buffer, static_cast<std::size_t>(n)) != n) break;
                    close(c);
                }).detach();
        });
    }
    ~EchoServer() {
        shutdown(listener, SHUT_RDWR);  // accept() returns
        thread.join();
        close(listener);
    }
};

int connect_to(std::uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in a = net::loopback(port);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool send_all(int fd, const std::string& data) {
    for (std::size_t sent = 0; sent < data.size();) {
        const ssize_t n = send(fd, data.data() + sent, data.size() - sent, 0);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

// The proxy's answer to CONNECT host:port: its status line.
std::string connect_through(int fd, const runtime::Proxy& proxy, const std::string& target, bool with_token = true) {
    std::string request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
    if (with_token) request += "Proxy-Authorization: " + proxy.authorization() + "\r\n";
    if (!send_all(fd, request + "\r\n")) return "send failed";
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && read(fd, &c, 1) == 1) head += c;
    return head.substr(0, head.find("\r\n"));
}

// Sends `bytes` through a tunnel and reads them back; whether they came back whole.
bool echoes(int fd, std::size_t bytes, char fill) {
    const std::string data(bytes, fill);
    std::thread writer([&] { send_all(fd, data); });
    std::string back;
    char buffer[16 * 1024];
    while (back.size() < bytes) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        back.append(buffer, static_cast<std::size_t>(n));
    }
    writer.join();
    return back == data;
}

net::HostRule rule(const std::string& host, std::uint16_t port) {
    return {std::get<net::HostPattern>(net::parse_host(host)), port, port};
}

}  // namespace

TEST_CASE("proxy: CONNECT tunnels, many at once, and refusals, on each event loop") {
    EchoServer echo(htonl(INADDR_LOOPBACK));
    for (const Loop& loop : kLoops) {
        const std::string loop_name = loop.name;
        CAPTURE(loop_name);
        runtime::ProxyConfig config;
        config.hosts.push_back(rule("echo.test", echo.port));
        config.resolve["echo.test"] = {*net::parse_address("127.0.0.1")};
        config.resolve["other.test"] = {*net::parse_address("127.0.0.1")};
        runtime::Proxy proxy(config, loop.make());
        proxy.start();
        const std::string target = "echo.test:" + std::to_string(echo.port);

        // 100 tunnels at once, each 256 KiB each way (more than the proxy buffers).
        std::vector<std::thread> clients;
        std::atomic<int> whole{0};
        for (int i = 0; i < 100; ++i)
            clients.emplace_back([&, i] {
                const int fd = connect_to(proxy.port());
                if (fd >= 0 && connect_through(fd, proxy, target) == "HTTP/1.1 200 Connection established" &&
                    echoes(fd, 256 * 1024, static_cast<char>('a' + i % 26)))
                    ++whole;
                if (fd >= 0) close(fd);
            });
        for (std::thread& t : clients) t.join();
        CHECK(whole == 100);

        int fd = connect_to(proxy.port());
        CHECK(connect_through(fd, proxy, "other.test:" + std::to_string(echo.port)) == "HTTP/1.1 403 Forbidden");
        close(fd);
        fd = connect_to(proxy.port());
        CHECK(connect_through(fd, proxy, target, false) == "HTTP/1.1 407 Proxy Authentication Required");
        close(fd);
        const std::vector<std::string> refused = proxy.refusals();
        REQUIRE(refused.size() == 2);
        CHECK(refused[0] == "a request without the run's proxy token");
        CHECK(refused[1] == "other.test:" + std::to_string(echo.port) + ": not allowed by the profile");
    }
}

TEST_CASE("proxy: a name mapped to this machine's own address other than loopback is refused unless named") {
    // Probe: an address of this machine's own that is not loopback, which a server bound to
    // 0.0.0.0 answers on.
    std::optional<net::Address> own;
    for (const net::Address& a : net::own_addresses())
        if (!a.v6 && !net::is_loopback(a)) own = a;
    if (!own) {
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") FAIL("this machine has no IPv4 address but loopback: the refusal cannot be shown");
        MESSAGE("skipped: this machine has no IPv4 address but loopback");
        return;
    }
    const std::string address = net::to_string(*own);
    CAPTURE(address);
    EchoServer everywhere(htonl(INADDR_ANY));
    {  // Without the proxy: the server answers on that address.
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a = net::loopback(everywhere.port);
        std::memcpy(&a.sin_addr, own->bytes.data(), 4);
        REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        CHECK(echoes(fd, 1000, 'x'));
        close(fd);
    }
    for (const Loop& loop : kLoops) {
        const std::string loop_name = loop.name;
        CAPTURE(loop_name);
        for (const bool named : {false, true}) {
            CAPTURE(named);
            runtime::ProxyConfig config;
            config.hosts.push_back(rule("self.test", everywhere.port));
            if (named) config.hosts.push_back(rule(address, everywhere.port));
            config.resolve["self.test"] = {*own};
            runtime::Proxy proxy(config, loop.make());
            proxy.start();
            const int fd = connect_to(proxy.port());
            const std::string status = connect_through(fd, proxy, "self.test:" + std::to_string(everywhere.port));
            if (named) {
                CHECK(status == "HTTP/1.1 200 Connection established");
                CHECK(echoes(fd, 1000, 'y'));
                CHECK(proxy.refusals().empty());
            } else {
                CHECK(status == "HTTP/1.1 403 Forbidden");
                REQUIRE(proxy.refusals().size() == 1);
                CHECK(proxy.refusals()[0] == "self.test:" + std::to_string(everywhere.port) +
                                                 ": resolves to this machine's own address " + address +
                                                 ", which the profile does not name");
            }
            close(fd);
        }
    }
}
