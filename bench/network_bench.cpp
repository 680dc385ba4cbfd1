// The supervisor's network part under load, on loopback only:
//   - the proxy: N concurrent CONNECT tunnels to a local echo server, each sending BYTES and
//     reading them back, against the same clients connecting directly: connection latency
//     (connect until the first echoed byte), throughput, and the proxy's memory (RSS);
//   - the mediation: the cost of one connect() decided by the supervisor through seccomp
//     user notification, against the same connect() without it (to a loopback listener).
//
//   network_bench [TUNNELS [BYTES [CONNECTS [epoll|poll]]]]   (defaults 200, 1 MiB, 2000, epoll)
//
// The last argument picks the proxy's event loop (runtime/event_loop.hpp): epoll, what nono
// runs on Linux, or poll, what it runs on macOS. One loop per run, so that the peak memory
// is that loop's.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/measure_in_child.hpp"
#include "runtime/loopback.hpp"
#include "runtime/mediate_network.hpp"
#include "plan/net_address.hpp"
#include "runtime/mediation.hpp"
#include "runtime/proxy.hpp"

using namespace nono;
using Clock = std::chrono::steady_clock;

namespace {

double since_us(Clock::time_point t) { return std::chrono::duration<double, std::micro>(Clock::now() - t).count(); }

// The process's peak resident memory so far (VmHWM).
long peak_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

// An echo server on its own thread (epoll); returns its port.
std::uint16_t start_echo() {
    std::uint16_t port = 0;
    const int listener = net::listen_on_loopback(SOCK_CLOEXEC, 1024, port);
    if (listener < 0) {
        std::perror("echo server");
        std::exit(1);
    }
    std::thread([listener] {
        const int ep = epoll_create1(0);
        epoll_event e{EPOLLIN, {.fd = listener}};
        epoll_ctl(ep, EPOLL_CTL_ADD, listener, &e);
        epoll_event events[256];
        char buffer[64 * 1024];
        for (;;) {
            const int n = epoll_wait(ep, events, 256, -1);
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (fd == listener) {
                    const int c = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
                    epoll_event ce{EPOLLIN, {.fd = c}};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                    continue;
                }
                const ssize_t got = read(fd, buffer, sizeof buffer);
                if (got <= 0) {
                    close(fd);
                    continue;
                }
                for (ssize_t sent = 0; sent < got;) {  // blocking: the echo keeps up with one client at a time
                    const ssize_t w = write(fd, buffer + sent, static_cast<std::size_t>(got - sent));
                    if (w <= 0) break;
                    sent += w;
                }
            }
        }
    }).detach();
    return port;
}

// A loopback listener that accepts and closes, on a thread of its own; returns its port.
std::uint16_t start_sink() {
    std::uint16_t port = 0;
    const int listener = net::listen_on_loopback(SOCK_CLOEXEC, 4096, port);
    if (listener < 0) {
        std::perror("sink");
        std::exit(1);
    }
    std::thread([listener] {
        for (;;) {
            const int c = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (c >= 0) close(c);
        }
    }).detach();
    return port;
}

struct Result {
    double first_byte_us = 0;  // from connect() until the first echoed byte
    double total_us = 0;
};

// One client: connect (to the proxy, with CONNECT, or directly), send `bytes`, read them back.
Result client(std::uint16_t port, const std::string& connect_request, std::size_t bytes) {
    Result r;
    const auto start = Clock::now();
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = net::loopback(port);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) std::abort();
    char buffer[64 * 1024];
    if (!connect_request.empty()) {
        if (write(fd, connect_request.data(), connect_request.size()) != static_cast<ssize_t>(connect_request.size())) std::abort();
        std::string reply;
        while (reply.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = read(fd, buffer, sizeof buffer);
            if (n <= 0) std::abort();
            reply.append(buffer, static_cast<std::size_t>(n));
        }
        if (reply.rfind("HTTP/1.1 200", 0) != 0) {
            std::fprintf(stderr, "proxy: %s\n", reply.c_str());
            std::abort();
        }
    }
    static const std::string payload(bytes, 'x');  // shared: the clients' memory stays small
    std::size_t sent = 0, received = 0;
    // Interleaved, so that neither side's buffers fill up.
    while (received < bytes) {
        if (sent < bytes) {
            const ssize_t n = write(fd, payload.data() + sent, std::min<std::size_t>(16 * 1024, bytes - sent));
            if (n > 0) sent += static_cast<std::size_t>(n);
        }
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) std::abort();
        if (received == 0) r.first_byte_us = since_us(start);
        received += static_cast<std::size_t>(n);
    }
    close(fd);
    r.total_us = since_us(start);
    return r;
}

void report(const char* what, std::vector<Result> results, std::size_t bytes, double wall_us) {
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    auto p99 = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, v.size() * 99 / 100)];
    };
    std::vector<double> first, total;
    for (const Result& r : results) {
        first.push_back(r.first_byte_us);
        total.push_back(r.total_us);
    }
    const double mib = static_cast<double>(bytes * results.size()) / (1 << 20);
    std::printf("| %-8s | %9.0f | %9.0f | %9.0f | %10.1f |\n", what, median(first), p99(first), median(total),
                mib / (wall_us / 1e6));
}

std::vector<Result> run_clients(std::size_t n, std::uint16_t port, const std::string& request, std::size_t bytes,
                                double& wall_us) {
    std::vector<Result> results(n);
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (std::size_t i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            while (!go) std::this_thread::yield();
            results[i] = client(port, request, bytes);
        });
    const auto start = Clock::now();
    go = true;
    for (auto& t : threads) t.join();
    wall_us = since_us(start);
    return results;
}

// connect() `count` times to a listening loopback port, in a child; with `mediated`, under
// the mediation filter with a Mediator in this process. Microseconds per connect.
double connect_cost(std::uint16_t port, unsigned count, bool mediated) {
    runtime::MediationRules rules;
    rules.peers.hosts.push_back({std::get<net::HostPattern>(net::parse_host("127.0.0.1")), port, port});
    std::optional<runtime::Mediator> mediator;
    if (mediated) {
        mediator.emplace();
        mediator->mediate_network(rules);
    }
    const auto us = measure_in_child<double>(mediator ? &*mediator : nullptr, [&]() -> std::optional<double> {
        const auto start = Clock::now();
        for (unsigned i = 0; i < count; ++i) {
            const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in a = net::loopback(port);
            if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
                std::perror("connect");
                return std::nullopt;
            }
            close(fd);
        }
        return since_us(start) / count;
    });
    return us.value_or(-1);
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t tunnels = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
    const std::size_t bytes = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1 << 20;
    const unsigned connects = argc > 3 ? static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)) : 2000;
    const std::string loop = argc > 4 ? argv[4] : "epoll";
    if (loop != "epoll" && loop != "poll") {
        std::fprintf(stderr, "network_bench: the loop is epoll or poll, not %s\n", loop.c_str());
        return 2;
    }
    // The mediation first, while no thread holds an epoll set: a forked child holds copies of
    // every descriptor, and an epoll set keeps reporting a descriptor closed while a copy lives.
    const std::uint16_t sink = start_sink();
    std::optional<std::string> unavailable = runtime::mediation_unavailable();
    const double plain = unavailable ? 0 : connect_cost(sink, connects, false);
    const double mediated = unavailable ? 0 : connect_cost(sink, connects, true);

    const std::uint16_t echo = start_echo();

    runtime::ProxyConfig config;
    config.hosts.push_back({std::get<net::HostPattern>(net::parse_host("echo.test")), echo, echo});
    config.resolve["echo.test"] = {*net::parse_address("127.0.0.1")};
    runtime::Proxy proxy(config, loop == "poll" ? runtime::make_poll_loop() : runtime::make_epoll_loop());
    proxy.start();
    const std::string request = "CONNECT echo.test:" + std::to_string(echo) + " HTTP/1.1\r\nHost: echo.test:" +
                                std::to_string(echo) + "\r\nProxy-Authorization: " + proxy.authorization() + "\r\n\r\n";

    std::printf("network_bench: %zu concurrent clients, %zu bytes each way, to a loopback echo server; the proxy on %s\n\n",
                tunnels, bytes, loop.c_str());
    std::printf("| path     | first byte median (us) | first byte p99 (us) | whole median (us) | MiB/s (all) |\n");
    std::printf("|----------|-----------:|----------:|----------:|-----------:|\n");
    double wall = 0;
    auto direct = run_clients(tunnels, echo, "", bytes, wall);
    report("direct", direct, bytes, wall);
    const long peak_direct = peak_kib();  // the clients' and the echo server's own peak
    auto tunnelled = run_clients(tunnels, proxy.port(), request, bytes, wall);
    report("proxy", tunnelled, bytes, wall);
    std::printf("\npeak memory (VmHWM): %ld KiB with the direct clients, %ld KiB with the proxy's %zu tunnels as well "
                "(+%ld KiB: the proxy's share)\n",
                peak_direct, peak_kib(), tunnels, peak_kib() - peak_direct);

    if (unavailable) {
        std::printf("\nmediation: not measured (%s)\n", unavailable->c_str());
        return 0;
    }
    std::printf("\nconnect() to loopback, %u times: %.1f us without mediation, %.1f us mediated (+%.1f us per connect)\n",
                connects, plain, mediated, mediated - plain);
    return 0;
}
