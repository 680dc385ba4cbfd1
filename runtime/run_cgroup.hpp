// Runtime: the run's own cgroup (v2), where the user's cgroup subtree lets nono make one.
//
// It holds every process of the run: the reaper starts in it (or joins it) before the
// command starts, and every process forked below inherits it, whatever session or parent it
// takes on. So:
// - `memory.max` and `pids.max` bound the run's processes together (`limit memory`,
//   `limit processes`), which setrlimit cannot: RLIMIT_AS is per process, RLIMIT_NPROC
//   counts the user's processes and does not bind root;
// - at the end, `cgroup.kill` takes every process of the run at once, even one the reaper
//   never saw (the reaper itself killed by someone outside);
// - a cgroup left by a run whose nono was killed (SIGKILL leaves no time to clean up) is
//   removed by the next run made beside it: a live run holds a lock on its cgroup.
//
// Where none can be made (cgroup v1 only, a parent not delegated to the user, a kernel
// without cgroup.kill), the run goes on without one and the limits it would have carried
// are reported weaker; the reaper alone then keeps "nothing outlives the run".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/enforce_limits.hpp"

namespace nono::run_cgroup {

// Where the unified (v2) hierarchy is mounted, from a /proc/self/mountinfo text: the first
// cgroup2 mount of the hierarchy's root ("/sys/fs/cgroup", or "/sys/fs/cgroup/unified" on
// a hybrid machine); nothing when there is none.
std::optional<std::string> cgroup2_mount(std::string_view mountinfo);

// The process's cgroup in the unified hierarchy, from a /proc/self/cgroup text
// ("0::/user.slice/…"); nothing when it is in none.
std::optional<std::string> unified_cgroup(std::string_view proc_self_cgroup);

// Where a run's cgroup could be made, and what it could bound there.
struct Place {
    std::string parent;     // the directory to make it in; empty: none
    std::string reason;     // why there is none
    bool memory = false;    // the parent hands the memory controller to its children
    bool pids = false;      // and the pids controller
};

// Beside the process's own cgroup, in its parent: a cgroup with processes in it may not
// hand controllers to children, so the process's own cannot hold the run's. The root
// cgroup is the exception (processes and children may share it): a process there makes
// the run's cgroup below it. The parent must be writable by the caller (mkdir) and so must
// its cgroup.procs (moving a process between two of its children). Making it then checks
// that the kernel offers cgroup.kill (Linux 5.14), which the end of the run relies on.
Place find_place(std::string_view proc_self_cgroup, std::string_view mountinfo);
// The same for this process.
Place probe_place();

// What a run enforces of its limits with its cgroup made at `place` (or with none, and why).
limits::Enforcement enforcement_at(const Place& place);

// One run's cgroup: made before the reaper starts, removed when the run ends.
class RunCgroup {
public:
    RunCgroup() = default;
    // Makes it in `place.parent` with the limits its controllers can carry, after removing
    // the cgroups that killed runs left there. Throws runtime::SandboxError.
    RunCgroup(const Place& place, const limits::Limits& limits);
    RunCgroup(const RunCgroup&) = delete;
    RunCgroup& operator=(const RunCgroup&) = delete;
    RunCgroup(RunCgroup&& other) noexcept;
    RunCgroup& operator=(RunCgroup&& other) noexcept;
    // Kills every process still in it, then removes it.
    ~RunCgroup();

    const std::string& path() const { return path_; }
    // Its directory, for clone3's CLONE_INTO_CGROUP (process.hpp, start_reaper); -1 when there is no cgroup.
    int dir_fd() const { return dir_; }
    // Its cgroup.procs, open for writing: the reaper writes "0" there to join, before the
    // command starts. -1 when there is no cgroup.
    int procs_fd() const { return procs_; }

private:
    void release();
    std::string path_;
    int dir_ = -1;    // holds the lock that tells a later run this one is alive
    int procs_ = -1;
};

// Moves the calling process into the cgroup whose cgroup.procs is open as `procs_fd`
// (nothing when it is -1). Throws runtime::SandboxError.
void join(int procs_fd);

}  // namespace nono::run_cgroup
