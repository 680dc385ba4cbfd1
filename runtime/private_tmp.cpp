// Runtime: the run's private temporary directory (see private_tmp.hpp).
#include "runtime/private_tmp.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "runtime/left_behind.hpp"
#include "runtime/command.hpp"

namespace nono::runtime {

namespace {

// Empties the directory open as `dir`; a directory inside is made the owner's again
// first (the command may have taken its rights away).
void remove_entries(int dir) {
    DIR* listing = fdopendir(dup(dir));
    if (!listing) return;
    while (const dirent* entry = readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (name == "." || name == ".." || unlinkat(dir, entry->d_name, 0) == 0 || errno != EISDIR) continue;
        fchmodat(dir, entry->d_name, S_IRWXU, 0);
        const int sub = openat(dir, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;
        remove_entries(sub);
        close(sub);
        unlinkat(dir, entry->d_name, AT_REMOVEDIR);
    }
    closedir(listing);
}

constexpr std::string_view kPrefix = "nono-run-";  // then mkdtemp's six letters and digits

bool made_by_a_run(std::string_view name) {
    return name.size() == kPrefix.size() + 6 && name.starts_with(kPrefix) &&
           std::all_of(name.begin() + kPrefix.size(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

// Removes the private directories killed runs left in `parent` (left_behind.hpp).
void remove_abandoned(const std::string& parent) {
    const int dir = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return;
    DIR* listing = fdopendir(dir);
    if (!listing) {
        close(dir);
        return;
    }
    while (const dirent* entry = readdir(listing)) {
        if (!made_by_a_run(entry->d_name)) continue;
        const int held = openat(dir, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (held < 0) continue;
        if (left_by_a_gone_run(held)) {
            fchmod(held, S_IRWXU);
            remove_entries(held);
            unlinkat(dir, entry->d_name, AT_REMOVEDIR);
        }
        close(held);
    }
    closedir(listing);
}

// Where the runs of this user put their directories in `parent`: `nono-UID`, the user's own
// and closed to others, so that a run looks for the leftovers of killed runs there and not
// through a shared /tmp that may hold thousands of entries (2 ms per run for 10,000). One
// that is not the user's own, closed to others and a directory (another user made it
// first) is not used: the runs' directories go in `parent` itself, as mkdtemp makes them
// safely there.
std::string runs_directory(const std::string& parent) {
    const std::string runs = parent + "/nono-" + std::to_string(geteuid());
    if (mkdir(runs.c_str(), S_IRWXU) != 0 && errno != EEXIST) return parent;
    const int dir = open(runs.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    const bool own = dir >= 0 && fstat(dir, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 077) == 0;
    if (dir >= 0) close(dir);
    return own ? runs : parent;
}

}  // namespace

PrivateTmp make_private_tmp(const std::string& tmpdir) {
    const std::string parent = runs_directory(tmpdir);
    remove_abandoned(parent);
    PrivateTmp tmp;
    tmp.path = parent + "/" + std::string(kPrefix) + "XXXXXX";
    struct stat st;
    char canonical[PATH_MAX];  // as the profile's paths are: a plan's rules move there as they are
    if (!mkdtemp(tmp.path.data()) || !realpath(tmp.path.c_str(), canonical) || lstat(canonical, &st) != 0)
        throw SandboxError("Failed to create the run's private temporary directory \"" + tmp.path + "\": " + std::strerror(errno),
                           "Hint: TMPDIR (or /tmp) must be a directory the user can write.");
    tmp.path = canonical;
    tmp.device = st.st_dev;
    tmp.inode = st.st_ino;
    tmp.lock = open(canonical, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (tmp.lock < 0 || flock(tmp.lock, LOCK_EX) != 0) {
        const std::string reason = std::strerror(errno);
        remove_private_tmp(tmp);
        if (tmp.lock >= 0) close(tmp.lock);
        throw SandboxError("Failed to lock the run's private temporary directory \"" + tmp.path + "\": " + reason,
                           "Hint: TMPDIR (or /tmp) must be on a file system that supports flock.");
    }
    return tmp;
}

void remove_private_tmp(const PrivateTmp& tmp, int root) {
    if (tmp.path.empty()) return;
    const char* path = root == AT_FDCWD ? tmp.path.c_str() : tmp.path.c_str() + 1;  // canonical: "/" and more
    const int dir = openat(root, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) return;
    struct stat st;
    if (fstat(dir, &st) == 0 && st.st_dev == tmp.device && st.st_ino == tmp.inode) {
        fchmod(dir, S_IRWXU);
        remove_entries(dir);
        unlinkat(root, path, AT_REMOVEDIR);
    }
    close(dir);
}

}  // namespace nono::runtime
