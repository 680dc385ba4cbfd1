// Runtime: the files a profile protects (see protected_files.hpp): recorded at start,
// checked when the run is over.
#include "runtime/protected_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include "runtime/command.hpp"
#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

std::string parent_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}
std::string name_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

bool same_time(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

ProtectedState::Kind kind_of(mode_t mode) {
    using Kind = ProtectedState::Kind;
    return S_ISREG(mode) ? Kind::File : S_ISDIR(mode) ? Kind::Directory : S_ISLNK(mode) ? Kind::Symlink : Kind::Other;
}

std::string entry_line(const std::string& name, const struct stat& st) {
    return name + '\t' + std::to_string(st.st_mode) + '\t' + std::to_string(st.st_dev) + ':' + std::to_string(st.st_ino) +
           '\t' + std::to_string(st.st_size) + '\t' + std::to_string(st.st_mtim.tv_sec) + '.' +
           std::to_string(st.st_mtim.tv_nsec) + '\t' + std::to_string(st.st_ctim.tv_sec) + '.' +
           std::to_string(st.st_ctim.tv_nsec);
}

// Every entry below the directory `dir`, depth first, without following a symlink; at most
// kMaxDirectoryEntries, then a last line that says the rest was not looked at.
void list_entries(int dir, const std::string& prefix, std::vector<std::string>& out) {
    DIR* listing = fdopendir(dir);
    if (!listing) {
        close(dir);
        out.push_back(prefix + "\tunreadable: " + std::strerror(errno));
        return;
    }
    std::vector<std::string> names;
    while (const dirent* d = readdir(listing))
        if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0) names.emplace_back(d->d_name);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
        if (out.size() >= kMaxDirectoryEntries) {
            out.push_back("\tmore entries, not compared");
            break;
        }
        struct stat st;
        if (fstatat(dirfd(listing), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            out.push_back(prefix + name + "\tunreadable: " + std::strerror(errno));
            continue;
        }
        out.push_back(entry_line(prefix + name, st));
        if (!S_ISDIR(st.st_mode)) continue;
        const int below = openat(dirfd(listing), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (below < 0) out.push_back(prefix + name + "/\tunreadable: " + std::strerror(errno));
        else list_entries(below, prefix + name + "/", out);
    }
    closedir(listing);
}

// What `name` in the directory `dir` is, reached through no symlink.
ProtectedState state_at(int dir, const std::string& name) {
    ProtectedState s;
    struct stat st;
    if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) {
            s.kind = ProtectedState::Kind::Unreachable;
            s.error = std::strerror(errno);
        }
        return s;
    }
    s.kind = kind_of(st.st_mode);
    s.dev = st.st_dev;
    s.ino = st.st_ino;
    s.mode = st.st_mode;
    s.uid = st.st_uid;
    s.gid = st.st_gid;
    s.size = st.st_size;
    s.mtime = st.st_mtim;
    s.ctime = st.st_ctim;
    if (s.kind == ProtectedState::Kind::Symlink) {
        char target[PATH_MAX];
        const ssize_t n = readlinkat(dir, name.c_str(), target, sizeof target);
        if (n >= 0) s.link.assign(target, static_cast<std::size_t>(n));
    } else if (s.kind == ProtectedState::Kind::Directory) {
        const int fd = openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) s.entries.push_back(std::string("unreadable: ") + std::strerror(errno));
        else list_entries(fd, "", s.entries);
    } else if (s.kind == ProtectedState::Kind::File && static_cast<std::size_t>(st.st_size) <= kMaxKeptBytes) {
        // Not a FIFO (checked above, and O_NONBLOCK should it be one now): never blocks.
        const UniqueFd fd(openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        std::string bytes;
        char buffer[65536];
        ssize_t n = 0;
        while (fd.fd >= 0 && bytes.size() <= kMaxKeptBytes && (n = read(fd.fd, buffer, sizeof buffer)) > 0)
            bytes.append(buffer, static_cast<std::size_t>(n));
        if (fd.fd >= 0 && n == 0 && bytes.size() <= kMaxKeptBytes) s.content = std::move(bytes);
    }
    return s;
}

// The directory of `path`, reached through no symlink (ENOENT when it is missing).
UniqueFd open_parent(const std::string& path) { return UniqueFd(open_layout_path(parent_of(path), O_PATH | O_DIRECTORY)); }

ProtectedState state_of(const std::string& path) {
    const UniqueFd dir = open_parent(path);
    if (dir.fd >= 0) return state_at(dir.fd, name_of(path));
    ProtectedState s;
    if (errno != ENOENT) {
        s.kind = ProtectedState::Kind::Unreachable;
        s.error = parent_of(path) + ": " + (errno == ELOOP ? "a symlink stands in the path to it" : std::strerror(errno));
    }
    return s;
}

// Puts `before` back at `name` in `dir`, where nothing is now: written beside it, then
// renamed into place without replacing anything. An empty string, or why not.
std::string put_back(int dir, const std::string& name, const ProtectedState& before, const std::string& tag) {
    const std::string temporary = name + ".nono-" + tag + "-restoring";
    if (before.kind == ProtectedState::Kind::Symlink) {
        if (symlinkat(before.link.c_str(), dir, temporary.c_str()) != 0) return std::strerror(errno);
    } else if (before.kind == ProtectedState::Kind::File && before.content) {
        UniqueFd fd(openat(dir, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (fd.fd < 0) return std::strerror(errno);
        std::size_t done = 0;
        while (done < before.content->size()) {
            const ssize_t n = write(fd.fd, before.content->data() + done, before.content->size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        const bool owned = geteuid() != 0 || fchown(fd.fd, before.uid, before.gid) == 0;
        if (done != before.content->size() || !owned || fchmod(fd.fd, before.mode & 0777) != 0) {
            const std::string why = std::strerror(errno);
            unlinkat(dir, temporary.c_str(), 0);
            return why;
        }
    } else {
        return before.kind == ProtectedState::Kind::File ? "nono keeps no copy of a file larger than 1 MiB"
                                                          : "nono keeps no copy of a directory";
    }
    if (renameat2(dir, temporary.c_str(), dir, name.c_str(), RENAME_NOREPLACE) != 0) {
        const std::string why = std::strerror(errno);
        unlinkat(dir, temporary.c_str(), 0);
        return why;
    }
    return {};
}

}  // namespace

ProtectedOutcome compare_protected(const ProtectedState& before, const ProtectedState& after) {
    using Kind = ProtectedState::Kind;
    if (after.kind == Kind::Unreachable || before.kind == Kind::Unreachable) return ProtectedOutcome::Unreachable;
    if (before.kind == Kind::Missing) return after.kind == Kind::Missing ? ProtectedOutcome::Unchanged : ProtectedOutcome::Made;
    if (after.kind == Kind::Missing) return ProtectedOutcome::Removed;
    const bool same = before.kind == after.kind && before.dev == after.dev && before.ino == after.ino &&
                      before.mode == after.mode && before.uid == after.uid && before.gid == after.gid &&
                      before.size == after.size && same_time(before.mtime, after.mtime) &&
                      same_time(before.ctime, after.ctime) && before.content == after.content &&
                      before.link == after.link && before.entries == after.entries;
    return same ? ProtectedOutcome::Unchanged : ProtectedOutcome::Changed;
}

std::string aside_name(const std::string& name, const std::string& tag, int attempt) {
    return name + ".nono-" + tag + (attempt > 1 ? "-" + std::to_string(attempt) : "");
}

std::vector<std::string> protected_names(const std::vector<std::string>& stated) {
    std::vector<std::string> out;
    for (const std::string& path : stated) {
        out.push_back(path);
        // The deepest directory above it that exists, as a file (its symlinks resolved), then
        // the rest; and the path itself resolved, should it be a symlink.
        std::string dir = parent_of(path), rest = "/" + name_of(path);
        char real[PATH_MAX];
        while (!realpath(dir.c_str(), real) && dir != "/") {
            rest = "/" + name_of(dir) + rest;
            dir = parent_of(dir);
        }
        if (realpath(dir.c_str(), real)) out.push_back((std::string(real) == "/" ? "" : std::string(real)) + rest);
        if (realpath(path.c_str(), real)) out.emplace_back(real);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<ProtectedFile> record_protected(const std::vector<std::string>& stated) {
    std::vector<ProtectedFile> out;
    for (const std::string& path : protected_names(stated)) out.push_back({path, state_of(path)});
    return out;
}

std::vector<std::string> check_protected(const std::vector<ProtectedFile>& files, const std::string& tag) {
    std::vector<std::string> said;
    const std::string look = "; look at it before anything runs it";
    for (const ProtectedFile& f : files) {
        // A name whose directory was reached only through a symlink at start: the name it
        // resolves to is checked (protected_names lists both).
        if (f.before.kind == ProtectedState::Kind::Unreachable) continue;
        const ProtectedState after = state_of(f.path);
        const ProtectedOutcome outcome = compare_protected(f.before, after);
        if (outcome == ProtectedOutcome::Unchanged) continue;
        if (outcome == ProtectedOutcome::Unreachable) {
            said.push_back("protected " + f.path + " was not checked: " + after.error + look);
            continue;
        }
        const UniqueFd dir = open_parent(f.path);
        if (dir.fd < 0) {
            said.push_back("protected " + f.path + " was not checked: " + parent_of(f.path) + ": " + std::strerror(errno) + look);
            continue;
        }
        const std::string name = name_of(f.path);
        std::string aside;
        if (outcome != ProtectedOutcome::Removed) {
            for (int attempt = 1; attempt <= 100 && aside.empty(); ++attempt) {
                const std::string candidate = aside_name(name, tag, attempt);
                if (renameat2(dir.fd, name.c_str(), dir.fd, candidate.c_str(), RENAME_NOREPLACE) == 0) aside = candidate;
                else if (errno != EEXIST) break;
            }
            if (aside.empty()) {
                said.push_back("protected " + f.path + " was " + (outcome == ProtectedOutcome::Made ? "made" : "changed") +
                               " by the run and could not be moved aside: " + std::strerror(errno) + look);
                continue;
            }
            aside = parent_of(f.path) + (parent_of(f.path) == "/" ? "" : "/") + aside;
        }
        if (outcome == ProtectedOutcome::Made) {
            said.push_back("protected " + f.path + " was made by the run: moved aside to " + aside);
            continue;
        }
        const std::string not_back = put_back(dir.fd, name, f.before, tag);
        const std::string back = not_back.empty() ? ", the original put back" : "; the original was not put back: " + not_back;
        said.push_back(outcome == ProtectedOutcome::Removed
                           ? "protected " + f.path + " was removed by the run" + back
                           : "protected " + f.path + " was changed by the run: moved aside to " + aside + back);
    }
    return said;
}

}  // namespace nono::runtime
