// Stage 2a, resolve: where a profile's file is found. A name is looked up on the profile
// path, then among the built-in profiles; a parent is looked up first beside its child.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"

namespace nono {

struct ProfileSearch {
    std::vector<std::string> profile_path;  // folders searched for parents after the profile's own
    std::string builtin_dir;                // the built-in profiles and syscall-groups.nono
};

// Defaults for the search: $NONO_PROFILE_PATH split at ':', and the installed profile
// folder when it exists, else the source tree's.
std::vector<std::string> profile_path_from_env();
std::string builtin_profile_dir();

// `name_or_path` is a file when it contains '/' or ends in .nono or .yaml; otherwise a
// name looked up in search.profile_path, then search.builtin_dir. Reports each place
// looked when nothing is found.
std::optional<std::string> find_profile(const std::string& name_or_path, const ProfileSearch& search,
                                        Diagnostics& diags);

// The files that may hold the parent profile `name` of the profile in `child_file`, in
// search order, each named as messages and locations show it (relative to the working
// directory when below it, so that they read the same in every checkout).
std::vector<std::string> parent_candidates(const std::string& name, const std::string& child_file,
                                           const ProfileSearch& search);
// The standard syscall groups' file, named as shown.
std::string standard_groups_file(const ProfileSearch& search);

// "looked in: A, B", the hint when no candidate exists.
std::string looked_in(const std::vector<std::string>& places);

}  // namespace nono
