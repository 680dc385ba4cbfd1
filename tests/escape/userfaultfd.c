/* Escape probe: create a userfaultfd (it stalls the kernel at a chosen page fault, the
 * classic way to win races in kernel exploits). */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/syscall.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "userfaultfd");
    if (syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY) < 0) refused(errno, "userfaultfd");
    escaped("created a userfaultfd");
}
