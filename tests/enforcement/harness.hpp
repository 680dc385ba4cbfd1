// Enforcement test harness: real sandboxed children. Each check forks; the child applies a
// plan to itself, runs an action and reports the errno it got back through a pipe, so the
// test process itself is never sandboxed.
#pragma once

#include <sys/types.h>

#include <functional>
#include <source_location>
#include <string>
#include <vector>

#include "plan/landlock_plan.hpp"
#include "runtime/landlock_syscalls.hpp"
#include "runtime/sandbox.hpp"

namespace nono::test {

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct TempDir {
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string operator/(const std::string& name) const { return path + "/" + name; }
    void file(const std::string& name, const std::string& content = "x") const;
    void dir(const std::string& name) const;
    std::string path;
};

// 0 when a syscall's result says success, else the errno it set.
inline int error_of(long result) { return result < 0 ? errno : 0; }
// 0 when `path` opens with `flags` (O_CREAT: mode 0644), else the errno.
int open_error(const std::string& path, int flags);

// How long a test's child may run. One that outlives it is killed and the test fails,
// naming the call that started it: a hang is a failure with a name, never a stuck suite.
inline constexpr int kChildDeadlineSeconds = 30;

// Waits for the child `pid`; past the deadline kills it (SIGKILL) and fails the test with
// `where`. Returns the wait status.
int wait_or_kill(pid_t pid, std::source_location where);

// Runs `action` in a child restricted by `plan` (`prepare` runs first, in the child, before
// the sandbox: to become another user, say); returns what `action` returned (an errno, 0 for
// success). Fails the test if the child could not be sandboxed, did not report, or hung.
int in_sandbox(const landlock::Plan& plan, const std::function<int()>& action, runtime::SandboxOptions options = {},
               const std::function<void()>& prepare = {},
               std::source_location where = std::source_location::current());

// Forks a child that calls runtime::run_sandboxed (`prepare` runs first, in the child);
// returns the exit status, or 128 + signal.
int exit_status(const landlock::Plan& plan, const std::vector<std::string>& argv, runtime::SandboxOptions options = {},
                const std::function<void()>& prepare = {},
                std::source_location where = std::source_location::current());

// A check this machine cannot make (its kernel lacks the feature): said in the test's output
// and appended to $NONO_SKIP_LOG, which scripts/test prints in the run's last lines.
void not_checked(const std::string& what);

// Whether this kernel's Landlock has ABI `abi` (which `what` needs); if not, `what` is named
// as not checked and the test returns: a kernel's age is not a failure of the sandbox.
bool landlock_offers(int abi, const std::string& what);

// A plan with only `paths` allowed: no TCP port, every scope.
landlock::Plan plan_of(std::vector<landlock::PathEntry> paths);
// What a dynamically linked program from /usr/bin needs to start: read and exec on /usr
// (the loader and libraries; /lib and /lib64 point into it), read on /etc.
std::vector<landlock::PathEntry> system_paths();

inline constexpr landlock::Access kRead = landlock::kAccessFsReadFile | landlock::kAccessFsReadDir;
inline constexpr landlock::Access kWrite =
    landlock::kAccessFsWriteFile | landlock::kAccessFsTruncate | landlock::kAccessFsMakeReg | landlock::kAccessFsMakeDir |
    landlock::kAccessFsMakeSym | landlock::kAccessFsMakeFifo | landlock::kAccessFsMakeSock |
    landlock::kAccessFsRemoveFile | landlock::kAccessFsRemoveDir | landlock::kAccessFsRefer;
inline constexpr landlock::Access kExec = landlock::kAccessFsExecute;

}  // namespace nono::test
