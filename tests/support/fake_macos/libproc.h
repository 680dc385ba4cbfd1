/* macOS's <libproc.h>, as much as runtime/process_macos.cpp uses, declared as Apple does:
 * so that the file compiles on Linux (tests/CMakeLists.txt, nono_macos_compile_check). */
#pragma once
#include <stdint.h>
#include <sys/types.h>
/* From <sys/proc_info.h>, which <libproc.h> includes. */
#define PROC_PIDLISTFDS 1
struct proc_fdinfo {
    int32_t proc_fd;
    uint32_t proc_fdtype;
};
#define PROC_PIDLISTFD_SIZE (sizeof(struct proc_fdinfo))
#ifdef __cplusplus
extern "C" {
#endif
int proc_listchildpids(pid_t ppid, void* buffer, int buffersize);
int proc_pidinfo(int pid, int flavor, uint64_t arg, void* buffer, int buffersize);
#ifdef __cplusplus
}
#endif
