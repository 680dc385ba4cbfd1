// Runtime: making the missing directories a profile states (see make_directories.hpp).
#include "runtime/make_directories.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "plan/landlock_plan.hpp"

namespace nono::runtime {

namespace {

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};

// One component below `dir` (a name, never `..`: the paths are canonical), never through a
// symlink (ELOOP) and only a directory (ENOTDIR). Opened for reading, which a directory of
// the user's own allows, because macOS has no O_PATH. With O_DIRECTORY, Linux refuses a
// symlink as ENOTDIR: asked again without following it, to say which.
int open_below(int dir, const std::string& name) {
    const int fd = openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 && errno == ENOTDIR && fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        errno = ELOOP;
    return fd;
}

// "" when `fd` is a directory of the user nono runs as, else why not.
std::string not_own(int fd, const std::string& path) {
    struct stat st;
    if (fstat(fd, &st) != 0) return path + ": " + std::strerror(errno);
    if (st.st_uid != geteuid()) return path + " belongs to uid " + std::to_string(st.st_uid) + ", not to this user";
    return "";
}

// Makes `directory` below `place`, one component at a time; "" or why it was not made.
std::string make_below(const std::string& directory, const std::string& place) {
    // The place itself is followed: HOME may be a symlink of the user's choosing.
    Fd dir(open(place.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.fd < 0) return place + ": " + std::strerror(errno);
    if (std::string why = not_own(dir.fd, place); !why.empty()) return why;
    std::string path = place;
    std::string why;
    landlock::for_each_component(std::string_view(directory).substr(place == "/" ? 0 : place.size()), [&](std::string_view c) {
        if (!why.empty()) return;
        const std::string name(c);
        path = landlock::child_path(path, name);
        int next = open_below(dir.fd, name);
        if (next < 0 && errno == ENOENT) {
            if (mkdirat(dir.fd, name.c_str(), 0700) != 0 && errno != EEXIST) {
                why = path + ": " + std::strerror(errno);
                return;
            }
            next = open_below(dir.fd, name);
        }
        if (next < 0) {
            why = errno == ELOOP ? path + " is a symlink, not followed" : path + ": " + std::strerror(errno);
            return;
        }
        close(dir.fd);
        dir.fd = next;
        why = not_own(dir.fd, path);
    });
    return why;
}

}  // namespace

MadeDirectories make_missing_directories(const std::vector<std::string>& directories,
                                         const std::vector<std::string>& places) {
    MadeDirectories out;
    for (const std::string& directory : directories) {
        struct stat st;
        if (lstat(directory.c_str(), &st) == 0 || errno != ENOENT) continue;  // there: the layout decides
        const std::string* place = nullptr;  // the deepest one it lies below
        for (const std::string& p : places)
            if (landlock::at_or_below(directory, p) && directory != p && (!place || p.size() > place->size())) place = &p;
        if (!place) {
            out.not_made.push_back(directory + ": not below your home, XDG directories or working directory");
            continue;
        }
        if (std::string why = make_below(directory, *place); why.empty())
            out.made.push_back(directory);
        else
            out.not_made.push_back(directory + ": " + why);
    }
    return out;
}

}  // namespace nono::runtime
