// Runtime: what a run enforces of its limits, and setrlimit (see enforce_limits.hpp).
#include "runtime/enforce_limits.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "runtime/command.hpp"

namespace nono::limits {

namespace {

// Why the run's cgroup cannot bound what `controller` counts.
std::string without_cgroup(const Enforcement& e, const char* controller) {
    return e.cgroup.empty() ? "no cgroup of the run (" + e.no_cgroup + ")"
                            : std::string("the run's cgroup has no ") + controller + " controller";
}

}  // namespace

std::vector<std::string> weaker_than_written(const Limits& limits, const Enforcement& e) {
    std::vector<std::string> weaker;
    if (limits[Kind::Memory] && !e.memory)
        weaker.push_back("limit memory " + format_amount(Kind::Memory, *limits[Kind::Memory]) + ": " +
                         without_cgroup(e, "memory") + "; RLIMIT_AS bounds each process, not the run's processes together");
    if (limits[Kind::Processes] && e.root && !e.pids)
        weaker.push_back("limit processes " + format_amount(Kind::Processes, *limits[Kind::Processes]) + ": " +
                         without_cgroup(e, "pids") + "; RLIMIT_NPROC does not bind root, so the run's processes are not bounded");
    return weaker;
}

std::string describe(const Limits& limits, const Enforcement& e) {
    std::string out = "core dumps: off (RLIMIT_CORE 0)\n";
    out += "cgroup of the run: " + (e.cgroup.empty() ? "none: " + e.no_cgroup : "nono-PID in " + e.cgroup) + "\n";
    for (const KindInfo& k : kKinds) {
        if (!limits[k.kind]) continue;
        out += "limit " + std::string(k.name) + " " + format_amount(k.kind, *limits[k.kind]) + ": ";
        switch (k.kind) {
            case Kind::Memory:
                out += e.memory ? "memory.max of the run's cgroup (swap included), and " : "";
                out += "RLIMIT_AS, per process (address space: runtimes that reserve it need more)";
                break;
            case Kind::Processes:
                out += e.pids ? "pids.max of the run's cgroup, and " : "";
                out += e.root ? "RLIMIT_NPROC, which root ignores" : "RLIMIT_NPROC, counting all of this user's processes";
                break;
            case Kind::OpenFiles: out += "RLIMIT_NOFILE, per process"; break;
            case Kind::CpuTime: out += "RLIMIT_CPU, per process (SIGXCPU, then SIGKILL a second later)"; break;
            case Kind::FileSize: out += "RLIMIT_FSIZE (a longer write fails with EFBIG)"; break;
        }
        out += "\n";
    }
    return out;
}

void apply_rlimits(const Limits& limits) {
    auto set = [](int resource, const char* name, rlim_t soft, rlim_t hard) {
        rlimit now{};
        if (getrlimit(resource, &now) != 0)
            throw runtime::SandboxError(std::string("Failed to read ") + name + ": " + std::strerror(errno),
                                        "Hint: the kernel refused getrlimit.");
        // A limit the process already has is kept when it is the lower one: never raise.
        const rlimit wanted{std::min(soft, now.rlim_max), std::min(hard, now.rlim_max)};
        if (setrlimit(resource, &wanted) != 0)
            throw runtime::SandboxError(std::string("Failed to set ") + name + ": " + std::strerror(errno),
                                        "Hint: the kernel refused setrlimit.");
    };
    set(RLIMIT_CORE, "RLIMIT_CORE", 0, 0);
    auto both = [&](Kind kind, int resource, const char* name) {
        if (limits[kind]) set(resource, name, *limits[kind], *limits[kind]);
    };
    both(Kind::Memory, RLIMIT_AS, "RLIMIT_AS");
    both(Kind::Processes, RLIMIT_NPROC, "RLIMIT_NPROC");
    both(Kind::OpenFiles, RLIMIT_NOFILE, "RLIMIT_NOFILE");
    both(Kind::FileSize, RLIMIT_FSIZE, "RLIMIT_FSIZE");
    // SIGXCPU at the limit lets a program report it (or die of it, 128+24); one that
    // ignores it is killed a second later.
    if (const auto& cpu = limits[Kind::CpuTime]) set(RLIMIT_CPU, "RLIMIT_CPU", *cpu, *cpu + 1);
    if (limits[Kind::FileSize] && std::signal(SIGXFSZ, SIG_IGN) == SIG_ERR)
        throw runtime::SandboxError(std::string("Failed to ignore SIGXFSZ: ") + std::strerror(errno),
                                    "Hint: the kernel refused sigaction.");
}

}  // namespace nono::limits
