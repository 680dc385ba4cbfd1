// Runtime (macOS): what the supervisor and the command's process need of the kernel
// (process.hpp), and kill_descendants (supervisor.hpp). Weaker than Linux, as docs/macos.md
// says: macOS has no subreaper and no parent-death signal, so a process of the run that
// leaves its parent (a daemon that forks twice) goes to launchd, out of nono's reach, and a
// command whose reaper is killed with SIGKILL by someone outside the sandbox goes on;
// processes are found by pid (libproc), not held by a descriptor.
#include <fcntl.h>
#include <libproc.h>
#include <signal.h>
#include <sys/event.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/command.hpp"
#include "runtime/process.hpp"
#include "runtime/supervisor.hpp"

namespace nono::runtime {

bool guard_supervisor() { return ptrace(PT_DENY_ATTACH, 0, nullptr, 0) == 0; }

pid_t start_reaper(bool, int, bool& in_cgroup) {
    in_cgroup = false;
    return fork();
}

void enter_run(int cgroup_procs, bool, const NamespacePlan* namespaces) {
    if (cgroup_procs >= 0 || namespaces)
        throw SandboxError("A run with a cgroup or namespaces was asked for on macOS, which has neither",
                           "Hint: this is a bug in nono: on macOS the supervisor never asks for them.");
}

// Seatbelt's sandbox_init has not been tried in a process that shares its parent's memory.
bool command_shares_memory() { return false; }

int open_host_root() { return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC); }

void unbind_private_tmp(const std::string&) {}

void close_descriptors(unsigned first, unsigned last) {
    // The open ones only: the descriptor limit, up to which a loop would close, may be in the
    // millions. The listing is of this process alone, single-threaded here (after fork), so
    // nothing opens a descriptor between the list and the closing.
    errno = 0;
    const int size = proc_pidinfo(getpid(), PROC_PIDLISTFDS, 0, nullptr, 0);
    std::vector<proc_fdinfo> open_fds(size > 0 ? static_cast<std::size_t>(size) / PROC_PIDLISTFD_SIZE + 16 : 0);
    const int listed = size <= 0 ? size
                                 : proc_pidinfo(getpid(), PROC_PIDLISTFDS, 0, open_fds.data(),
                                                static_cast<int>(open_fds.size() * PROC_PIDLISTFD_SIZE));
    if (listed < 0 || (listed == 0 && errno != 0))
        throw SandboxError(std::string("Failed to list the open file descriptors: ") + std::strerror(errno),
                           "Hint: nono runs no command that could inherit a descriptor it did not close.");
    open_fds.resize(static_cast<std::size_t>(listed) / PROC_PIDLISTFD_SIZE);
    // close releases the descriptor whatever it returns.
    for (const proc_fdinfo& fd : open_fds)
        if (static_cast<unsigned>(fd.proc_fd) >= first && static_cast<unsigned>(fd.proc_fd) <= last) close(fd.proc_fd);
}

bool become_subreaper() { return true; }

bool die_with_parent(pid_t parent) { return getppid() == parent; }

int watch_signals(const sigset_t& signals) {
    // A kqueue is not inherited across fork: each process watches for itself.
    const int kq = kqueue();
    if (kq < 0 || fcntl(kq, F_SETFD, FD_CLOEXEC) != 0) return -1;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sigismember(&signals, sig) != 1) continue;
        struct kevent change;
        EV_SET(&change, sig, EVFILT_SIGNAL, EV_ADD, 0, 0, nullptr);
        if (kevent(kq, &change, 1, nullptr, 0, nullptr) != 0) {
            close(kq);
            return -1;
        }
    }
    return kq;
}

int next_signal(int watcher) {
    struct kevent event;
    const timespec now{0, 0};
    if (kevent(watcher, nullptr, 0, &event, 1, &now) != 1) return 0;
    const int sig = static_cast<int>(event.ident);
    // EVFILT_SIGNAL records the signal and leaves it pending while blocked: take it, as
    // reading a signalfd does, or it would be delivered when the mask is restored.
    sigset_t pending, one;
    if (sigpending(&pending) == 0 && sigismember(&pending, sig) == 1) {
        sigemptyset(&one);
        sigaddset(&one, sig);
        int taken = 0;
        sigwait(&one, &taken);
    }
    return sig;
}

bool quiet_on_broken_pipe(int socket) {
    const int on = 1;
    return setsockopt(socket, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on) == 0;
}

ssize_t send_quietly(int socket, const void* data, std::size_t size) { return send(socket, data, size, 0); }

namespace {

// The children of `pid` as the kernel lists them now.
std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> out(64);
    for (;;) {
        const int n = proc_listchildpids(pid, out.data(), static_cast<int>(out.size() * sizeof(pid_t)));
        if (n < 0) return {};
        if (static_cast<std::size_t>(n) < out.size()) {
            out.resize(static_cast<std::size_t>(n));
            return out;
        }
        out.resize(out.size() * 2);  // full: there may be more
    }
}

}  // namespace

void kill_descendants() {
    for (;;) {
        // Top-down, each process stopped before its children are listed, so that none
        // forks a child the walk would miss; then every one killed.
        std::vector<pid_t> known = children_of(getpid());
        if (known.empty()) return;
        for (std::size_t i = 0; i < known.size(); ++i) {
            kill(known[i], SIGSTOP);
            for (pid_t child : children_of(known[i])) known.push_back(child);
        }
        for (pid_t pid : known) kill(pid, SIGKILL);
        int wstatus;
        while (waitpid(-1, &wstatus, 0) < 0 && errno == EINTR) {
        }
        while (waitpid(-1, &wstatus, WNOHANG) > 0) {
        }
    }
}

}  // namespace nono::runtime
