// Runtime: the places of the user's own, below which nono makes the directories a profile
// states (make_directories.hpp) and which `nonoc why` names (unmet_grants.hpp).
#pragma once

#include <string>
#include <vector>

namespace nono::runtime {

// HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME, XDG_CACHE_HOME (those set to an
// absolute path) and the working directory.
std::vector<std::string> own_places();

}  // namespace nono::runtime
