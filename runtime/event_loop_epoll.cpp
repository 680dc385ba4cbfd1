// Runtime: the proxy's event loop on epoll (see event_loop.hpp), Linux's: each wake-up
// costs what is ready, not what is watched.
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runtime/event_loop.hpp"
#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

class EpollLoop final : public EventLoop {
public:
    EpollLoop() : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
        if (epoll_ < 0) throw SandboxError(std::string("Failed to start the proxy: epoll: ") + std::strerror(errno), "");
    }
    ~EpollLoop() override { close(epoll_); }

    void add(int fd, void* tag, unsigned interest) override { control(EPOLL_CTL_ADD, fd, tag, interest); }
    void change(int fd, void* tag, unsigned interest) override { control(EPOLL_CTL_MOD, fd, tag, interest); }
    void remove(int fd) override { epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr); }

    bool wait(std::vector<Event>& events) override {
        events.clear();
        epoll_event ready[128];
        const int n = epoll_wait(epoll_, ready, 128, -1);
        if (n < 0) return errno == EINTR;
        for (int i = 0; i < n; ++i) {
            const std::uint32_t r = ready[i].events;
            events.push_back({ready[i].data.ptr, (r & EPOLLIN) != 0, (r & EPOLLOUT) != 0, (r & (EPOLLHUP | EPOLLERR)) != 0});
        }
        return true;
    }

private:
    void control(int op, int fd, void* tag, unsigned interest) {
        epoll_event e{};
        if (interest & kReadable) e.events |= EPOLLIN;
        if (interest & kWritable) e.events |= EPOLLOUT;
        e.data.ptr = tag;
        epoll_ctl(epoll_, op, fd, &e);
    }

    int epoll_;
};

}  // namespace

std::unique_ptr<EventLoop> make_epoll_loop() { return std::make_unique<EpollLoop>(); }

}  // namespace nono::runtime
