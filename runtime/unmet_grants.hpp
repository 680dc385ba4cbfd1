// Runtime: what a plan grants on paper but this file system will not give (DESIGN.md:
// missing paths are reported, never silently skipped).
#pragma once

#include <string>
#include <vector>

#include "plan/landlock_plan.hpp"

namespace nono::runtime {

// Write grants on paths that do not exist (and that the plan does not make), whose rights a
// path made there after the start would not get from the directories above it: the kernel
// refuses making or writing them in this run. Expected for the caches of tools a user may
// not have; a directory the program needs is stated with a trailing `/` and made.
std::vector<std::string> missing_write_grants(const landlock::Plan& plan);

// Directories granted create rights that a carve-out takes away (a denied path below: Landlock
// can only grant their other entries one by one, so new entries at their top level are
// refused), one line each; said at start.
std::vector<std::string> carve_out_costs(const landlock::Plan& plan);

// What this file system makes of an access the profile allows at `path` through the rule
// stated at `granted_at` (`nonoc why` asks; the runtime acts the same way): `refused` when
// the kernel will refuse it all the same (a write or create where nothing exists, or a
// directory's own listing or entries that a carve-out below it costs), and why; or a note (the directory
// is made at start; a missing path to read), or nothing.
struct OnThisMachine {
    bool refused = false;
    std::string why;
};
OnThisMachine on_this_machine(const landlock::Plan& plan, const std::string& path, const std::string& granted_at,
                              landlock::Access asked);

}  // namespace nono::runtime
