// Runtime: this machine's addresses (see loopback.hpp).
#include "runtime/loopback.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace nono::net {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int listen_on_loopback(int flags, int backlog, std::uint16_t& port) {
    const int s = socket(AF_INET, SOCK_STREAM | flags, 0);
    sockaddr_in a = loopback(0);
    socklen_t length = sizeof a;
    if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s, backlog) != 0 ||
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &length) != 0) {
        const int err = errno;
        if (s >= 0) close(s);
        errno = err;
        return -1;
    }
    port = ntohs(a.sin_port);
    return s;
}

std::vector<Address> own_addresses() {
    std::vector<Address> out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return out;
    for (const ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr) continue;
        const std::size_t length = i->ifa_addr->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
        if (auto found = from_sockaddr(i->ifa_addr, length)) out.push_back(found->first);
    }
    freeifaddrs(list);
    return out;
}

}  // namespace nono::net
