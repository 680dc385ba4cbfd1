// Enforcement test harness (see harness.hpp).
#include "harness.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace nono::test {

TempDir::TempDir() {
    char tmpl[] = "/tmp/nono-enforce-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
}
TempDir::~TempDir() { std::filesystem::remove_all(path); }
void TempDir::file(const std::string& name, const std::string& content) const { std::ofstream(*this / name) << content; }
void TempDir::dir(const std::string& name) const { std::filesystem::create_directories(*this / name); }

int open_error(const std::string& path, int flags) {
    int fd = open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}

int wait_or_kill(pid_t pid, std::source_location where) {
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    REQUIRE_MESSAGE(pidfd >= 0, "pidfd_open of the test's child: " << std::strerror(errno));
    pollfd exited{pidfd, POLLIN, 0};
    int ready;
    while ((ready = poll(&exited, 1, kChildDeadlineSeconds * 1000)) < 0 && errno == EINTR) {
    }
    close(pidfd);
    if (ready == 0) kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (ready == 0)
        FAIL("the child started at " << std::string(where.file_name()) << ":" << where.line() << " hung: killed after "
                                     << kChildDeadlineSeconds << " s");
    return status;
}

void not_checked(const std::string& what) {
    MESSAGE("not checked here: " << what);
    if (const char* log = std::getenv("NONO_SKIP_LOG"))
        std::ofstream(log, std::ios::app) << "enforcement: " << what << '\n';
}

bool landlock_offers(int abi, const std::string& what) {
    const int here = landlock::probe_abi();
    if (here >= abi) return true;
    not_checked(what + ": needs Landlock ABI " + std::to_string(abi) + ", this kernel has " + std::to_string(here));
    return false;
}

namespace {

// What a child writes back: whether it got sandboxed, and the action's result.
struct Report {
    int sandboxed = 0;
    int result = 0;
    char reason[240] = {};
};

}  // namespace

int in_sandbox(const landlock::Plan& plan, const std::function<int()>& action, runtime::SandboxOptions options,
               const std::function<void()>& prepare, std::source_location where) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        Report report;
        options.keep_fds.push_back(fds[1]);
        try {
            if (prepare) prepare();
            runtime::sandbox_self(plan, options);
            report.sandboxed = 1;
            report.result = action();
        } catch (const std::exception& e) {
            std::snprintf(report.reason, sizeof report.reason, "%s", e.what());
        }
        (void)!write(fds[1], &report, sizeof report);
        _exit(0);
    }
    close(fds[1]);
    wait_or_kill(pid, where);  // the report fits in the pipe: the child never waits for us
    Report report;
    ssize_t n = read(fds[0], &report, sizeof report);
    close(fds[0]);
    REQUIRE_MESSAGE(n == static_cast<ssize_t>(sizeof report), "the sandboxed child did not report");
    REQUIRE_MESSAGE(report.sandboxed == 1, "sandboxing failed: " << report.reason);
    return report.result;
}

int exit_status(const landlock::Plan& plan, const std::vector<std::string>& argv, runtime::SandboxOptions options,
                const std::function<void()>& prepare, std::source_location where) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (prepare) prepare();
        runtime::run_sandboxed(plan, options, runtime::PreparedCommand(argv, runtime::command_environment(plan.env, ::environ)));
    }
    const int status = wait_or_kill(pid, where);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

landlock::Plan plan_of(std::vector<landlock::PathEntry> paths) {
    landlock::Plan plan;
    plan.paths = landlock::merge_paths(std::move(paths));
    return plan;
}

std::vector<landlock::PathEntry> system_paths() {
    return {{"/usr", kRead | kExec, 0, 0}, {"/etc", kRead, 0, 0}, {"/dev/null", kRead | landlock::kAccessFsWriteFile, 0, 0}};
}

}  // namespace nono::test
