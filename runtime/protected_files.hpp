// Runtime: the files a profile protects (`protect PATH…`): files through which code runs
// later, outside the sandbox (an agent's hook and MCP settings). Landlock cannot refuse
// creating one name inside a directory it lets a program write, and a carve-out would take
// that directory's create rights, so a protected path is never a Landlock rule:
//   - where it exists at start inside a write grant and the run has a user namespace, it is
//     bound read-only (namespaces.cpp): not written, replaced, renamed over or removed;
//   - everywhere, the supervisor records what it is at start (record_protected) and, once
//     every process of the run is gone, compares (check_protected): what the run made there
//     or changed is moved aside to a name beside it that says nono and the run (never over
//     anything), the original put back where nono kept one, and one line on stderr names
//     both paths. A bound file cannot have changed; the check is what protects the rest,
//     live during the run: weaker than a bind, and said so by --dry-run.
// Every step opens the path's directory without following a symlink; anything unexpected
// (a symlink put in the way since, an error while moving aside) is said, never skipped.
#pragma once

#include <sys/types.h>

#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace nono::runtime {

// A protected file's content is kept (to put it back) up to this size; a larger one is
// compared by identity, size and times alone, and moved aside without being put back.
inline constexpr std::size_t kMaxKeptBytes = 1 << 20;
// A protected directory is compared entry by entry, up to this many entries below it.
inline constexpr std::size_t kMaxDirectoryEntries = 4096;

// What a protected path was, at one moment.
struct ProtectedState {
    enum class Kind { Missing, File, Directory, Symlink, Other, Unreachable };
    Kind kind = Kind::Missing;
    dev_t dev = 0;
    ino_t ino = 0;
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    off_t size = 0;
    timespec mtime{};
    timespec ctime{};
    std::optional<std::string> content;  // File: its bytes, up to kMaxKeptBytes
    std::string link;                    // Symlink: its target
    std::vector<std::string> entries;    // Directory: one line per entry below it (name, type, identity, size, times)
    std::string error;                   // Unreachable: why
};

// What the run did to a protected path, from its state at start and at the end.
enum class ProtectedOutcome { Unchanged, Made, Changed, Removed, Unreachable };
ProtectedOutcome compare_protected(const ProtectedState& before, const ProtectedState& after);

// The name a file moved aside gets in its directory: NAME.nono-TAG, then NAME.nono-TAG-2, …
std::string aside_name(const std::string& name, const std::string& tag, int attempt);

// The paths to guard for the stated ones: each, and the file it names through symlinks
// (a symlinked HOME, a settings file that is a link into dotfiles), sorted and unique.
std::vector<std::string> protected_names(const std::vector<std::string>& stated);

struct ProtectedFile {
    std::string path;
    ProtectedState before;
};

// What each of protected_names(stated) is now.
std::vector<ProtectedFile> record_protected(const std::vector<std::string>& stated);

// After every process of the run is gone: compares, moves aside and puts back. One line per
// path the run made, changed or removed, or that could not be checked, to print after "nono: ".
// `tag` names the run in the names of what is moved aside ("run-1234").
std::vector<std::string> check_protected(const std::vector<ProtectedFile>& files, const std::string& tag);

}  // namespace nono::runtime
