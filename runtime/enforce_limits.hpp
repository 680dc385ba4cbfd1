// Runtime: how a run applies its limits (plan/limits.hpp): setrlimit in the child just
// before exec (core dumps always off), and what a run without a cgroup of its own enforces
// more weakly than the profile says.
#pragma once

#include <string>
#include <vector>

#include "plan/limits.hpp"

namespace nono::limits {

// How a run enforces each limit: what weaker_than_written and describe report. The run's
// cgroup (runtime/run_cgroup) fills it in.
struct Enforcement {
    std::string cgroup;     // where the run's cgroup is made (its parent); empty: none
    std::string no_cgroup;  // why there is none
    bool memory = false;    // its memory.max bounds the run's processes together
    bool pids = false;      // its pids.max bounds the number of the run's processes
    bool root = false;      // real uid 0: RLIMIT_NPROC does not bind it
};

// The limits this machine enforces more weakly than written, one line each.
std::vector<std::string> weaker_than_written(const Limits& limits, const Enforcement& enforcement);
// The --dry-run lines: each limit and how it is enforced here.
std::string describe(const Limits& limits, const Enforcement& enforcement);

// setrlimit for every limit, soft and hard alike, never above a hard limit the process
// already has; RLIMIT_CORE 0 always; SIGXFSZ ignored under a file-size limit, so that an
// over-long write fails with EFBIG instead of killing the writer. Called in the child just
// before exec. Throws runtime::SandboxError.
void apply_rlimits(const Limits& limits);

}  // namespace nono::limits
