// Runtime: the supervisor (see supervisor.hpp): the reaper, the terminal relay, signals,
// the private temporary directory.
#include "runtime/supervisor.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

// Forwarded to the command: the signals a shell's user or a session's end sends a job.
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

int shell_status(int wstatus) { return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus); }

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "nono: %s: %s\n", what, std::strerror(errno));
    _exit(kExitSandboxFailed);
}

// ------------------------------------------------------------------- descendants

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

// ---------------------------------------------------------------------- terminal

// The pseudo-terminal the command gets when the user's stdin, stdout or stderr is a
// terminal: those descriptors become its slave, the others pass through untouched.
struct Terminal {
    int user = -1;    // the user's terminal: its modes and size are copied to the slave
    int input = -1;   // 0 when stdin is the terminal: relayed to the master
    int output = -1;  // where the master's output goes: stdout, else stderr, else stdin
    int master = -1;
    int slave = -1;
    std::vector<int> replaced;  // which of 0, 1, 2 the command gets the slave as
    termios modes{};
    bool raw = false;
};

Terminal open_terminal() {
    Terminal t;
    for (int fd = 0; fd <= 2; ++fd)
        if (isatty(fd)) t.replaced.push_back(fd);
    if (t.replaced.empty()) return t;
    t.user = t.replaced.front();
    t.input = isatty(0) ? 0 : -1;
    t.output = isatty(1) ? 1 : isatty(2) ? 2 : 0;
    t.master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    char name[64];
    if (t.master < 0 || grantpt(t.master) != 0 || unlockpt(t.master) != 0 || ptsname_r(t.master, name, sizeof name) != 0)
        throw SandboxError(std::string("Failed to open a pseudo-terminal: ") + std::strerror(errno),
                           "Hint: the command needs /dev/ptmx (devpts) when it runs on a terminal.");
    t.slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (t.slave < 0)
        throw SandboxError(std::string("Failed to open \"") + name + "\": " + std::strerror(errno),
                           "Hint: the command needs devpts when it runs on a terminal.");
    if (tcgetattr(t.user, &t.modes) == 0) tcsetattr(t.slave, TCSANOW, &t.modes);
    winsize size{};
    if (ioctl(t.user, TIOCGWINSZ, &size) == 0) ioctl(t.master, TIOCSWINSZ, &size);
    return t;
}

// Raw mode on the user's terminal while its input is relayed: every byte (Ctrl-C, Ctrl-Z
// included) goes to the pseudo-terminal, whose own line discipline signals the command.
// Without relayed input the user's terminal keeps its modes, so Ctrl-C still signals nono.
void enter_raw_mode(Terminal& t) {
    if (t.input < 0) return;
    termios raw = t.modes;
    cfmakeraw(&raw);
    t.raw = tcsetattr(t.user, TCSADRAIN, &raw) == 0;
}

void restore_modes(Terminal& t) {
    if (t.raw) tcsetattr(t.user, TCSADRAIN, &t.modes);
    t.raw = false;
}

void write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the user's terminal is gone: nothing to show the output on
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

// Copies what the master holds to the user's terminal; false at its end (EIO: no slave
// left open) or when nothing is waiting.
bool relay_output(const Terminal& t) {
    char buffer[1 << 16];
    const ssize_t n = read(t.master, buffer, sizeof buffer);
    if (n <= 0) return false;
    write_all(t.output, buffer, static_cast<std::size_t>(n));
    return true;
}

// ------------------------------------------------------------------------ processes

// The command's process: a session of its own, with the pseudo-terminal open as
// `terminal` (one of 0, 1, 2) as its controlling terminal when there is one, the signal
// mask nono found, then `start`.
[[noreturn]] void command_process(const std::function<void()>& start, const sigset_t& original_mask, pid_t reaper,
                                  int terminal) {
    // The reaper's end must end the command even if it could not kill it (SIGKILL to it).
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != reaper) _exit(kExitSandboxFailed);
    sigprocmask(SIG_SETMASK, &original_mask, nullptr);
    if (setsid() < 0) die("Failed to start a session for the command");
    if (terminal >= 0 && ioctl(terminal, TIOCSCTTY, 0) != 0) die("Failed to give the command its terminal");
    start();
    _exit(kExitSandboxFailed);
}

// The reaper (see supervisor.hpp). Exits with the command's status as a shell reports it.
[[noreturn]] void reaper_process(const std::function<void()>& start, const Supervision& supervision,
                                 const Terminal& terminal, int supervisor_gone, const sigset_t& original_mask) {
    // Out of the user's session: the terminal's signals and hangup go to nono, which forwards them.
    if (setsid() < 0) die("Failed to start a session for the reaper");
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) die("Failed to become a child subreaper");
    for (int fd : terminal.replaced)
        if (dup2(terminal.slave, fd) < 0) die("Failed to hand the command its terminal");
    std::vector<int> keep = supervision.keep_fds;
    keep.push_back(supervisor_gone);
    try {
        close_inherited_fds(keep);
    } catch (const SandboxError& e) {
        std::fprintf(stderr, "nono: %s\n%s\n", e.what(), e.hint.c_str());
        _exit(kExitSandboxFailed);
    }
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGCHLD);
    for (int sig : kForwarded) sigaddset(&watched, sig);
    const int signals = signalfd(-1, &watched, SFD_CLOEXEC);
    if (signals < 0) die("Failed to watch signals");

    const pid_t reaper = getpid();
    // Where the command's namespaces (user, mount, ipc, uts) will come: clone3 with their
    // flags in place of this fork.
    const pid_t command = fork();
    if (command < 0) die("Failed to start the command");
    if (command == 0)
        command_process(start, original_mask, reaper, terminal.replaced.empty() ? -1 : terminal.replaced.front());

    int status = 128 + SIGKILL;  // should nono go first
    for (bool running = true; running;) {
        pollfd events[] = {{signals, POLLIN, 0}, {supervisor_gone, POLLIN, 0}};
        if (poll(events, 2, -1) < 0) continue;  // EINTR: SIGSTOP and SIGCONT
        if (events[1].revents) break;          // nono is gone, however it ended
        signalfd_siginfo info;
        if (read(signals, &info, sizeof info) != sizeof info) continue;
        if (info.ssi_signo != SIGCHLD) {
            kill(command, static_cast<int>(info.ssi_signo));
            continue;
        }
        for (int wstatus; running;) {
            const pid_t reaped = waitpid(-1, &wstatus, WNOHANG);
            if (reaped <= 0) break;
            if (reaped == command) {
                status = shell_status(wstatus);
                running = false;
            }
        }
    }
    kill_descendants();
    remove_private_tmp(supervision.private_tmp);
    _exit(status);
}

// What nono does while the reaper runs: relay the terminal, forward signals, follow the
// window size. Returns the reaper's status as a shell reports it.
int supervise_reaper(pid_t reaper, int signals, Terminal& terminal) {
    std::string to_command;  // typed, not yet taken by the master
    bool input_open = terminal.input >= 0;
    bool output_open = terminal.master >= 0;
    for (;;) {
        pollfd events[3] = {{signals, POLLIN, 0}, {-1, POLLIN, 0}, {-1, 0, 0}};
        if (input_open && to_command.empty()) events[1].fd = terminal.input;
        if (output_open) {
            events[2].fd = terminal.master;
            events[2].events = static_cast<short>(POLLIN | (to_command.empty() ? 0 : POLLOUT));
        }
        if (poll(events, 3, -1) < 0) continue;  // EINTR: SIGSTOP and SIGCONT
        if (events[1].revents) {
            char buffer[4096];
            const ssize_t n = read(terminal.input, buffer, sizeof buffer);
            if (n > 0) to_command.assign(buffer, static_cast<std::size_t>(n));
            else if (n == 0 || errno != EINTR) input_open = false;  // the terminal hung up
        }
        if (events[2].revents & POLLOUT) {
            const ssize_t n = write(terminal.master, to_command.data(), to_command.size());
            if (n > 0) to_command.erase(0, static_cast<std::size_t>(n));
        }
        if (events[2].revents & (POLLIN | POLLHUP | POLLERR)) output_open = relay_output(terminal) || errno == EAGAIN;
        if (!events[0].revents) continue;
        signalfd_siginfo info;
        if (read(signals, &info, sizeof info) != sizeof info) continue;
        if (info.ssi_signo == SIGWINCH) {
            winsize size{};
            if (ioctl(terminal.user, TIOCGWINSZ, &size) == 0) ioctl(terminal.master, TIOCSWINSZ, &size);
        } else if (info.ssi_signo != SIGCHLD) {
            kill(reaper, static_cast<int>(info.ssi_signo));
        } else {
            int wstatus;
            for (pid_t reaped; (reaped = waitpid(-1, &wstatus, WNOHANG)) > 0;)
                if (reaped == reaper) return shell_status(wstatus);
        }
    }
}

// The descriptors nono holds for one run, closed however it ends.
struct Held {
    int fds[4] = {-1, -1, -1, -1};
    ~Held() {
        for (int fd : fds)
            if (fd >= 0) close(fd);
    }
};

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

int supervise(const std::function<void()>& start, const Supervision& supervision) {
    // Not dumpable: no process of the user's (the sandbox least of all) may ptrace nono or
    // open its descriptors through /proc. A subreaper: should the reaper be killed, the
    // processes it leaves come to nono, which kills them.
    if (prctl(PR_SET_DUMPABLE, 0) != 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        std::fprintf(stderr, "nono: Failed to set up the supervisor: %s\n", std::strerror(errno));
        return kExitSandboxFailed;
    }
    Terminal terminal;
    Held held;
    try {
        terminal = open_terminal();
    } catch (const SandboxError& e) {
        std::fprintf(stderr, "nono: %s\n%s\n", e.what(), e.hint.c_str());
        return kExitSandboxFailed;
    }
    held.fds[0] = terminal.master;
    held.fds[1] = terminal.slave;

    // Blocked from before the fork, so that none is lost; read through a signalfd.
    sigset_t watched, original_mask;
    sigemptyset(&watched);
    for (int sig : kForwarded) sigaddset(&watched, sig);
    sigaddset(&watched, SIGCHLD);
    sigaddset(&watched, SIGWINCH);
    sigprocmask(SIG_BLOCK, &watched, &original_mask);
    struct Unblock {
        const sigset_t& mask;
        ~Unblock() { sigprocmask(SIG_SETMASK, &mask, nullptr); }
    } unblock{original_mask};
    held.fds[2] = signalfd(-1, &watched, SFD_CLOEXEC);
    // The reaper's end of this pipe sees end-of-file when nono exits, whatever way.
    int gone[2];
    if (held.fds[2] < 0 || pipe2(gone, O_CLOEXEC) != 0) {
        std::fprintf(stderr, "nono: Failed to set up the supervisor: %s\n", std::strerror(errno));
        return kExitSandboxFailed;
    }
    held.fds[3] = gone[1];

    // Where a pid namespace will come: cloned with CLONE_NEWPID, the reaper is the
    // namespace's init, and its end, however it comes, makes the kernel kill every process
    // of the run. A cgroup of the run is made before this point, and the reaper joins it.
    const pid_t reaper = fork();
    if (reaper < 0) {
        close(gone[0]);
        std::fprintf(stderr, "nono: Failed to start the command: %s\n", std::strerror(errno));
        return kExitSandboxFailed;
    }
    if (reaper == 0) reaper_process(start, supervision, terminal, gone[0], original_mask);
    close(gone[0]);
    close(terminal.slave);
    held.fds[1] = -1;
    if (supervision.serve) supervision.serve();

    enter_raw_mode(terminal);
    const int status = supervise_reaper(reaper, held.fds[2], terminal);
    kill_descendants();  // what the reaper could not: only if someone killed it
    if (terminal.master >= 0)
        while (relay_output(terminal)) {
        }
    restore_modes(terminal);
    remove_private_tmp(supervision.private_tmp);  // what the reaper could not: only if someone killed it
    return status;
}

PrivateTmp make_private_tmp(const std::string& parent) {
    PrivateTmp tmp;
    tmp.path = parent + "/nono-XXXXXX";
    struct stat st;
    char canonical[PATH_MAX];  // as the profile's paths are: a plan's rules move there as they are
    if (!mkdtemp(tmp.path.data()) || !realpath(tmp.path.c_str(), canonical) || lstat(canonical, &st) != 0)
        throw SandboxError("Failed to create the run's private temporary directory \"" + tmp.path + "\": " + std::strerror(errno),
                           "Hint: TMPDIR (or /tmp) must be a directory the user can write.");
    tmp.path = canonical;
    tmp.device = st.st_dev;
    tmp.inode = st.st_ino;
    return tmp;
}

namespace {

// Empties the directory open as `dir`; a directory inside is made the owner's again
// first (the command may have taken its rights away).
void remove_entries(int dir) {
    DIR* listing = fdopendir(dup(dir));
    if (!listing) return;
    while (const dirent* entry = readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (name == "." || name == ".." || unlinkat(dir, entry->d_name, 0) == 0 || errno != EISDIR) continue;
        fchmodat(dir, entry->d_name, S_IRWXU, 0);
        const int sub = openat(dir, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;
        remove_entries(sub);
        close(sub);
        unlinkat(dir, entry->d_name, AT_REMOVEDIR);
    }
    closedir(listing);
}

}  // namespace

void remove_private_tmp(const PrivateTmp& tmp) {
    if (tmp.path.empty()) return;
    const int dir = open(tmp.path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) return;
    struct stat st;
    if (fstat(dir, &st) == 0 && st.st_dev == tmp.device && st.st_ino == tmp.inode) {
        fchmod(dir, S_IRWXU);
        remove_entries(dir);
        rmdir(tmp.path.c_str());
    }
    close(dir);
}

}  // namespace nono::runtime
