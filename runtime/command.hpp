// Runtime: what nono does in the command's process on every system, around the sandbox
// that system applies (sandbox.hpp on Linux, seatbelt.hpp on macOS): the command's
// environment, the descriptors it inherits, exec; and the error every step reports.
#pragma once

#include <unistd.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "plan/landlock_plan.hpp"

// The process's environment (POSIX), which callers hand to command_environment: declared
// here because macOS's <unistd.h> does not declare it, and glibc's only for _GNU_SOURCE.
extern "C" char** environ;

namespace nono::runtime {

// One failed step: a one-line reason and a hint, in the style of the kernel's
// samples/landlock/sandboxer.c.
struct SandboxError : std::runtime_error {
    SandboxError(const std::string& reason, std::string hint_text)
        : std::runtime_error(reason), hint(std::move(hint_text)) {}
    std::string hint;
};

// A descriptor closed when it goes out of scope; -1: none.
struct UniqueFd {
    int fd = -1;
    explicit UniqueFd(int f) : fd(f) {}
    UniqueFd(UniqueFd&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() {
        if (fd >= 0) close(fd);
    }
};

inline constexpr int kExitSandboxFailed = 125;
inline constexpr int kExitCannotExecute = 126;
inline constexpr int kExitNotFound = 127;

// Closes every descriptor above 2 except `keep` (whose close-on-exec flag is cleared).
void close_inherited_fds(const std::vector<int>& keep);

// The environment the command gets: the caller's, without the variables that let a
// parent inject code into a child (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, GLIBC_TUNABLES,
// …) and those named as secrets (secret_names.hpp) unless kept, without the dropped ones,
// with the set ones.
std::vector<std::string> command_environment(const landlock::EnvPlan& env, char** parent_environ);

// A command ready to exec, with its environment and the files to try (a name without `/`
// looked up in the environment's PATH, as a shell does), all made before the sandbox
// applies: nothing after it allocates, so a memory limit set last (RLIMIT_AS) cannot fail
// the exec. It points into itself: neither copied nor moved.
class PreparedCommand {
public:
    PreparedCommand(std::vector<std::string> argv, std::vector<std::string> envp);
    PreparedCommand(const PreparedCommand&) = delete;
    PreparedCommand& operator=(const PreparedCommand&) = delete;

    // execve of each candidate in turn; when none runs, prints the reason and exits 127 when
    // the command is not found, 126 when it cannot be executed (125: no command at all).
    [[noreturn]] void exec() const;

private:
    std::vector<std::string> argv_, envp_, candidates_;
    std::vector<char*> args_, env_;
};

}  // namespace nono::runtime
