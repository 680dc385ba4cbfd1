// Runtime: the command's environment, its inherited descriptors, exec (see command.hpp).
#include "runtime/command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <utility>

#include "runtime/process.hpp"
#include "runtime/secret_names.hpp"

namespace nono::runtime {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

void close_inherited_fds(const std::vector<int>& keep) {
    std::vector<int> kept;
    for (int fd : keep)
        if (fd > 2) kept.push_back(fd);
    std::sort(kept.begin(), kept.end());
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    unsigned first = 3;
    auto close_upto = [&](unsigned last) {
        if (first <= last) close_descriptors(first, last);
    };
    for (int fd : kept) {
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0)
            throw SandboxError("Cannot keep file descriptor " + std::to_string(fd) + ": " + errno_text(errno),
                               "Hint: --keep-fd names a descriptor open in the calling shell.");
        if (fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) != 0)
            throw SandboxError("Cannot keep file descriptor " + std::to_string(fd) + ": " + errno_text(errno),
                               "Hint: --keep-fd names a descriptor open in the calling shell.");
        close_upto(static_cast<unsigned>(fd) - 1);
        first = static_cast<unsigned>(fd) + 1;
    }
    close_upto(~0u);
}

std::vector<std::string> command_environment(const landlock::EnvPlan& env, char** parent_environ) {
    // glibc's list of variables it ignores for setuid programs (unsecvars.h) minus TMPDIR
    // and TZDIR, plus GLIBC_TUNABLES: each makes the loader or libc read a file or load code.
    static constexpr std::string_view kInjecting[] = {
        "GCONV_PATH",   "GETCONF_DIR",      "GLIBC_TUNABLES", "HOSTALIASES",   "LD_AUDIT",     "LD_DEBUG",
        "LD_DEBUG_OUTPUT", "LD_DYNAMIC_WEAK", "LD_HWCAP_MASK", "LD_LIBRARY_PATH", "LD_ORIGIN_PATH", "LD_PRELOAD",
        "LD_PROFILE",   "LD_SHOW_AUXV",     "LD_USE_LOAD_BIAS", "LOCALDOMAIN", "LOCPATH",      "MALLOC_TRACE",
        "NIS_PATH",     "NLSPATH",          "RESOLV_HOST_CONF", "RES_OPTIONS",
    };
    auto listed = [](const auto& list, std::string_view name) {
        return std::find(std::begin(list), std::end(list), name) != std::end(list);
    };
    std::vector<std::string> out;
    for (char** e = parent_environ; e && *e; ++e) {
        std::string_view entry = *e;
        std::string_view name = entry.substr(0, entry.find('='));
        if (listed(env.drop, name)) continue;
        if ((listed(kInjecting, name) || is_secret_name(name)) && !listed(env.keep, name)) continue;
        if (std::any_of(env.set.begin(), env.set.end(), [&](const auto& kv) { return kv.first == name; })) continue;
        out.emplace_back(entry);
    }
    for (const auto& [name, value] : env.set) out.push_back(name + "=" + value);
    return out;
}

PreparedCommand::PreparedCommand(std::vector<std::string> argv, std::vector<std::string> envp)
    : argv_(std::move(argv)), envp_(std::move(envp)) {
    for (const std::string& a : argv_) args_.push_back(const_cast<char*>(a.c_str()));
    for (const std::string& e : envp_) env_.push_back(const_cast<char*>(e.c_str()));
    args_.push_back(nullptr);
    env_.push_back(nullptr);
    if (argv_.empty()) return;
    const std::string& command = argv_.front();
    if (command.find('/') != std::string::npos) {
        candidates_.push_back(command);
        return;
    }
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    for (const std::string& e : envp_)
        if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
    for (std::size_t start = 0; start <= path.size();) {
        const std::size_t colon = std::min(path.find(':', start), path.size());
        const std::string dir = path.substr(start, colon - start);
        candidates_.push_back((dir.empty() ? "." : dir) + "/" + command);
        start = colon + 1;
    }
}

void PreparedCommand::exec() const {
    if (argv_.empty()) {
        std::fprintf(stderr, "nono: no command to run\n");
        _exit(kExitSandboxFailed);
    }
    const std::string& command = argv_.front();
    // As a shell: a path is run or refused as it is; in a PATH search, the first file found
    // but not run is the one reported, else "not found".
    const bool searched = command.find('/') == std::string::npos;
    int err = ENOENT;
    const std::string* refused = nullptr;
    for (const std::string& candidate : candidates_) {
        execve(candidate.c_str(), args_.data(), env_.data());
        if (!refused && (!searched || (errno != ENOENT && errno != ENOTDIR))) {
            err = errno;
            refused = &candidate;
        }
    }
    if (err == ENOENT) {
        std::fprintf(stderr, "nono: %s: command not found\n", command.c_str());
        _exit(kExitNotFound);
    }
    std::fprintf(stderr, "nono: %s: %s: %s\n", command.c_str(), refused->c_str(), std::strerror(err));
    if (err == EACCES || err == EPERM) {
        // The sandbox is the likely cause: say what would allow it, with the directory a
        // grant would name (the file itself, its interpreter and loader all need exec).
        const std::size_t slash = refused->rfind('/');
        std::string dir = slash == 0 ? "/" : refused->substr(0, slash);
        if (dir[0] != '/') {
            char cwd[PATH_MAX];
            if (getcwd(cwd, sizeof cwd)) dir = std::string(cwd) + "/" + dir;
        }
        std::fprintf(stderr,
                     "Hint: the profile may not allow executing it (or the interpreter on its #! line): "
                     "`allow exec %s` in a profile, or `nono run --exec %s`.\n",
                     dir.c_str(), dir.c_str());
    }
    _exit(kExitCannotExecute);
}

}  // namespace nono::runtime
