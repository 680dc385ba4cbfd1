// Runtime: what lstat says of the paths a run resolves, asked once per path. The plan's
// paths share most of their directories (HOME, ~/.config, /usr), and following each one's
// symlinks walked them again for every path, in nono and once more in the command: about
// a thousand lstat calls per start for the built-in agent profiles. The answers decide only
// where a path leads; every rule is then opened refusing symlinks (open_layout_path), so
// an answer gone stale since makes a rule fail or be skipped, never reach another object.
//
// /proc is asked every time: what it shows depends on the process asking (/proc/self) and on
// its pid namespace, and the answers are learned in nono for the command.
#pragma once

#include <sys/types.h>

#include <string>
#include <unordered_map>

namespace nono::runtime {

struct PathFact {
    int error = 0;       // lstat's errno, 0 when the path exists
    mode_t mode = 0;     // its type and permissions, when it exists
    std::string target;  // a symlink's target; empty when it cannot be read
    bool exists() const { return error == 0; }
    bool directory() const;
    bool symlink() const;
};

class PathFacts {
public:
    // What lstat says of the absolute, normalized `path`. Below a path that is missing or is
    // no directory, the answer is the kernel's (ENOENT, ENOTDIR) without asking it again.
    const PathFact& of(const std::string& path);

    // Forgets the answers at and below `dir`: a namespace's view shows another directory there.
    void forget_below(const std::string& dir);

private:
    std::unordered_map<std::string, PathFact> known_;
};

}  // namespace nono::runtime
