/* Escape probe: attach to the parent (outside the sandbox) with ptrace, which would let the
 * sandboxed code run anything as the parent. PTRACE_SEIZE does not stop the parent, and the
 * attachment ends when the probe exits. */
#include <sys/ptrace.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "ptrace_parent");
    pid_t parent = getppid();
    if (ptrace(PTRACE_SEIZE, parent, 0, 0) != 0) refused(errno, "ptrace(PTRACE_SEIZE, parent %d)", parent);
    escaped("attached to the parent %d with ptrace", parent);
}
