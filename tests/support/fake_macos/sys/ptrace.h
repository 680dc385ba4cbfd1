/* macOS's <sys/ptrace.h>, as much as runtime/process_macos.cpp uses; see libproc.h. */
#pragma once
#include <sys/types.h>
#define PT_DENY_ATTACH 31
#ifdef __cplusplus
extern "C" {
#endif
int ptrace(int request, pid_t pid, char* addr, int data);
#ifdef __cplusplus
}
#endif
