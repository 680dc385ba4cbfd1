/* The least a launcher must do to run a command as nono's namespace mode does, at a plan's
 * sizes: what the issues ask of the mode, done with the kernel's calls alone. A parent that
 * makes the run's private directory, waits, and removes it; a child cloned into new user,
 * mount, pid, ipc and uts namespaces (its uid and gid mapped), which makes the mounts
 * private, lays out the view (the root read-only, the plan's write grants bound read-write,
 * the private directory at /tmp, a new /proc), starts the command with vfork as nono does,
 * and reaps it; the command, which adds the plan's Landlock rules, restricts itself, clears
 * its capabilities, loads a seccomp filter of the plan's length and execs its arguments.
 *
 * Nothing else: no plan is read or checked, no pattern expanded, no path looked up twice,
 * no error explained, no hidden path covered, no git repository searched, no signal
 * relayed. exec_bench runs /bin/true through it, so that what nono does beyond what the
 * mode requires shows in the difference.
 *
 *   namespace_mode_least SIZES COMMAND [ARG...]
 *
 * SIZES (written by exec_bench from `nono exec --plan P --dry-run`), a line each:
 *   rule PATH    a Landlock rule beneath PATH
 *   bind PATH    a write grant, bound read-write into the view
 *   filter N     the seccomp filter's length in instructions
 *
 * Exits 125 when a step fails, 127 when the command cannot be executed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher.h"

/* From the kernel's uapi (linux/landlock.h, ABI 7); Debian 12's headers stop at ABI 2. */
struct ruleset_attr {
    uint64_t handled_access_fs, handled_access_net, scoped;
};
struct __attribute__((packed)) path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
};
#define FS_RIGHTS ((1ull << 16) - 1)
#define FILE_RIGHTS (1ull << 0 | 1ull << 1 | 1ull << 2 | 1ull << 14 | 1ull << 15)
#define RULE_PATH_BENEATH 1

enum { kMaxLines = 512, kMaxFilter = 4096 };
static char sizes[1 << 16];
static const char* rules[kMaxLines];
static const char* binds[kMaxLines];
static int rule_count, bind_count, filter_length;

static void fail(const char* what) {
    fprintf(stderr, "namespace_mode_least: %s: %s\n", what, strerror(errno));
    _exit(125);
}

static void read_sizes(const char* path) {
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    const ssize_t n = fd >= 0 ? read(fd, sizes, sizeof sizes - 1) : -1;
    if (n < 0) fail(path);
    close(fd);
    for (char* line = strtok(sizes, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "rule ", 5) && rule_count < kMaxLines) rules[rule_count++] = line + 5;
        else if (!strncmp(line, "bind ", 5) && bind_count < kMaxLines) binds[bind_count++] = line + 5;
        else if (!strncmp(line, "filter ", 7)) filter_length = atoi(line + 7);
    }
    if (filter_length < 2 || filter_length > kMaxFilter) filter_length = 2;
}

static int clone_tree(const char* path) {
    const int tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree < 0) fail(path);
    return tree;
}

static void attach(int tree, const char* path) {
    if (syscall(SYS_move_mount, tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) != 0) fail(path);
    close(tree);
}

/* `uid_map` and `gid_map`: the ids outside, each mapped to itself. */
static void lay_out_view(const char* uid_map, const char* gid_map, const char* private_dir, const char* cwd) {
    if (!write_file("/proc/self/setgroups", "deny") || !write_file("/proc/self/uid_map", uid_map) ||
        !write_file("/proc/self/gid_map", gid_map))
        fail("the uid and gid maps");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail("private mounts");
    int trees[kMaxLines + 1];
    for (int i = 0; i < bind_count; ++i) trees[i] = clone_tree(binds[i]);
    trees[bind_count] = clone_tree(private_dir);
    struct mount_attr read_only = {.attr_set = MOUNT_ATTR_RDONLY};
    if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &read_only, sizeof read_only) != 0) fail("read-only /");
    for (int i = 0; i < bind_count; ++i) attach(trees[i], binds[i]);
    /* Shown at /tmp unless the command starts below /tmp, where it would hide the start. */
    const int below_tmp = !strncmp(cwd, "/tmp/", 5) || !strcmp(cwd, "/tmp");
    attach(trees[bind_count], below_tmp ? private_dir : "/tmp");
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail("/proc");
    if (chdir(cwd) != 0) fail(cwd);
}

static void restrict_self(void) {
    const struct ruleset_attr attr = {FS_RIGHTS, 3, 3};
    const int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) fail("Landlock ruleset");
    for (int i = 0; i < rule_count; ++i) {
        struct stat st;
        const int fd = open(rules[i], O_PATH | O_CLOEXEC);
        if (fd < 0) continue;  /* as nono skips a missing path */
        if (fstat(fd, &st) != 0) fail(rules[i]);
        const struct path_beneath_attr rule = {S_ISDIR(st.st_mode) ? FS_RIGHTS : FILE_RIGHTS, fd};
        if (syscall(SYS_landlock_add_rule, ruleset, RULE_PATH_BENEATH, &rule, 0) != 0) fail(rules[i]);
        close(fd);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("no_new_privs");
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) fail("Landlock");
    close(ruleset);
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct none[2] = {{0}};
    if (syscall(SYS_capset, &header, none) != 0) fail("capabilities");
    /* As long as the plan's filter, and as fast to run: comparisons that never match. */
    static struct sock_filter filter[kMaxFilter];
    filter[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
    for (int i = 1; i + 1 < filter_length; ++i)
        filter[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40000000u + i, 0, 0);
    filter[filter_length - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    const struct sock_fprog program = {(unsigned short)filter_length, filter};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) fail("seccomp");
}

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    read_sizes(argv[1]);
    char cwd[4096], private_dir[] = "/tmp/namespace-mode-least-XXXXXX", uid_map[32], gid_map[32];
    snprintf(uid_map, sizeof uid_map, "%u %u 1", (unsigned)geteuid(), (unsigned)geteuid());
    snprintf(gid_map, sizeof gid_map, "%u %u 1", (unsigned)getegid(), (unsigned)getegid());
    if (!getcwd(cwd, sizeof cwd)) fail("working directory");
    if (!mkdtemp(private_dir)) fail("private directory");
    struct clone_args args = {
        .flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS,
        .exit_signal = SIGCHLD,
    };
    const long init = syscall(SYS_clone3, &args, sizeof args);
    if (init < 0) fail("namespaces");
    if (init > 0) {
        const int status = exit_status((pid_t)init);
        rmdir(private_dir);
        return status;
    }
    lay_out_view(uid_map, gid_map, private_dir, cwd);
    const pid_t command = vfork();  /* as nono starts it: no page tables copied */
    if (command < 0) fail("fork");
    if (command == 0) {
        restrict_self();
        execv(argv[2], argv + 2);
        _exit(127);
    }
    _exit(exit_status(command));
}
