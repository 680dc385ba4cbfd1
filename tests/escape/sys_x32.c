/* Escape probe: make a syscall through the x32 ABI (number | __X32_SYSCALL_BIT), which a
 * filter comparing only the number would take for another syscall. socket() for a raw
 * socket, see raw_socket.h. Kernels without CONFIG_X86_X32_ABI answer ENOSYS. */
#include <asm/unistd.h>
#include <sys/syscall.h>

#include "probe.h"
#include "raw_socket.h"

enum { X32_SOCKET = 41 };

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "sys_x32");
    long ret = syscall(__X32_SYSCALL_BIT | X32_SOCKET, RAW_DOMAIN, RAW_TYPE, RAW_PROTOCOL);
    if (ret < 0) refused(errno, "x32 socket()");
    escaped("x32 ABI: socket() returned %ld", ret);
}
