// Runtime: the directories a write grant states with a trailing `/` (`allow read,write
// ~/.claude/`), made before the sandbox applies when they are missing, so that an agent's
// state folder works on a fresh HOME (DESIGN.md, "Paths mean files").
//
// Made only below a place of the user's own: HOME, the XDG base directories, the working
// directory. Each directory on the way is entered without following a symlink (one planted
// there must not send the new directory elsewhere) and must belong to the user nono runs
// as, so that root never makes directories in another user's tree. New directories get
// mode 0700.
#pragma once

#include <string>
#include <vector>

#include "runtime/own_places.hpp"

namespace nono::runtime {

struct MadeDirectories {
    std::vector<std::string> made;
    std::vector<std::string> not_made;  // "PATH: reason"
};

// Makes each missing directory of `directories` (canonical absolute paths) below one of
// `places`; existing ones are left as they are.
MadeDirectories make_missing_directories(const std::vector<std::string>& directories,
                                         const std::vector<std::string>& places);

}  // namespace nono::runtime
