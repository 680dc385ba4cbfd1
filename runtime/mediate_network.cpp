#include "runtime/mediate_network.hpp"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
#include <utility>

#include "runtime/refusals.hpp"
#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

// A descriptor closed at the end of its scope unless handed on.
struct OwnedFd {
    int fd = -1;
    ~OwnedFd() {
        if (fd >= 0) close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

int pidfd_open(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
int pidfd_getfd(int pidfd, int fd) { return static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0)); }

// A pidfd for the process of thread `tid`. A notification names the calling thread, and
// pidfd_open takes only a process: a thread that does not lead its group is refused
// (EINVAL, or ENOENT on newer kernels). A connect from any thread but the main one, as
// Bun's, tokio's and Python's threads make them, needs the process's id, which /proc gives.
int open_process_of(pid_t tid) {
    const int pidfd = pidfd_open(tid);
    if (pidfd >= 0) return pidfd;
    std::ifstream status("/proc/" + std::to_string(tid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("Tgid:")) {
            const pid_t process = static_cast<pid_t>(std::atoi(line.c_str() + 5));
            if (process != tid) return pidfd_open(process);
            break;
        }
    errno = ESRCH;
    return -1;
}

// Whether the socket open at `found` is one of `named` (paths without symlinks, resolved at
// start), each looked up now without following any symlink: a server that made its socket
// again is found, but not a symlink the command put in a named path's place.
bool is_named_socket(int found, const std::vector<std::string>& named) {
    struct stat seen {};
    if (fstat(found, &seen) != 0 || !S_ISSOCK(seen.st_mode)) return false;
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_NO_SYMLINKS;
    return std::any_of(named.begin(), named.end(), [&](const std::string& path) {
        const int fd = static_cast<int>(syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how));
        struct stat st {};
        const bool same = fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == seen.st_dev && st.st_ino == seen.st_ino;
        if (fd >= 0) close(fd);
        return same;
    });
}

// Opens the absolute `path` as thread `tid` finds it: in its mount namespace (where /tmp may
// be the run's own), from its root, absolute symlinks staying inside. O_PATH opens nothing
// of a socket. Magic links (/proc/self/…) would be followed as the supervisor's: refused.
int open_as_seen_by(pid_t tid, const std::string& path) {
    const int root = open(("/proc/" + std::to_string(tid) + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return -1;
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    const int fd = static_cast<int>(syscall(SYS_openat2, root, path.c_str(), &how, sizeof how));
    close(root);
    return fd;
}

bool in_ranges(const std::vector<landlock::PortRange>& ranges, std::uint16_t port) {
    return std::any_of(ranges.begin(), ranges.end(), [&](const landlock::PortRange& r) { return r.first <= port && port <= r.last; });
}

std::string describe_peer(const sockaddr* sa, std::size_t length) {
    if (auto inet = net::from_sockaddr(sa, length)) {
        const std::string host = net::to_string(inet->first);
        return (inet->first.v6 ? "[" + host + "]" : host) + ":" + std::to_string(inet->second);
    }
    return "an address";
}

}  // namespace

int decide_inet_connect(const MediationRules& rules, const net::Address& address, std::uint16_t port) {
    if (in_ranges(rules.tcp_connect, port)) return 0;
    if (rules.proxy_port != 0 && port == rules.proxy_port && address == *net::parse_address("127.0.0.1")) return 0;
    if (rules.peers.loopback && net::is_loopback(address)) return 0;
    const std::string text = net::to_string(address);
    for (const net::HostRule& r : rules.peers.hosts)
        if (r.host.kind == net::HostPattern::Kind::Network && r.allows(text, port)) return 0;
    return EACCES;
}

int decide_inet_bind(const MediationRules& rules, const net::Address& address, std::uint16_t port) {
    if (port != 0 && in_ranges(rules.tcp_bind, port)) return 0;
    if (rules.peers.loopback && net::is_loopback(address)) return 0;
    return EACCES;
}

struct NetworkMediation::State {
    MediationRules rules;
    std::vector<std::string> unix_sockets;  // the named sockets, their symlinks resolved at start
    std::shared_ptr<Listener> listener;
    Refusals refusals;

    void refused(const std::string& what) { refusals.count(what); }

    // Reads the call's address from the command's memory: nullopt if it cannot be read.
    std::optional<std::string> read_address(const seccomp_notif& r) {
        const std::uint64_t length = r.data.args[2] & 0xffffffff;
        if (length > sizeof(sockaddr_storage)) return std::nullopt;
        std::string bytes(length, '\0');
        if (!read_command_memory(static_cast<pid_t>(r.pid), r.data.args[1], bytes.data(), bytes.size())) return std::nullopt;
        return bytes;
    }

    void handle(const seccomp_notif& r) {
        const int pidfd = open_process_of(static_cast<pid_t>(r.pid));
        const int socket_fd = pidfd < 0 ? -1 : pidfd_getfd(pidfd, static_cast<int>(r.data.args[0] & 0xffffffff));
        const int take_error = errno;
        if (pidfd >= 0) close(pidfd);
        if (socket_fd < 0) return listener->reply(r.id, take_error == EBADF ? -EBADF : -ENOTSOCK);
        OwnedFd sock{socket_fd};
        // The calling thread may have died and its id gone to another process since the
        // notification: the descriptor is the caller's only if the notification is still live.
        if (!listener->still_valid(r.id)) return;

        int domain = 0, type = 0;
        socklen_t size = sizeof domain;
        if (getsockopt(sock.fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) != 0) return listener->reply(r.id, -ENOTSOCK);
        size = sizeof type;
        getsockopt(sock.fd, SOL_SOCKET, SO_TYPE, &type, &size);
        const bool inet_stream = (domain == AF_INET || domain == AF_INET6) && type == SOCK_STREAM;
        const bool unix_decided = domain == AF_UNIX && !unix_sockets.empty() && r.data.nr == SYS_connect;

        // listen() is always performed here: continued, it would meet a descriptor that another
        // thread may have swapped for an unbound TCP socket, which listen() binds to every
        // address (Landlock does not see that bind).
        if (r.data.nr == SYS_listen) {
            sockaddr_storage bound{};
            socklen_t length = sizeof bound;
            getsockname(sock.fd, reinterpret_cast<sockaddr*>(&bound), &length);
            const auto inet = net::from_sockaddr(reinterpret_cast<sockaddr*>(&bound), length);
            // An unbound socket would be bound to every address on an ephemeral port.
            const int verdict = !inet_stream                       ? 0
                                : inet && inet->second != 0 ? decide_inet_bind(rules, inet->first, inet->second)
                                                            : EACCES;
            if (verdict) {
                refused("listen on " + describe_peer(reinterpret_cast<sockaddr*>(&bound), length));
                return listener->reply(r.id, -verdict);
            }
            return listener->reply(r.id, listen(sock.fd, static_cast<int>(r.data.args[1] & 0xffffffff)) == 0 ? 0 : -errno);
        }
        // Not decided here (a unix bind, a UDP socket): the kernel and Landlock decide as they
        // would without mediation. Should another thread swap the descriptor for a TCP socket
        // before the call continues, Landlock's port rules still hold for it, and they hold
        // nothing the supervisor decides (the proxy's port included).
        if (!inet_stream && !unix_decided) return listener->let_continue(r.id);

        std::optional<std::string> address = read_address(r);
        if (!listener->still_valid(r.id)) return;  // the process is gone, or its pid is another's
        if (!address) return listener->reply(r.id, -EFAULT);
        auto* sa = reinterpret_cast<sockaddr*>(address->data());
        const std::size_t length = address->size();
        if (length < sizeof(sa_family_t)) return listener->reply(r.id, -EINVAL);

        if (unix_decided) return connect_unix(r, sock, *address);

        const auto inet = net::from_sockaddr(sa, length);
        if (!inet) {
            // connect(AF_UNSPEC) dissolves a connection; a bind needs an address.
            if (r.data.nr == SYS_connect && sa->sa_family == AF_UNSPEC)
                return listener->reply(r.id, connect(sock.fd, sa, static_cast<socklen_t>(length)) == 0 ? 0 : -errno);
            return listener->reply(r.id, -EAFNOSUPPORT);
        }
        if (r.data.nr == SYS_bind) {
            if (const int verdict = decide_inet_bind(rules, inet->first, inet->second)) {
                refused("bind " + describe_peer(sa, length));
                return listener->reply(r.id, -verdict);
            }
            return listener->reply(r.id, bind(sock.fd, sa, static_cast<socklen_t>(length)) == 0 ? 0 : -errno);
        }
        if (const int verdict = decide_inet_connect(rules, inet->first, inet->second)) {
            refused("connect " + describe_peer(sa, length));
            return listener->reply(r.id, -verdict);
        }
        perform_connect(r.id, sock, *address);
    }

    // A non-blocking socket answers at once (EINPROGRESS); a blocking one is connected on
    // a thread of its own, so that one slow peer stalls nothing else. `held`: a descriptor
    // the address names (/proc/self/fd/N), closed once the call is made.
    void perform_connect(std::uint64_t id, OwnedFd& sock, std::string address, int held = -1) {
        const int flags = fcntl(sock.fd, F_GETFL);
        auto attempt = [](int fd, const std::string& a, int held) {
            const int result = connect(fd, reinterpret_cast<const sockaddr*>(a.data()), static_cast<socklen_t>(a.size())) == 0 ? 0 : -errno;
            if (held >= 0) close(held);
            return result;
        };
        if (flags >= 0 && (flags & O_NONBLOCK)) return listener->reply(id, attempt(sock.fd, address, held));
        std::thread([listener = listener, id, fd = sock.release(), address = std::move(address), held, attempt] {
            listener->reply(id, attempt(fd, address, held));
            close(fd);
        }).detach();
    }

    void connect_unix(const seccomp_notif& r, OwnedFd& sock, const std::string& address) {
        sockaddr_un un{};
        std::memcpy(&un, address.data(), std::min(address.size(), sizeof un));
        const std::size_t path_bytes = address.size() - offsetof(sockaddr_un, sun_path);
        const bool abstract = path_bytes > 0 && un.sun_path[0] == '\0';
        if (abstract) {
            // Landlock scopes abstract sockets to the sandbox; performed here, the call would
            // be outside that scope, so only `allow abstract-socket outside` lets it through.
            if (!rules.abstract_outside) {
                refused("connect to an abstract unix socket");
                return listener->reply(r.id, -EPERM);
            }
            return perform_connect(r.id, sock, address);
        }
        const std::string path(un.sun_path, strnlen(un.sun_path, std::min(path_bytes, sizeof un.sun_path)));
        // The socket found as the kernel finds it for the command (relative paths are from its
        // working directory: only an absolute one is looked up), compared by identity with
        // the named sockets, and connected through the descriptor compared: a path renamed or
        // swapped for a symlink after the check changes nothing.
        OwnedFd found{path.starts_with('/') ? open_as_seen_by(static_cast<pid_t>(r.pid), path) : -1};
        if (!listener->still_valid(r.id)) return;  // the thread's id may name another process now
        if (found.fd < 0 || !is_named_socket(found.fd, unix_sockets)) {
            refused("connect to unix socket " + (path.empty() ? std::string("(unnamed)") : path));
            return listener->reply(r.id, -EACCES);
        }
        sockaddr_un target{};
        target.sun_family = AF_UNIX;
        std::snprintf(target.sun_path, sizeof target.sun_path, "/proc/self/fd/%d", found.fd);
        perform_connect(r.id, sock, std::string(reinterpret_cast<const char*>(&target), sizeof target), found.release());
    }
};

NetworkMediation::NetworkMediation(MediationRules rules, std::shared_ptr<Listener> listener)
    : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.rules = std::move(rules);
    s.listener = std::move(listener);
    for (const std::string& path : s.rules.peers.unix_connect) {
        char resolved[PATH_MAX];
        s.unix_sockets.push_back(realpath(path.c_str(), resolved) ? resolved : path);
    }
}

NetworkMediation::~NetworkMediation() = default;

bool NetworkMediation::mediates(int nr) { return nr == SYS_connect || nr == SYS_bind || nr == SYS_listen; }

void NetworkMediation::handle(const seccomp_notif& request) { state_->handle(request); }

std::vector<std::string> NetworkMediation::refusals() const { return state_->refusals.lines(); }

}  // namespace nono::runtime
