/* Escape probe: install an allow-everything seccomp filter (prctl PR_SET_SECCOMP) hoping it
 * replaces the sandbox's, then do what the sandbox forbids (a raw socket, raw_socket.h).
 * The kernel stacks filters and the strictest answer wins, so this must stay refused. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#include "probe.h"
#include "raw_socket.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "seccomp_replace");
    struct sock_filter allow_all[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog prog = {.len = 1, .filter = allow_all};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) refused(errno, "prctl(PR_SET_SECCOMP)");
    if (socket(RAW_DOMAIN, RAW_TYPE, RAW_PROTOCOL) < 0) refused(errno, "raw socket after the new filter");
    escaped("a new seccomp filter let a raw socket through");
}
