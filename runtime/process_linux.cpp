// Runtime (Linux): what the supervisor and the command's process need of the kernel
// (process.hpp), and kill_descendants (supervisor.hpp), which finds a run's processes
// through /proc and signals them through pidfds.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <linux/sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/command.hpp"
#include "runtime/namespaces.hpp"
#include "runtime/process.hpp"
#include "runtime/run_cgroup.hpp"
#include "runtime/supervisor.hpp"

namespace nono::runtime {

bool guard_supervisor() { return prctl(PR_SET_DUMPABLE, 0) == 0 && prctl(PR_SET_CHILD_SUBREAPER, 1) == 0; }

// clone3 places the reaper in its cgroup as it starts: moving a process there instead, by
// writing cgroup.procs, waits for an RCU grace period (cgroup_threadgroup_rwsem), 10 to 15 ms
// of every run on this machine. Where clone3 is missing (before Linux 5.7) or refused with
// ENOSYS (a seccomp filter such as base's, which cannot read its flags), clone: the reaper
// then joins by writing. A refused cgroup placement (EBUSY, EPERM, EOPNOTSUPP: a parent
// that changed) is retried without it, so that an error left is the namespaces'.
pid_t start_reaper(bool new_namespaces, int cgroup_dir, bool& in_cgroup) {
    const unsigned long namespace_flags = new_namespaces ? kNamespaceFlags : 0;
    clone_args args{};
    args.flags = namespace_flags;
    args.exit_signal = SIGCHLD;
    long child = -1;
    errno = 0;
    if (cgroup_dir >= 0) {
        clone_args into = args;
        into.flags |= CLONE_INTO_CGROUP;
        into.cgroup = static_cast<std::uint64_t>(cgroup_dir);
        child = syscall(SYS_clone3, &into, sizeof into);
    }
    in_cgroup = child >= 0;
    if (child < 0 && errno != ENOSYS) child = syscall(SYS_clone3, &args, sizeof args);
    if (child < 0 && errno == ENOSYS) child = syscall(SYS_clone, namespace_flags | SIGCHLD, nullptr, nullptr, nullptr, 0);
    return static_cast<pid_t>(child);
}

void enter_run(int cgroup_procs, bool in_cgroup, const NamespacePlan* namespaces) {
    if (!in_cgroup) run_cgroup::join(cgroup_procs);
    // Then: until /proc is the pid namespace's, a pid read there is not one of ours.
    if (namespaces) enter_namespaces(*namespaces);
}

bool command_shares_memory() { return true; }

int open_host_root() { return open("/", O_PATH | O_DIRECTORY | O_CLOEXEC); }

void unbind_private_tmp(const std::string& path) { umount2(path.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW); }

void close_descriptors(unsigned first, unsigned last) {
    if (syscall(SYS_close_range, first, last, 0) != 0)
        throw SandboxError(std::string("Failed to close inherited file descriptors: ") + std::strerror(errno),
                           "Hint: close_range() needs Linux 5.9 or newer.");
}

bool become_subreaper() { return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0; }

// After the prctl: a parent gone before it would never send the signal.
bool die_with_parent(pid_t parent) { return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent; }

int watch_signals(const sigset_t& signals) { return signalfd(-1, &signals, SFD_CLOEXEC); }

int next_signal(int watcher) {
    signalfd_siginfo info;
    if (read(watcher, &info, sizeof info) != sizeof info) return 0;
    return static_cast<int>(info.ssi_signo);
}

bool quiet_on_broken_pipe(int) { return true; }

ssize_t send_quietly(int socket, const void* data, std::size_t size) { return send(socket, data, size, MSG_NOSIGNAL); }

namespace {

int pidfd_open(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

bool exited(int pidfd) {
    pollfd p{pidfd, POLLIN, 0};
    return poll(&p, 1, 0) != 0;
}

// The parent of `pid` as /proc says now; 0 when it is gone.
pid_t parent_of(pid_t pid) {
    char path[32], text[512];
    std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    const ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = '\0';
    // "PID (COMM) STATE PPID …": the command's name may hold anything, ')' included.
    const char* close_paren = std::strrchr(text, ')');
    return close_paren ? static_cast<pid_t>(std::strtol(close_paren + 4, nullptr, 10)) : 0;
}

// The children of `pid`, every thread's, as the kernel lists them.
std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> out;
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = opendir(tasks.c_str());
    if (!dir) return out;
    while (const dirent* task = readdir(dir)) {
        if (task->d_name[0] == '.') continue;
        const std::string file = tasks + "/" + task->d_name + "/children";
        FILE* list = std::fopen(file.c_str(), "re");
        if (!list) continue;
        for (int child; std::fscanf(list, "%d", &child) == 1;) out.push_back(child);
        std::fclose(list);
    }
    closedir(dir);
    return out;
}

// One round: every process below this one, found top-down and each signalled once known.
// A pid read from a list may be reused by the time it is used: a process is only taken
// through a pidfd, after checking that its parent is the one it was listed under and that
// this parent, held by its own pidfd, had not exited then (so the number was still its).
// Returns whether this process had any child.
bool kill_round() {
    struct Known {
        pid_t pid;
        int pidfd;  // -1 for this process's own children: unreaped, their pid stays theirs
    };
    std::vector<Known> known;
    for (pid_t child : children_of(getpid())) known.push_back({child, -1});
    const bool any = !known.empty();
    for (std::size_t i = 0; i < known.size(); ++i) {
        const Known parent = known[i];
        for (pid_t child : children_of(parent.pid)) {
            const int pidfd = pidfd_open(child);
            if (pidfd < 0) continue;
            if (parent_of(child) == parent.pid && (parent.pidfd < 0 || !exited(parent.pidfd)))
                known.push_back({child, pidfd});
            else
                close(pidfd);
        }
        // After listing its children: killed first, it would hand them to this process,
        // which the next round finds anyway.
        if (parent.pidfd < 0) kill(parent.pid, SIGKILL);
        else syscall(SYS_pidfd_send_signal, parent.pidfd, SIGKILL, nullptr, 0);
    }
    for (const Known& k : known)
        if (k.pidfd >= 0) close(k.pidfd);
    return any;
}

}  // namespace

void kill_descendants() {
    while (kill_round()) {
        // Wait for one child to end (its own children are this process's by then), then
        // reap every other that has.
        int wstatus;
        while (waitpid(-1, &wstatus, 0) < 0 && errno == EINTR) {
        }
        while (waitpid(-1, &wstatus, WNOHANG) > 0) {
        }
    }
}

}  // namespace nono::runtime
