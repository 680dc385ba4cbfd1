// Runtime: globs in a Landlock plan, expanded against the file system when the sandbox
// is applied (Landlock knows only concrete files). Each existing match becomes a path
// entry with the glob's rights, since a match is as specific as its path; a deny glob
// also seals its fixed directory, so an entry created there later is denied.
#pragma once

#include <string>
#include <vector>

#include "plan/landlock_plan.hpp"

namespace nono::landlock {

// A deny glob also denies, whole, every directory on its walk that cannot be listed.
// Symlinks are not followed while walking (a match may be one; Landlock resolves it when
// the rule is added). A glob whose fixed directory does not exist is listed in `skipped`
// ("PATTERN: no directory DIR").
std::vector<PathEntry> expand_globs(const std::vector<GlobEntry>& globs, std::vector<std::string>& skipped);

}  // namespace nono::landlock
