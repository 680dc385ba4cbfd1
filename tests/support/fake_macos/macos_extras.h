/* Forced into the macOS build check (tests/CMakeLists.txt, -include), which compiles with
 * glibc's POSIX, X/Open and BSD declarations only (-U_GNU_SOURCE): what macOS declares
 * beyond those, which glibc declares only for _GNU_SOURCE. */
#pragma once
#include <pthread.h>
#include <stddef.h>
#include <time.h>
#ifdef __cplusplus
extern "C" {
#endif
int ptsname_r(int fd, char* buffer, size_t size); /* <stdlib.h>, macOS 10.13.4 */
#define SO_NOSIGPIPE 0x1022 /* <sys/socket.h>: no SIGPIPE on a write to a closed socket */
/* Not macOS's: libstdc++'s own, configured for glibc with _GNU_SOURCE (<mutex> calls them). */
int pthread_cond_clockwait(pthread_cond_t* cond, pthread_mutex_t* mutex, clockid_t clock, const struct timespec* abstime);
int pthread_mutex_clocklock(pthread_mutex_t* mutex, clockid_t clock, const struct timespec* abstime);
#ifdef __cplusplus
}
#endif
