/* Escape probe: syscall numbers above the newest one nono knows (470, the first after
 * file_setattr, and 1000) must be refused by the filter, whatever the profile's default:
 * a syscall newer than the tables could do anything. Whether a call got past every filter is
 * told apart from the kernel's own ENOSYS by a filter of the probe's own, stacked under the
 * sandbox's: it hands the call to a user-notification listener here, and the kernel does so
 * only when no stricter filter (the sandbox's ERRNO) answered first. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "probe.h"

/* Whether syscall `nr`, made by a child, reaches this process's listener. */
static int reaches_listener(long nr) {
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {sizeof code / sizeof code[0], code};
    const int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
    if (listener < 0) setup_failed("seccomp(NEW_LISTENER): %s", strerror(errno));
    const pid_t child = fork();
    if (child < 0) setup_failed("fork: %s", strerror(errno));
    if (child == 0) _exit(syscall(nr) < 0 ? errno : 0);
    struct pollfd ready = {listener, POLLIN, 0};
    const int reached = poll(&ready, 1, 2000) == 1;
    if (reached) {
        struct seccomp_notif notif = {0};
        struct seccomp_notif_resp resp = {0};
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &notif) == 0) {
            resp.id = notif.id;
            resp.error = -ENOSYS;
            ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
        }
    }
    int status;
    waitpid(child, &status, 0);
    close(listener);
    return reached;
}

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "sys_unknown");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) setup_failed("no_new_privs: %s", strerror(errno));
    const long numbers[] = {470, 1000};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; ++i)
        if (!reaches_listener(numbers[i])) refused(ENOSYS, "syscall(%ld) stopped before the probe's own filter", numbers[i]);
    escaped("syscalls 470 and 1000 reached past every filter");
}
