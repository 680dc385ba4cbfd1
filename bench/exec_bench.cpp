// Start-up overhead of running a program under nono, against the peers a user would pick
// instead, in one run, each running /bin/true: bare exec; one extra exec, the floor for any
// launcher (`env`, and a static program that only execs, as nono is static); `nono exec
// --profile python-agent`; the same profile precompiled (`nono exec --plan`, compiled here
// first with the nonoc next to NONO_BINARY); `nono run --allow-cwd`; bubblewrap; firejail.
// Prints medians and ratios to the bare exec. Peers that are not installed are listed as
// such; any installed command that fails makes the run fail.
//
//   exec_bench [RUNS] [NONO_BINARY]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Case {
    std::string name;
    std::vector<std::string> argv;
};

// Wall time of one fork+exec+wait, in microseconds; negative when the command failed.
double run_once(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    auto start = std::chrono::steady_clock::now();
    pid_t pid;
    int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    return std::chrono::duration<double, std::micro>(elapsed).count();
}

bool runnable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

}  // namespace

int main(int argc, char** argv) {
    int runs = argc > 1 ? std::atoi(argv[1]) : 200;
    std::string nono = argc > 2 ? argv[2] : std::string(NONO_REPO_DIR) + "/build/nono";
    const std::string nonoc = nono.substr(0, nono.rfind('/') + 1) + "nonoc";
    char plan_dir[] = "/tmp/nono-exec-bench-XXXXXX";
    if (!mkdtemp(plan_dir)) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string plan = std::string(plan_dir) + "/python-agent.plan";
    if (run_once({nonoc, "compile", "python-agent", "--target", "plan", "-o", plan_dir}) < 0) {
        std::fprintf(stderr, "exec_bench: `%s compile python-agent --target plan` failed\n", nonoc.c_str());
        return 1;
    }
    std::vector<Case> cases = {
        {"bare /bin/true", {"/bin/true"}},
        // The floor for any launcher that execs the command: one more small program, dynamic
        // like most, or static like nono.
        {"env /bin/true (one extra exec)", {"/usr/bin/env", "/bin/true"}},
        {"static exec-only launcher", {NONO_EXEC_ONLY, "/bin/true"}},
        {"nono exec --profile python-agent", {nono, "exec", "--profile", "python-agent", "--", "/bin/true"}},
        {"nono exec --plan python-agent.plan", {nono, "exec", "--plan", plan, "--", "/bin/true"}},
        {"nono run --allow-cwd", {nono, "run", "--allow-cwd", "--", "/bin/true"}},
        {"bwrap --ro-bind / / --dev --proc", {"/usr/bin/bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--", "/bin/true"}},
        {"firejail --quiet --noprofile", {"/usr/bin/firejail", "--quiet", "--noprofile", "/bin/true"}},
    };

    // Round-robin, one run of each command per round, so a change in the machine's load
    // weighs on every command alike.
    std::vector<std::vector<double>> times(cases.size());
    std::vector<bool> installed(cases.size()), failed(cases.size(), false);
    for (std::size_t c = 0; c < cases.size(); ++c) installed[c] = runnable(cases[c].argv[0]);
    for (int i = 0; i < runs; ++i)
        for (std::size_t c = 0; c < cases.size(); ++c) {
            if (!installed[c] || failed[c]) continue;
            const double t = run_once(cases[c].argv);
            if (t < 0)
                failed[c] = true;
            else
                times[c].push_back(t);
        }

    std::printf("exec overhead: median wall time of fork+exec+wait of /bin/true, %d runs each, interleaved\n\n", runs);
    std::printf("| %-34s | %12s | %13s | %9s |\n", "command", "median (ms)", "overhead (ms)", "x bare");
    std::printf("|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(14, '-').c_str(),
                std::string(15, '-').c_str(), std::string(11, '-').c_str());
    double bare = 0;
    for (std::size_t c = 0; c < cases.size(); ++c) {
        const char* name = cases[c].name.c_str();
        if (!installed[c]) {
            std::printf("| %-34s | %12s | %13s | %9s |\n", name, "not installed", "", "");
            continue;
        }
        if (failed[c]) {
            std::printf("| %-34s | %12s | %13s | %9s |\n", name, "failed", "", "");
            continue;
        }
        std::vector<double>& t = times[c];
        std::nth_element(t.begin(), t.begin() + runs / 2, t.end());
        const double median = t[runs / 2] / 1000.0;
        if (bare == 0) bare = median;
        std::printf("| %-34s | %12.3f | %13.3f | %9.2f |\n", name, median, median - bare, median / bare);
    }
    unlink(plan.c_str());
    rmdir(plan_dir);
    // An installed command that fails makes the figures meaningless.
    return std::find(failed.begin(), failed.end(), true) != failed.end() ? 1 : 0;
}
