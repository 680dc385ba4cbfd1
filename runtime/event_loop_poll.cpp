// Runtime: the proxy's event loop on poll(2) (see event_loop.hpp). The watched descriptors
// are kept in poll's own array, with each one's place in a map, so that a change is one
// store and a removal moves the last entry into the hole.
#include <poll.h>

#include <cerrno>
#include <unordered_map>

#include "runtime/event_loop.hpp"

namespace nono::runtime {

namespace {

short poll_events(unsigned interest) {
    short events = 0;
    if (interest & EventLoop::kReadable) events |= POLLIN;
    if (interest & EventLoop::kWritable) events |= POLLOUT;
    return events;
}

class PollLoop final : public EventLoop {
public:
    void add(int fd, void* tag, unsigned interest) override {
        place_[fd] = fds_.size();
        fds_.push_back({fd, poll_events(interest), 0});
        tags_.push_back(tag);
    }

    void change(int fd, void* tag, unsigned interest) override {
        const auto it = place_.find(fd);
        if (it == place_.end()) return add(fd, tag, interest);
        fds_[it->second].events = poll_events(interest);
        tags_[it->second] = tag;
    }

    void remove(int fd) override {
        const auto it = place_.find(fd);
        if (it == place_.end()) return;
        const std::size_t hole = it->second;
        place_.erase(it);
        if (hole + 1 != fds_.size()) {
            fds_[hole] = fds_.back();
            tags_[hole] = tags_.back();
            place_[fds_[hole].fd] = hole;
        }
        fds_.pop_back();
        tags_.pop_back();
    }

    bool wait(std::vector<Event>& events) override {
        events.clear();
        if (poll(fds_.data(), static_cast<nfds_t>(fds_.size()), -1) < 0) return errno == EINTR;
        for (std::size_t i = 0; i < fds_.size(); ++i) {
            const short r = fds_[i].revents;
            if (r == 0) continue;
            events.push_back({tags_[i], (r & POLLIN) != 0, (r & POLLOUT) != 0, (r & (POLLHUP | POLLERR | POLLNVAL)) != 0});
        }
        return true;
    }

private:
    std::vector<pollfd> fds_;
    std::vector<void*> tags_;  // beside fds_, which poll takes as it is
    std::unordered_map<int, std::size_t> place_;
};

}  // namespace

std::unique_ptr<EventLoop> make_poll_loop() { return std::make_unique<PollLoop>(); }

}  // namespace nono::runtime
