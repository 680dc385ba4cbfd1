// Definitions for the macOS calls that support/fake_macos declares, so that the macOS build
// check (tests/CMakeLists.txt, nono_macos_build_check) links on Linux. Each fails with
// ENOSYS: the check proves that the macOS files compile and link together, and runs only
// what needs none of these (a dry run).
#include <errno.h>
#include <libproc.h>
#include <sys/event.h>

extern "C" {

int kqueue(void) {
    errno = ENOSYS;
    return -1;
}

int kevent(int, const struct kevent*, int, struct kevent*, int, const struct timespec*) {
    errno = ENOSYS;
    return -1;
}

int proc_listchildpids(pid_t, void*, int) {
    errno = ENOSYS;
    return -1;
}

int proc_pidinfo(int, int, uint64_t, void*, int) {
    errno = ENOSYS;
    return -1;
}

}  // extern "C"
