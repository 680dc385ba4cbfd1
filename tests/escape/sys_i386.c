/* Escape probe: make a syscall through the i386 ABI (int 0x80) from a 64-bit process: the
 * numbers differ, so a filter that does not check the architecture checks the wrong
 * syscalls. The syscall is i386 socket() for a raw socket (see raw_socket.h). */
#include <signal.h>

#include "probe.h"
#include "raw_socket.h"

enum { I386_SOCKET = 359 };

/* A kernel without the i386 entry (IA32 emulation off at boot, or a hypervisor that does
 * not offer it) has no gate for int 0x80: the instruction faults before any syscall code,
 * seccomp included, runs. That is a refusal by the kernel itself. */
static void no_i386_entry(int sig) {
    (void)sig;
    static const char line[] = "refused ENOSYS: int 0x80 faults, this kernel has no i386 syscall entry\n";
    (void)!write(1, line, sizeof line - 1);
    _exit(PROBE_REFUSED);
}

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "sys_i386");
    signal(SIGSEGV, no_i386_entry);
    long ret;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(I386_SOCKET), "b"(RAW_DOMAIN), "c"(RAW_TYPE), "d"(RAW_PROTOCOL)
                     : "memory", "r8", "r9", "r10", "r11");
    if (ret < 0) refused((int)-ret, "i386 socket() through int 0x80");
    escaped("i386 ABI: socket() returned %ld", ret);
}
