// Start-up overhead of running a program under nono, against the peers a user would pick
// instead, in one run, each running /bin/true: bare exec; one extra exec, the floor for any
// launcher (`env`, and a static program that only execs, as nono is static); the floor for
// the namespace mode (a static program with its processes and namespaces and nothing else:
// bench/launcher/namespaces_only.c), and with the least work that mode requires for the plan
// below (its view, Landlock rules and seccomp filter, made with the kernel's calls alone:
// bench/launcher/namespace_mode_least.c); `nono exec
// --profile python-agent`; the same profile precompiled (`nono exec --plan`, compiled here
// first with the nonoc next to NONO_BINARY); `nono run --allow-cwd`; bubblewrap; firejail.
// nono runs supervised (a fork, the reaper, the private temporary directory) unless a row
// says --no-supervisor; the difference is what the supervisor costs at start, and the row
// "on a terminal" adds the pseudo-terminal nono relays. Supervised, nono runs in its
// namespace mode (user, mount, pid, ipc, uts and the read-only view) where this machine
// allows it; the rows "without namespaces" refuse them to nono as a container's seccomp
// profile would (the escape suite's with_syscalls_failing, when the tests are built, one
// more static exec in front), so each mode's start shows against bubblewrap's, run as the
// issues measure it and with the same namespaces as nono's (--unshare-all). Prints medians of
// wall time and of CPU time (what the command and the processes it waited for spent; a loaded
// machine stretches wall time with every hand-over between processes, CPU time much less),
// each over the bare exec and as a multiple of bubblewrap's. Peers that are not installed
// are listed as such; any installed command that fails makes the run fail.
//
// Then the relay's throughput: a command writing 1 GiB to its stdout, a pipe (nono passes
// it through: no copy, so the figure must equal the bare one) or a terminal (nono copies
// every byte from its pseudo-terminal to the user's).
//
//   exec_bench [RUNS] [NONO_BINARY]
#include <fcntl.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Case {
    std::string name;
    std::vector<std::string> argv;
    bool on_terminal = false;  // stdin, stdout and stderr a terminal, as in an interactive shell
};

// A pseudo-terminal standing for the user's: the master is read here, the slave given to
// the command. Closed at exit.
struct Terminal {
    int master = -1;
    std::string slave;
    Terminal() {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
            std::perror("exec_bench: a pseudo-terminal");
            std::exit(1);
        }
        slave = ptsname(master);
        winsize size{24, 80, 0, 0};
        ioctl(master, TIOCSWINSZ, &size);
    }
};

// Starts `argv` with stdin, stdout and stderr on `terminal`'s slave, or else stdin and
// stderr on /dev/null and stdout on `stdout_fd` (-1: /dev/null). False when it could not.
// The slave is opened here and closed once the child holds it: opened by the child, a
// reader of the master could find no slave open yet and take EIO for the end.
bool spawn(const std::vector<std::string>& argv, const Terminal* terminal, int stdout_fd, pid_t& pid) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int slave = terminal ? open(terminal->slave.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    if (terminal && slave < 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (terminal) {
        for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) posix_spawn_file_actions_adddup2(&actions, slave, fd);
    } else {
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDWR, 0);
        if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
        else posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (slave >= 0) close(slave);
    return rc == 0;
}

bool succeeded(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The CPU time of this process and of every process started from it since, in nanoseconds
// (perf's task-clock, inherited: a child's time is added when it ends, whoever reaps it,
// which wait4's rusage misses for a tree whose init no one here waits for, as bubblewrap's
// with a pid namespace). -1 where perf events are refused (perf_event_paranoid).
class CpuClock {
public:
    CpuClock() {
        perf_event_attr attr{};
        attr.size = sizeof attr;
        attr.type = PERF_TYPE_SOFTWARE;
        attr.config = PERF_COUNT_SW_TASK_CLOCK;
        attr.inherit = 1;
        fd_ = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    }
    double now_us() const {
        std::uint64_t ns = 0;
        return fd_ >= 0 && read(fd_, &ns, sizeof ns) == sizeof ns ? static_cast<double>(ns) / 1000.0 : -1;
    }

private:
    int fd_ = -1;
};

// One fork+exec+wait, in microseconds: its wall time, and the CPU time it took (with this
// process's own small share in starting and waiting), which a loaded machine changes far
// less. Negative wall time when the command failed.
struct Cost {
    double wall = -1, cpu = -1;
};
Cost run_once(const std::vector<std::string>& argv, const Terminal* terminal = nullptr) {
    static const CpuClock clock;
    const double cpu_start = clock.now_us();
    auto start = std::chrono::steady_clock::now();
    pid_t pid;
    if (!spawn(argv, terminal, -1, pid) || !succeeded(pid)) return {};
    Cost cost;
    cost.wall = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (cpu_start >= 0) cost.cpu = clock.now_us() - cpu_start;
    // What the run wrote to the terminal (nono's lines at start), unread, would fill the
    // pseudo-terminal's few kilobytes of buffer within a hundred runs and block a later run.
    if (terminal) tcflush(terminal->master, TCIFLUSH);
    return cost;
}

// Seconds for `argv` to write `bytes` to its stdout (a pipe, or `terminal`) and exit,
// read here as they come; negative when it failed or wrote another amount.
double stream_once(const std::vector<std::string>& argv, const Terminal* terminal, std::size_t bytes) {
    int ends[2] = {-1, -1};
    if (!terminal && pipe2(ends, O_CLOEXEC) != 0) return -1;
    const int from = terminal ? terminal->master : ends[0];
    // What the timed runs on the terminal wrote (nono's lines at start) is not this run's.
    if (terminal) tcflush(from, TCIFLUSH);
    auto start = std::chrono::steady_clock::now();
    pid_t pid;
    const bool started = spawn(argv, terminal, ends[1], pid);
    if (ends[1] >= 0) close(ends[1]);
    if (!started) return -1;
    static char buffer[1 << 16];
    std::size_t total = 0;
    // A pipe ends at end-of-file; a terminal's master reports EIO once no slave is open.
    for (ssize_t n; (n = read(from, buffer, sizeof buffer)) > 0;) total += static_cast<std::size_t>(n);
    const bool ok = succeeded(pid);
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (ends[0] >= 0) close(ends[0]);
    if (!ok || total != bytes) return -1;
    return std::chrono::duration<double>(elapsed).count();
}

bool runnable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// The sizes of `plan` as the namespace-mode floor reads them (bench/launcher/
// namespace_mode_least.c), from nono's dry run: its Landlock path rules, its write grants
// bound read-write (those that exist: the dry run's private directory is gone; the launcher
// makes its own), and its seccomp filter's length. False when the dry run failed or showed
// no rule or no filter.
bool write_plan_sizes(const std::string& nono, const std::string& plan, const std::string& to) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return false;
    pid_t pid;
    const bool started = spawn({nono, "exec", "--plan", plan, "--dry-run", "--", "/bin/true"}, nullptr, ends[1], pid);
    close(ends[1]);
    std::string shown;
    char buffer[4096];
    for (ssize_t n; started && (n = read(ends[0], buffer, sizeof buffer)) > 0;) shown.append(buffer, static_cast<std::size_t>(n));
    close(ends[0]);
    if (!started || !succeeded(pid)) return false;
    std::string sizes;
    bool filter = false;
    for (std::size_t at = 0, end; at < shown.size(); at = end + 1) {
        end = std::min(shown.find('\n', at), shown.size());
        const std::string line = shown.substr(at, end - at);
        const std::size_t last = line.rfind(' ');
        if (line.starts_with("allow ") && last != std::string::npos && line[last + 1] == '/') {
            sizes += "rule " + line.substr(last + 1) + "\n";
        } else if (line.starts_with("  read-write: ") && line.find(" = ") == std::string::npos) {
            const std::string path = line.substr(14, line.find(' ', 14) - 14);
            if (access(path.c_str(), F_OK) == 0) sizes += "bind " + path + "\n";
        } else if (line.starts_with("seccomp filter (") && line.find("): ") != std::string::npos) {
            sizes += "filter " + std::to_string(std::atoi(line.c_str() + line.find("): ") + 3)) + "\n";
            filter = true;
        }
    }
    const int fd = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const bool written = fd >= 0 && write(fd, sizes.data(), sizes.size()) == static_cast<ssize_t>(sizes.size());
    if (fd >= 0) close(fd);
    return written && filter && sizes.starts_with("rule ");
}

}  // namespace

int main(int argc, char** argv) {
    int runs = argc > 1 ? std::atoi(argv[1]) : 200;
    std::string nono = argc > 2 ? argv[2] : std::string(NONO_REPO_DIR) + "/build/nono";
    const std::string nonoc = nono.substr(0, nono.rfind('/') + 1) + "nonoc";
    const std::string without_namespaces = nono.substr(0, nono.rfind('/') + 1) + "tests/escape/with_syscalls_failing";
    char plan_dir[] = "/tmp/nono-exec-bench-XXXXXX";
    if (!mkdtemp(plan_dir)) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string plan = std::string(plan_dir) + "/python-agent.plan";
    if (run_once({nonoc, "compile", "python-agent", "--target", "plan", "-o", plan_dir}).wall < 0) {
        std::fprintf(stderr, "exec_bench: `%s compile python-agent --target plan` failed\n", nonoc.c_str());
        return 1;
    }
    const std::string plan_sizes = std::string(plan_dir) + "/sizes";
    if (!write_plan_sizes(nono, plan, plan_sizes)) {
        std::fprintf(stderr, "exec_bench: `%s exec --plan %s --dry-run` showed no rules or filter\n", nono.c_str(), plan.c_str());
        return 1;
    }
    std::vector<Case> cases = {
        {"bare /bin/true", {"/bin/true"}},
        // The floor for any launcher that execs the command: one more small program, dynamic
        // like most, or static like nono.
        {"env /bin/true (one extra exec)", {"/usr/bin/env", "/bin/true"}},
        {"static exec-only launcher", {NONO_EXEC_ONLY, "/bin/true"}},
        // The floor for the namespace mode: its three processes and five namespaces, nothing else.
        {"static namespaces-only launcher", {NONO_NAMESPACES_ONLY, "/bin/true"}},
        // The floor for the namespace mode with the plan's work: its view, rules and filter,
        // made with the kernel's calls and nothing else.
        {"least namespace-mode launcher", {NONO_NAMESPACE_MODE_LEAST, plan_sizes, "/bin/true"}},
        {"nono exec --profile python-agent", {nono, "exec", "--profile", "python-agent", "--", "/bin/true"}},
        {"nono exec --profile, --no-supervisor",
         {nono, "exec", "--profile", "python-agent", "--no-supervisor", "--", "/bin/true"}},
        {"nono exec --plan python-agent.plan", {nono, "exec", "--plan", plan, "--", "/bin/true"}},
        {"nono exec --plan --no-supervisor", {nono, "exec", "--plan", plan, "--no-supervisor", "--", "/bin/true"}},
        {"nono exec --plan, on a terminal", {nono, "exec", "--plan", plan, "--", "/bin/true"}, true},
        {"nono exec --profile, no namespaces",
         {without_namespaces, "namespaces", nono, "exec", "--allow-weaker", "--profile", "python-agent", "--", "/bin/true"}},
        {"nono exec --plan, no namespaces",
         {without_namespaces, "namespaces", nono, "exec", "--allow-weaker", "--plan", plan, "--", "/bin/true"}},
        {"nono run --allow-cwd", {nono, "run", "--allow-cwd", "--", "/bin/true"}},
        {"bwrap --ro-bind / / --dev --proc", {"/usr/bin/bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--", "/bin/true"}},
        // The namespaces nono's namespace mode has (user, mount, pid, ipc, uts), and network and cgroup.
        {"bwrap --unshare-all, same binds",
         {"/usr/bin/bwrap", "--unshare-all", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--", "/bin/true"}},
        {"firejail --quiet --noprofile", {"/usr/bin/firejail", "--quiet", "--noprofile", "/bin/true"}},
    };

    // Round-robin, one run of each command per round, so a change in the machine's load
    // weighs on every command alike.
    std::vector<std::vector<double>> walls(cases.size()), cpus(cases.size());
    std::vector<bool> installed(cases.size()), failed(cases.size(), false);
    for (std::size_t c = 0; c < cases.size(); ++c) installed[c] = runnable(cases[c].argv[0]);
    const Terminal terminal;
    for (int i = 0; i < runs; ++i)
        for (std::size_t c = 0; c < cases.size(); ++c) {
            if (!installed[c] || failed[c]) continue;
            const Cost cost = run_once(cases[c].argv, cases[c].on_terminal ? &terminal : nullptr);
            if (cost.wall < 0) {
                failed[c] = true;
                continue;
            }
            walls[c].push_back(cost.wall);
            cpus[c].push_back(cost.cpu);
        }
    auto median_ms = [&](std::vector<double>& v) {
        std::nth_element(v.begin(), v.begin() + runs / 2, v.end());
        return v[runs / 2] / 1000.0;
    };
    // Each command's cost over the bare exec, and as a multiple of bubblewrap's (its first
    // row, the one the issues measure against), in wall time and in CPU time.
    std::vector<double> wall(cases.size(), -1), cpu(cases.size(), -1);
    for (std::size_t c = 0; c < cases.size(); ++c)
        if (installed[c] && !failed[c]) {
            wall[c] = median_ms(walls[c]);
            cpu[c] = median_ms(cpus[c]);
        }
    const auto bwrap = std::find_if(cases.begin(), cases.end(), [](const Case& k) { return k.argv[0] == "/usr/bin/bwrap"; });
    const std::size_t peer = static_cast<std::size_t>(bwrap - cases.begin());
    const bool have_peer = bwrap != cases.end() && wall[peer] >= 0;

    std::printf("exec overhead: medians of fork+exec+wait of /bin/true, %d runs each, interleaved; wall time, and the\n"
                "CPU time of the command and the processes it waited for; \"x bwrap\": overhead over the bare exec,\n"
                "as a multiple of bubblewrap's\n\n", runs);
    std::printf("| %-34s | %9s | %9s | %7s | %8s | %9s | %7s |\n", "command", "wall (ms)", "over bare", "x bwrap",
                "CPU (ms)", "over bare", "x bwrap");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(11, '-').c_str(),
                std::string(11, '-').c_str(), std::string(9, '-').c_str(), std::string(10, '-').c_str(),
                std::string(11, '-').c_str(), std::string(9, '-').c_str());
    for (std::size_t c = 0; c < cases.size(); ++c) {
        const char* name = cases[c].name.c_str();
        if (wall[c] < 0) {
            std::printf("| %-34s | %9s | %9s | %7s | %8s | %9s | %7s |\n", name,
                        installed[c] ? "failed" : "not installed", "", "", "", "", "");
            continue;
        }
        const double wall_over = wall[c] - wall[0], cpu_over = cpu[c] - cpu[0];
        auto ratio = [&](double over, const std::vector<double>& of) {
            return have_peer && of[peer] - of[0] > 0 ? over / (of[peer] - of[0]) : 0.0;
        };
        std::printf("| %-34s | %9.3f | %9.3f | %7.2f |", name, wall[c], wall_over, ratio(wall_over, wall));
        if (cpu[0] < 0) std::printf(" %8s | %9s | %7s |\n", "refused", "", "");
        else std::printf(" %8.3f | %9.3f | %7.2f |\n", cpu[c], cpu_over, ratio(cpu_over, cpu));
    }
    if (cpu[0] < 0) std::printf("\n(CPU time: perf events are refused here; see /proc/sys/kernel/perf_event_paranoid)\n");

    // The relay: 1 GiB from dd (64 MiB for a smoke run), to a pipe and to a terminal; the
    // median of a few runs.
    const int streams = std::max(1, std::min(runs, 3));
    const std::size_t mib = runs < 10 ? 64 : 1024;
    const std::vector<std::string> dd = {"/usr/bin/dd", "if=/dev/zero", "bs=1M", "count=" + std::to_string(mib), "status=none"};
    auto under_nono = [&](std::vector<std::string> extra) {
        std::vector<std::string> argv = {nono, "exec", "-q", "--plan", plan};  // dd's bytes only
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back("--");
        argv.insert(argv.end(), dd.begin(), dd.end());
        return argv;
    };
    const std::vector<Case> streaming = {
        {"dd to a pipe, bare", dd},
        {"dd to a pipe, nono --no-supervisor", under_nono({"--no-supervisor"})},
        {"dd to a pipe, nono (supervised)", under_nono({})},
        {"dd to a terminal, bare", dd, true},
        {"dd to a terminal, nono (pty relay)", under_nono({}), true},
    };
    std::printf("\nrelay throughput: a command writing %zu MiB to its stdout, median of %d runs\n\n", mib, streams);
    std::printf("| %-36s | %10s | %10s |\n", "command", "time (s)", "MiB/s");
    std::printf("|%s|%s|%s|\n", std::string(38, '-').c_str(), std::string(12, '-').c_str(), std::string(12, '-').c_str());
    for (const Case& c : streaming) {
        std::vector<double> t;
        for (int i = 0; i < streams; ++i) {
            const double s = stream_once(c.argv, c.on_terminal ? &terminal : nullptr, mib << 20);
            if (s < 0) {
                failed.push_back(true);
                break;
            }
            t.push_back(s);
        }
        if (t.size() < static_cast<std::size_t>(streams)) {
            std::printf("| %-36s | %10s | %10s |\n", c.name.c_str(), "failed", "");
            continue;
        }
        std::nth_element(t.begin(), t.begin() + streams / 2, t.end());
        const double median = t[streams / 2];
        std::printf("| %-36s | %10.2f | %10.0f |\n", c.name.c_str(), median, static_cast<double>(mib) / median);
    }
    unlink(plan.c_str());
    unlink(plan_sizes.c_str());
    rmdir(plan_dir);
    // An installed command that fails makes the figures meaningless.
    return std::find(failed.begin(), failed.end(), true) != failed.end() ? 1 : 0;
}
