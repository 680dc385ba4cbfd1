// Runtime: glob expansion for the Landlock plan (see glob_expand.hpp).
#include "runtime/glob_expand.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <set>

#include "plan/glob_match.hpp"

namespace nono::landlock {

namespace {

bool has_wildcard(std::string_view component) { return component.find_first_of("*?") != std::string_view::npos; }

std::vector<std::string> components(std::string_view path) {
    std::vector<std::string> parts;
    for_each_component(path, [&](std::string_view part) { parts.emplace_back(part); });
    return parts;
}

struct DirEntry {
    std::string name;
    bool directory = false;  // a real directory, not a symlink to one
};

// The entries of a directory; nullopt when it cannot be listed.
std::optional<std::vector<DirEntry>> list_directory(const std::string& path) {
    std::vector<DirEntry> entries;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(path.c_str()), closedir);
    if (!dir) return std::nullopt;
    for (;;) {
        errno = 0;
        const dirent* d = readdir(dir.get());
        if (!d) {
            if (errno != 0) return std::nullopt;
            break;
        }
        std::string_view name = d->d_name;
        if (name == "." || name == "..") continue;
        bool directory = d->d_type == DT_DIR;
        if (d->d_type == DT_UNKNOWN) {
            struct stat st;
            directory = fstatat(dirfd(dir.get()), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
        }
        entries.push_back({std::string(name), directory});
    }
    return entries;
}

struct Walk {
    const std::vector<std::string>& parts;
    std::set<std::string> matches;
    std::set<std::string> unlistable;  // directories that may hold matches nobody can see

    // Collects the paths under `dir` that match pattern components [index, end).
    void visit(const std::string& dir, std::size_t index) {
        if (index == parts.size()) {
            matches.insert(dir);
            return;
        }
        const std::string& part = parts[index];
        const bool last = index + 1 == parts.size();
        if (part == "**") visit(dir, index + 1);  // `**` matching no component
        const auto entries = list_directory(dir);
        if (!entries) {
            unlistable.insert(dir);
            return;
        }
        for (const DirEntry& e : *entries) {
            if (part == "**") {
                if (e.directory) visit(child_path(dir, e.name), index);
                else if (last) matches.insert(child_path(dir, e.name));
            } else if (component_matches(part, e.name)) {
                if (last) matches.insert(child_path(dir, e.name));
                else if (e.directory) visit(child_path(dir, e.name), index + 1);
            }
        }
    }
};

}  // namespace

std::vector<PathEntry> expand_globs(const std::vector<GlobEntry>& globs, std::vector<std::string>& skipped) {
    std::vector<PathEntry> entries;
    for (const GlobEntry& glob : globs) {
        std::vector<std::string> parts = components(glob.pattern);
        std::string fixed = "/";
        std::size_t first_wild = 0;
        while (first_wild < parts.size() && !has_wildcard(parts[first_wild])) fixed = child_path(fixed, parts[first_wild++]);
        struct stat st;
        if (stat(fixed.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
            skipped.push_back(glob.pattern + ": no directory " + fixed);
            continue;
        }
        if (glob.deny) entries.push_back({fixed, 0, 0, glob.deny});
        Walk walk{parts, {}, {}};
        walk.visit(fixed, first_wild);
        for (const std::string& m : walk.matches) entries.push_back({m, glob.allow, glob.deny, 0});
        // A directory that cannot be listed may still hold a match someone can open by
        // name (a mode 0711 directory): a deny then covers all of it.
        if (glob.deny)
            for (const std::string& d : walk.unlistable) entries.push_back({d, 0, glob.deny, 0});
    }
    return entries;
}

}  // namespace nono::landlock
