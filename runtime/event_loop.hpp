// Runtime: the proxy's event loop (proxy.hpp) behind one small interface, with two
// implementations: epoll (event_loop_epoll.cpp, Linux's, what nono on Linux runs) and poll
// (event_loop_poll.cpp, POSIX: what nono on macOS runs, and tested on Linux too).
//
// Why poll and not kqueue on macOS: the proxy serves one run's tunnels, hundreds at most
// (two descriptors each); poll's cost is one pass over that array per wake-up, a few
// microseconds beside the bytes each wake-up moves (bench/network_bench measures both
// loops), and poll is the one loop this repository can compile and test on Linux: a kqueue
// loop could only be compiled here against stand-in headers and would first run on a Mac.
#pragma once

#include <memory>
#include <vector>

namespace nono::runtime {

class EventLoop {
public:
    enum Interest : unsigned { kReadable = 1, kWritable = 2 };
    struct Event {
        void* tag = nullptr;
        bool readable = false;
        bool writable = false;
        bool hangup = false;  // the peer hung up, or the descriptor has an error
    };

    virtual ~EventLoop() = default;
    // Watches `fd` for `interest` (kReadable | kWritable, or 0: only hang-ups and errors,
    // which are always reported); its events carry `tag`.
    virtual void add(int fd, void* tag, unsigned interest) = 0;
    virtual void change(int fd, void* tag, unsigned interest) = 0;
    // Before `fd` is closed.
    virtual void remove(int fd) = 0;
    // Waits for events and puts them in `events` (cleared first); false on a failure other
    // than an interruption.
    virtual bool wait(std::vector<Event>& events) = 0;
};

// poll(2): POSIX, on every system.
std::unique_ptr<EventLoop> make_poll_loop();
// epoll(7): Linux only. Throws SandboxError.
std::unique_ptr<EventLoop> make_epoll_loop();

}  // namespace nono::runtime
