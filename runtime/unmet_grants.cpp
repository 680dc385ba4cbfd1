// Runtime: grants the file system leaves unmet (see unmet_grants.hpp).
#include "runtime/unmet_grants.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "runtime/own_places.hpp"

namespace nono::runtime {

namespace {

using landlock::Access;

constexpr Access kReadExec = landlock::kAccessFsExecute | landlock::kAccessFsReadFile | landlock::kAccessFsReadDir;
constexpr Access kCreate = landlock::kAccessFsMakeDir | landlock::kAccessFsMakeReg | landlock::kAccessFsMakeSym |
                           landlock::kAccessFsMakeFifo | landlock::kAccessFsMakeSock;

bool exists(const std::string& path) {
    struct stat st;
    return lstat(path.c_str(), &st) == 0;
}

// What a path made at `path` after the start gets: the rights of the rules of the
// directories above it that exist (the rule at `path` itself was skipped).
Access given_when_made(const landlock::Layout& layout, const std::string& path) {
    Access given = 0;
    for (const landlock::PathRule& r : layout.rules)
        if (r.path != path && landlock::at_or_below(path, r.path) && exists(r.path)) given |= r.access;
    return given;
}

}  // namespace

std::vector<std::string> missing_write_grants(const landlock::Plan& plan) {
    std::vector<std::string> out;
    std::optional<landlock::Layout> layout;  // laid out only for a missing grant: most starts have none
    for (const landlock::PathEntry& e : plan.paths) {
        const Access writes = e.allow & ~kReadExec;
        struct stat st;
        if (!writes || std::binary_search(plan.make_directories.begin(), plan.make_directories.end(), e.path) ||
            stat(e.path.c_str(), &st) == 0 || errno != ENOENT)
            continue;
        if (!layout) layout = landlock::lay_out(plan.paths);
        if (writes & ~given_when_made(*layout, e.path)) out.push_back(e.path);
    }
    return out;
}

namespace {

// Why a new entry of `directory` is refused although the plan grants create rights there,
// or "" when it is not: a carve-out below it, which Landlock realizes by granting its
// existing entries one by one.
std::string carve_out_cost(const landlock::Plan& plan, const landlock::Layout& layout, const std::string& directory) {
    const auto stated = std::find_if(plan.paths.begin(), plan.paths.end(),
                                     [&](const landlock::PathEntry& e) { return e.path == directory; });
    const auto expanded = std::find_if(layout.expansions.begin(), layout.expansions.end(),
                                       [&](const landlock::Expansion& x) { return x.directory == directory; });
    if (stated == plan.paths.end() || !(stated->allow & kCreate) || expanded == layout.expansions.end() ||
        expanded->except.empty())
        return "";
    const auto rule = std::find_if(layout.rules.begin(), layout.rules.end(),
                                   [&](const landlock::PathRule& r) { return r.path == directory; });
    const Access kept = rule == layout.rules.end() ? 0 : rule->access;
    if (!(stated->allow & kCreate & ~kept)) return "";
    const auto denied = std::find_if(plan.paths.begin(), plan.paths.end(), [&](const landlock::PathEntry& e) {
        return e.deny && e.path != directory && landlock::at_or_below(e.path, directory);
    });
    const std::string cause =
        denied != plan.paths.end() ? denied->path : landlock::child_path(directory, expanded->except.front());
    return directory + ": no new entries at its top level (a carve-out: " + cause + " below it is denied)";
}

// What an existing directory with a denied path below it keeps for itself of `asked`:
// lay_out gives it only the rights every path below it has, so listing it, or making or
// removing entries at its top level, may be refused although the profile allows them
// there. Empty when it keeps them all.
std::string carved_directory_cost(const landlock::Plan& plan, const std::string& directory, Access asked) {
    struct stat st;
    if (lstat(directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return "";
    const landlock::Layout layout = landlock::lay_out(plan.paths);
    const auto expanded = std::find_if(layout.expansions.begin(), layout.expansions.end(),
                                       [&](const landlock::Expansion& x) { return x.directory == directory; });
    if (expanded == layout.expansions.end()) return "";
    Access kept = 0;
    for (const landlock::PathRule& r : layout.rules)
        if (landlock::at_or_below(directory, r.path)) kept |= r.access;
    const Access lost = asked & ~landlock::kFileRights & ~kept;
    if (!lost) return "";
    const auto denied = std::find_if(plan.paths.begin(), plan.paths.end(), [&](const landlock::PathEntry& e) {
        return e.deny && e.path != directory && landlock::at_or_below(e.path, directory);
    });
    const std::string cause =
        denied != plan.paths.end() ? denied->path : landlock::child_path(directory, expanded->except.front());
    return directory + " itself is not given " + landlock::fs_access_to_string(lost) + " (a carve-out: " + cause +
           " below it is denied, and Landlock grants a directory's rights to all below it)";
}

}  // namespace

std::vector<std::string> carve_out_costs(const landlock::Plan& plan) {
    std::vector<std::string> out;
    const landlock::Layout layout = landlock::lay_out(plan.paths);
    for (const landlock::Expansion& x : layout.expansions)
        if (std::string cost = carve_out_cost(plan, layout, x.directory); !cost.empty()) out.push_back(std::move(cost));
    return out;
}

OnThisMachine on_this_machine(const landlock::Plan& plan, const std::string& path, const std::string& granted_at,
                              landlock::Access asked) {
    if (exists(path)) {
        const std::string cost = carved_directory_cost(plan, path, asked);
        return {!cost.empty(), cost};
    }
    if (!exists(granted_at)) {
        if (!(asked & ~kReadExec))  // nothing there to read or run either way
            return {false, granted_at + " does not exist: a file made there after the start is not granted"};
        if (!std::binary_search(plan.make_directories.begin(), plan.make_directories.end(), granted_at))
            return asked & ~given_when_made(landlock::lay_out(plan.paths), granted_at)
                       ? OnThisMachine{true, granted_at + " does not exist: the grant gives nothing in this run"}
                       : OnThisMachine{false, granted_at + " does not exist: made after the start, it gets what the "
                                                           "directories above it are given, which is enough"};
        for (const std::string& place : own_places())
            if (granted_at != place && landlock::at_or_below(granted_at, place))
                return {false, granted_at + " does not exist: nono makes it (mode 0700) at start"};
        return {true, granted_at + " does not exist and is not made: not below your home, XDG directories or working directory"};
    }
    if (!(asked & kCreate)) return {};
    // A new entry, made in the nearest directory that exists.
    std::string parent = path;
    do parent = parent.substr(0, std::max<std::size_t>(parent.rfind('/'), 1));
    while (!exists(parent));
    const std::string cost = carve_out_cost(plan, landlock::lay_out(plan.paths), parent);
    if (!cost.empty()) return {true, path + " does not exist, and " + cost};
    return {};
}

}  // namespace nono::runtime
