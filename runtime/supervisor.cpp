// Runtime: the supervisor (see supervisor.hpp): the reaper, the terminal relay, signals,
// the end of the run's private temporary directory.
#include "runtime/supervisor.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/clipboard_reads.hpp"
#include "runtime/command.hpp"
#include "runtime/process.hpp"

namespace nono::runtime {

namespace {

// Forwarded to the command: the signals a shell's user or a session's end sends a job.
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

int shell_status(int wstatus) { return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus); }

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "nono: %s: %s\n", what, std::strerror(errno));
    _exit(kExitSandboxFailed);
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
    bool shown_query = false;  // the output held a byte that may start a query (drop_answers)
    ClipboardReadFilter clipboard_reads;  // dropped from the output
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

// Whether `byte` may start a sequence a terminal answers by typing: ENQ, ESC, or an 8-bit
// C1 introducer (DCS, CSI, OSC, PM, APC; in UTF-8 text also a continuation byte, which
// costs only a needless round trip at the end).
bool may_start_query(unsigned char byte) { return byte == 0x05 || byte == 0x1b || (byte >= 0x90 && byte <= 0x9f); }

// Copies what the master holds to the user's terminal; false at its end (EIO: no slave
// left open) or when nothing is waiting.
bool relay_output(Terminal& t) {
    char buffer[1 << 16];
    const ssize_t n = read(t.master, buffer, sizeof buffer);
    if (n <= 0) return false;
    const std::string shown = t.clipboard_reads.pass(std::string_view(buffer, static_cast<std::size_t>(n)));
    write_all(t.output, shown.data(), shown.size());
    if (!t.shown_query)
        t.shown_query = std::any_of(shown.begin(), shown.end(), [](char c) { return may_start_query(static_cast<unsigned char>(c)); });
    return true;
}

bool same_terminal(int a, int b) {
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

// How long the terminal has to answer the query of drop_answers: a terminal at the far end
// of a slower link answers after nono returned, into the shell.
constexpr auto kAnswerWait = std::chrono::milliseconds(500);
// How long drop_answers goes on reading once the answer came, for what follows it at once:
// a command that made the terminal type an answer of the same form before its payload.
constexpr auto kQuietAfterAnswer = std::chrono::milliseconds(50);

// Reads and drops what the user's terminal types in answer to the command's output once the
// command is gone. A terminal answers some sequences by typing into its input: ENQ with its
// answerback string, reports of a title or a setting that the program chose, which terminal
// bugs have let carry a command and a newline. Shown last, they are answered after nono stops
// relaying input (or, stdin elsewhere, they wait in the terminal's queue all along), and the
// user's shell reads them as typed. A terminal answers in order, so once it answered the
// device-attributes query (DA1) asked here, every earlier answer is in. Only where the
// command showed a byte that may start a query, and not on a dumb terminal, which answers
// none.
void drop_answers(const Terminal& t) {
    const char* term = std::getenv("TERM");
    if (!t.shown_query || (term && std::string_view(term) == "dumb")) return;
    // The terminal's input: stdin while nono relays it (raw already); else the terminal opened
    // anew, raw for the time it is read, if nono's job is in its foreground.
    int fd = t.input >= 0 && same_terminal(t.input, t.output) ? t.input : -1;
    UniqueFd opened(-1);
    termios modes{};
    if (fd < 0) {
        char name[PATH_MAX];
        if (ttyname_r(t.output, name, sizeof name) != 0) return;
        opened.fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (opened.fd < 0 || tcgetpgrp(opened.fd) != getpgrp() || tcgetattr(opened.fd, &modes) != 0) return;
        termios raw = modes;
        raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
        if (tcsetattr(opened.fd, TCSANOW, &raw) != 0) return;
        fd = opened.fd;
    }
    // CAN first: it ends a sequence the command left open, which would swallow the query.
    write_all(t.output, "\x18\x1b[c", 4);
    std::string typed;
    // The answer: ESC [ ? then digits and semicolons, then c.
    auto answered = [&] {
        for (std::size_t at = typed.find("\x1b[?"); at != std::string::npos; at = typed.find("\x1b[?", at + 1)) {
            const std::size_t end = typed.find_first_not_of("0123456789;", at + 3);
            if (end != std::string::npos && typed[end] == 'c') return true;
        }
        return false;
    };
    using Clock = std::chrono::steady_clock;
    const Clock::time_point last = Clock::now() + kAnswerWait + kQuietAfterAnswer;
    Clock::time_point until = Clock::now() + kAnswerWait;
    for (bool seen = false;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
        pollfd ready{fd, POLLIN, 0};
        if (left <= 0 || poll(&ready, 1, static_cast<int>(left)) <= 0 || !(ready.revents & POLLIN)) break;
        char buffer[4096];
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        typed.append(buffer, static_cast<std::size_t>(n));
        if (seen || (seen = answered())) until = std::min(last, Clock::now() + kQuietAfterAnswer);
    }
    if (opened.fd >= 0) tcsetattr(opened.fd, TCSAFLUSH, &modes);
}

// ------------------------------------------------------------------------ processes

// The command's process: a session of its own, with the pseudo-terminal open as
// `terminal` (one of 0, 1, 2) as its controlling terminal when there is one, the signal
// mask nono found, then `start`.
[[noreturn]] void command_process(const std::function<void()>& start, const sigset_t& original_mask, pid_t reaper,
                                  int terminal) {
    // The reaper's end must end the command even if it could not kill it (SIGKILL to it).
    if (!die_with_parent(reaper)) _exit(kExitSandboxFailed);
    sigprocmask(SIG_SETMASK, &original_mask, nullptr);
    if (setsid() < 0) die("Failed to start a session for the command");
    if (terminal >= 0 && ioctl(terminal, TIOCSCTTY, 0) != 0) die("Failed to give the command its terminal");
    start();
    _exit(kExitSandboxFailed);
}

// Starts the command's process and runs `command` in it, which never returns (it execs, or
// exits). With vfork where the system allows it (process.hpp): the process shares the
// reaper's memory until it execs, while the reaper waits, so nothing is copied for it,
// neither page tables nor the pages it writes (a page fault costs some 17 µs on a slow
// virtual machine). What it changes of that memory stays the reaper's, which only waits for
// it afterwards. -1 and errno on failure.
pid_t start_command(const std::function<void()>& command) {
    const pid_t child = command_shares_memory() ? vfork() : fork();
    if (child == 0) {
        // An exception must not unwind into the reaper's frames, on the stack it may share.
        try {
            command();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "nono: the command could not be started: %s\n", e.what());
        } catch (...) {
            std::fprintf(stderr, "nono: the command could not be started\n");
        }
        _exit(kExitSandboxFailed);
    }
    return child;
}

// The reaper (see supervisor.hpp). Exits with the command's status as a shell reports it.
// `namespaces`: the view to lay out, when cloned into them; `host_root`: "/" as nono sees it
// (see remove_private_tmp), or AT_FDCWD without namespaces.
[[noreturn]] void reaper_process(const std::function<void()>& start, const Supervision& supervision,
                                 const NamespacePlan* namespaces, bool in_cgroup, int host_root,
                                 const Terminal& terminal, int supervisor_gone, const sigset_t& original_mask) {
    // The run's cgroup and namespaces first, before any process of the run starts.
    try {
        enter_run(supervision.cgroup_procs, in_cgroup, namespaces);
    } catch (const SandboxError& e) {
        std::fprintf(stderr, "nono: %s\n%s\n", e.what(), e.hint.c_str());
        _exit(kExitSandboxFailed);
    }
    // Out of the user's session: the terminal's signals and hangup go to nono, which forwards them.
    if (setsid() < 0) die("Failed to start a session for the reaper");
    if (!become_subreaper()) die("Failed to become a child subreaper");
    // The user's terminal, which nono puts in raw mode while it relays input: should nono be
    // killed (SIGKILL leaves it no time), the reaper gives the terminal its modes back. The
    // command closes this descriptor before exec with every other it is not given.
    const int user_terminal = terminal.input >= 0 ? fcntl(terminal.user, F_DUPFD_CLOEXEC, 3) : -1;
    for (int fd : terminal.replaced)
        if (dup2(terminal.slave, fd) < 0) die("Failed to hand the command its terminal");
    std::vector<int> keep = supervision.keep_fds;
    keep.push_back(supervisor_gone);
    if (namespaces) keep.push_back(host_root);
    if (user_terminal >= 0) keep.push_back(user_terminal);
    try {
        close_inherited_fds(keep);
    } catch (const SandboxError& e) {
        std::fprintf(stderr, "nono: %s\n%s\n", e.what(), e.hint.c_str());
        _exit(kExitSandboxFailed);
    }
    if (user_terminal >= 0) fcntl(user_terminal, F_SETFD, FD_CLOEXEC);
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGCHLD);
    for (int sig : kForwarded) sigaddset(&watched, sig);
    const int signals = watch_signals(watched);
    if (signals < 0) die("Failed to watch signals");

    const pid_t reaper = getpid();
    const pid_t command = start_command(
        [&] { command_process(start, original_mask, reaper, terminal.replaced.empty() ? -1 : terminal.replaced.front()); });
    if (command < 0) die("Failed to start the command");

    int status = 128 + SIGKILL;  // should nono go first
    bool nono_gone = false;
    for (bool running = true; running;) {
        pollfd events[] = {{signals, POLLIN, 0}, {supervisor_gone, POLLIN, 0}};
        if (poll(events, 2, -1) < 0) continue;  // EINTR: SIGSTOP and SIGCONT
        if (events[1].revents) {               // nono is gone, however it ended
            if (user_terminal >= 0) tcsetattr(user_terminal, TCSADRAIN, &terminal.modes);
            nono_gone = true;
            break;
        }
        const int sig = next_signal(signals);
        if (sig == 0) continue;
        if (sig != SIGCHLD) {
            kill(command, sig);
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
    // In the namespaces, the reaper is the pid namespace's init: as it exits, the kernel kills
    // what the command left and waits for it, and the view with the private directory's
    // binds goes too. nono removes the directory then, from its own view (supervise).
    if (namespaces && !nono_gone) _exit(status);
    kill_descendants();
    // A directory bound onto itself in this view cannot be removed here (EBUSY) until the
    // bind is gone; nothing of the run is left to need it.
    if (namespaces) unbind_private_tmp(supervision.private_tmp.path);
    remove_private_tmp(supervision.private_tmp, host_root);
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
        const int sig = next_signal(signals);
        if (sig == 0) continue;
        if (sig == SIGWINCH) {
            winsize size{};
            if (ioctl(terminal.user, TIOCGWINSZ, &size) == 0) ioctl(terminal.master, TIOCSWINSZ, &size);
        } else if (sig != SIGCHLD) {
            kill(reaper, sig);
        } else {
            int wstatus;
            for (pid_t reaped; (reaped = waitpid(-1, &wstatus, WNOHANG)) > 0;)
                if (reaped == reaper) return shell_status(wstatus);
        }
    }
}

// The descriptors nono holds for one run, closed however it ends.
struct Held {
    int fds[5] = {-1, -1, -1, -1, -1};
    ~Held() {
        for (int fd : fds)
            if (fd >= 0) close(fd);
    }
};

}  // namespace

int supervise(const std::function<void()>& start, const Supervision& supervision) {
    // Not dumpable: no process of the user's (the sandbox least of all) may ptrace nono or
    // open its descriptors through /proc. A subreaper: should the reaper be killed, the
    // processes it leaves come to nono, which kills them.
    if (!guard_supervisor()) {
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

    // Blocked from before the fork, so that none is lost; read through watch_signals.
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
    held.fds[2] = watch_signals(watched);
    // The reaper's end of this pipe sees end-of-file when nono exits, whatever way.
    int gone[2];
    if (held.fds[2] < 0 || pipe(gone) != 0 || fcntl(gone[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(gone[1], F_SETFD, FD_CLOEXEC) != 0) {
        std::fprintf(stderr, "nono: Failed to set up the supervisor: %s\n", std::strerror(errno));
        return kExitSandboxFailed;
    }
    held.fds[3] = gone[1];
    // The file system as nono sees it, for the reaper to remove the private directory at the
    // end: in the namespaces' view its path may lead elsewhere, and it holds a bind of itself.
    const NamespacePlan* namespaces = supervision.namespaces;
    int host_root = AT_FDCWD;
    if (namespaces && (host_root = held.fds[4] = open_host_root()) < 0) {
        close(gone[0]);
        std::fprintf(stderr, "nono: Failed to open /: %s\n", std::strerror(errno));
        return kExitSandboxFailed;
    }

    // The run's cgroup is made before this point (or by without_namespaces), and the reaper
    // starts in it or joins it first.
    bool in_cgroup = false;
    pid_t reaper = start_reaper(namespaces != nullptr, supervision.cgroup_dir, in_cgroup);
    if (reaper < 0 && namespaces) {
        // The kernel refuses them (a seccomp filter, a sysctl, an LSM): the caller decides
        // whether the run goes on without.
        const int refused = errno;
        if (!supervision.without_namespaces || !supervision.without_namespaces(refused)) {
            close(gone[0]);
            return kExitSandboxFailed;
        }
        namespaces = nullptr;
        reaper = start_reaper(false, supervision.cgroup_dir, in_cgroup);
    }
    if (reaper < 0) {
        close(gone[0]);
        std::fprintf(stderr, "nono: Failed to start the command: %s\n", std::strerror(errno));
        return kExitSandboxFailed;
    }
    if (reaper == 0) reaper_process(start, supervision, namespaces, in_cgroup, host_root, terminal, gone[0], original_mask);
    close(gone[0]);
    close(terminal.slave);
    held.fds[1] = -1;
    if (supervision.serve) supervision.serve();

    enter_raw_mode(terminal);
    const int status = supervise_reaper(reaper, held.fds[2], terminal);
    kill_descendants();  // what the reaper could not: only if someone killed it
    if (terminal.master >= 0) {
        while (relay_output(terminal)) {
        }
        const std::string rest = terminal.clipboard_reads.rest();
        write_all(terminal.output, rest.data(), rest.size());
    }
    drop_answers(terminal);
    restore_modes(terminal);
    // What the reaper leaves with namespaces (or could not do, had someone killed it).
    remove_private_tmp(supervision.private_tmp);
    return status;
}

}  // namespace nono::runtime
