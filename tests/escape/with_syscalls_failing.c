/* Hostile-environment fixture: runs a command on a simulated kernel that lacks a feature,
 * by installing a seccomp filter that makes its syscalls fail with ENOSYS:
 *   landlock  landlock_create_ruleset, landlock_add_rule, landlock_restrict_self
 *   seccomp   seccomp(2) and prctl(PR_SET_SECCOMP): the runtime cannot install its filter
 *   compat    every syscall of the i386 ABI (int 0x80) and of the x32 ABI: a kernel built or
 *             booted without IA32 emulation and x32, as many are
 *   openat2   openat2: a kernel before Linux 5.6, or a sandbox whose filter refuses it (nono's
 *             base profile does)
 *   namespaces  unshare and clone with a CLONE_NEW* flag, and setns, fail with EPERM (as in
 *             a container's default seccomp profile, or where user namespaces are
 *             restricted); clone3 fails with ENOSYS so that callers fall back to clone
 *   pidfd_getfd  pidfd_getfd fails with EPERM (a container's seccomp profile, or Yama's
 *             ptrace_scope 3): the supervisor cannot take a socket to mediate it
 * The product has no switch to get the same effect; this is the only way tests reach it. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define FAIL_IF_NR(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS)
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static struct sock_filter without_landlock[] = {
    LOAD(arch),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    ALLOW,
    LOAD(nr),
    FAIL_IF_NR(__NR_landlock_create_ruleset),
    FAIL_IF_NR(__NR_landlock_add_rule),
    FAIL_IF_NR(__NR_landlock_restrict_self),
    ALLOW,
};

static struct sock_filter without_seccomp[] = {
    LOAD(arch),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    ALLOW,
    LOAD(nr),
    FAIL_IF_NR(__NR_seccomp),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 0, 3),
    LOAD(args[0]),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_SECCOMP, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    ALLOW,
};

static struct sock_filter without_openat2[] = {
    LOAD(arch),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    ALLOW,
    LOAD(nr),
    FAIL_IF_NR(__NR_openat2),
    ALLOW,
};

static struct sock_filter without_compat[] = {
    LOAD(arch),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    LOAD(nr),
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, __X32_SYSCALL_BIT, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    ALLOW,
};

#define NEW_NAMESPACES (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | \
                        CLONE_NEWCGROUP | CLONE_NEWTIME)
#define DENY_IF_NEW_NAMESPACE(nr)                                                  \
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 3), LOAD(args[0]),               \
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NEW_NAMESPACES, 0, 1),              \
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

static struct sock_filter without_namespaces[] = {
    LOAD(arch),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    ALLOW,
    LOAD(nr),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setns, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    FAIL_IF_NR(__NR_clone3),
    DENY_IF_NEW_NAMESPACE(__NR_unshare),
    LOAD(nr),
    DENY_IF_NEW_NAMESPACE(__NR_clone),
    ALLOW,
};

static struct sock_filter without_pidfd_getfd[] = {
    LOAD(arch),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    ALLOW,
    LOAD(nr),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_pidfd_getfd, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    ALLOW,
};

#define PROGRAM(filter) {sizeof filter / sizeof *filter, filter}
static const struct {
    const char* name;
    struct sock_fprog prog;
} programs[] = {
    {"landlock", PROGRAM(without_landlock)},
    {"seccomp", PROGRAM(without_seccomp)},
    {"compat", PROGRAM(without_compat)},
    {"openat2", PROGRAM(without_openat2)},
    {"namespaces", PROGRAM(without_namespaces)},
    {"pidfd_getfd", PROGRAM(without_pidfd_getfd)},
};

int main(int argc, char** argv) {
    const struct sock_fprog* prog = NULL;
    for (size_t i = 0; argc >= 3 && i < sizeof programs / sizeof *programs; ++i)
        if (strcmp(argv[1], programs[i].name) == 0) prog = &programs[i].prog;
    if (!prog) {
        fprintf(stderr, "usage: with_syscalls_failing landlock|seccomp|compat|openat2|namespaces|pidfd_getfd CMD [ARG...]\n");
        return 2;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0) {
        perror("install the simulating filter");
        return 2;
    }
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    return 127;
}
