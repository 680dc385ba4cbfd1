/* macOS's <libproc.h>, as much as runtime/process_macos.cpp uses, declared as Apple does:
 * so that the file compiles on Linux (tests/CMakeLists.txt, nono_macos_compile_check). */
#pragma once
#include <sys/types.h>
#ifdef __cplusplus
extern "C" {
#endif
int proc_listchildpids(pid_t ppid, void* buffer, int buffersize);
#ifdef __cplusplus
}
#endif
