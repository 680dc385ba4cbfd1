#include "runtime/path_facts.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "plan/landlock_plan.hpp"

namespace nono::runtime {

bool PathFact::directory() const { return exists() && S_ISDIR(mode); }
bool PathFact::symlink() const { return exists() && S_ISLNK(mode); }

const PathFact& PathFacts::of(const std::string& path) {
    if (landlock::at_or_below(path, "/proc")) {
        known_.erase(path);  // asked again: the answer is this process's
    } else if (const auto known = known_.find(path); known != known_.end()) {
        return known->second;
    }
    PathFact fact;
    const std::size_t slash = path.rfind('/');
    const PathFact* parent = slash == 0 || slash == std::string::npos ? nullptr : &of(path.substr(0, slash));
    if (parent && !parent->exists()) {
        fact.error = parent->error;
    } else if (parent && !parent->directory() && !parent->symlink()) {
        fact.error = ENOTDIR;
    } else if (struct stat st; lstat(path.c_str(), &st) != 0) {
        fact.error = errno;
    } else {
        fact.mode = st.st_mode;
        if (S_ISLNK(st.st_mode)) {
            char target[4096];
            const ssize_t size = readlink(path.c_str(), target, sizeof target);
            if (size > 0 && size < static_cast<ssize_t>(sizeof target)) fact.target.assign(target, static_cast<std::size_t>(size));
        }
    }
    return known_.emplace(path, std::move(fact)).first->second;
}

void PathFacts::forget_below(const std::string& dir) {
    std::erase_if(known_, [&](const auto& entry) { return landlock::at_or_below(entry.first, dir); });
}

}  // namespace nono::runtime
