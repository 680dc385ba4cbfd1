/* macOS's <sys/event.h> (kqueue), as much as runtime/process_macos.cpp uses; see libproc.h. */
#pragma once
#include <stdint.h>
#include <time.h>
struct kevent {
    uintptr_t ident;
    int16_t filter;
    uint16_t flags;
    uint32_t fflags;
    intptr_t data;
    void* udata;
};
#define EVFILT_SIGNAL (-6)
#define EV_ADD 0x0001
#define EV_SET(kevp, a, b, c, d, e, f) \
    do {                                \
        struct kevent* kevp_ = (kevp);  \
        kevp_->ident = (a);             \
        kevp_->filter = (b);            \
        kevp_->flags = (c);             \
        kevp_->fflags = (d);            \
        kevp_->data = (e);              \
        kevp_->udata = (f);             \
    } while (0)
#ifdef __cplusplus
extern "C" {
#endif
int kqueue(void);
int kevent(int kq, const struct kevent* changelist, int nchanges, struct kevent* eventlist, int nevents,
           const struct timespec* timeout);
#ifdef __cplusplus
}
#endif
