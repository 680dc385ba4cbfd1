// The Landlock plan: the plain data the runtime applies (no parser, no IR types).
//
// The Landlock emitter (compiler/emitters/landlock) builds it from the optimized IR;
// runtime/sandbox.cpp applies it. Paths are given as the profile states them: for each
// path, the rights allowed and denied *at exactly that path*, so that globs, expanded
// only when the sandbox is applied, can join the same tree. `lay_out` then turns the
// tree into what Landlock can express: path rules (a right granted on a directory covers
// everything below it) and expansions (a directory whose existing entries get rights one
// by one), which is how a denied path under an allowed directory is realized.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/landlock_abi.hpp"
#include "plan/limits.hpp"
#include "plan/net_address.hpp"

namespace nono::landlock {

// A set of LANDLOCK_ACCESS_FS_* bits (for net: LANDLOCK_ACCESS_NET_*; scopes: LANDLOCK_SCOPE_*).
using Access = std::uint64_t;

inline constexpr Access kAllFsRights = kFsRightsByAbi[kNewestKnownAbi];
// The rights Landlock accepts in a rule on a non-directory; the others concern a
// directory's entries (list, create, remove, rename into) and mean nothing on a file.
inline constexpr Access kFileRights =
    kAccessFsExecute | kAccessFsWriteFile | kAccessFsReadFile | kAccessFsTruncate | kAccessFsIoctlDev;

// What the profile says at exactly one canonical absolute path. Per right: the most
// specific path wins; at one path, deny wins over allow; unmentioned rights are inherited
// from the parent. `sealed`: rights that entries of this directory not named in the plan
// must not get (set on a deny glob's fixed directory, so a match created later is denied).
struct PathEntry {
    std::string path;
    Access allow = 0;
    Access deny = 0;
    Access sealed = 0;
};

// A glob (`*`, `?` within a component, `**` for any number of components) with what it
// allows and denies at each path it matches; a match is as specific as its path.
struct GlobEntry {
    std::string pattern;
    Access allow = 0;
    Access deny = 0;
};

struct PortRange {
    std::uint16_t first = 0;
    std::uint16_t last = 0;
};

struct EnvPlan {
    std::vector<std::string> keep;  // kept although the runtime would remove them (LD_PRELOAD, …)
    std::vector<std::string> drop;
    std::vector<std::pair<std::string, std::string>> set;
};

struct Plan {
    std::string name;
    Access handled_fs = kAllFsRights;  // default deny: every right the kernel knows is handled
    bool handle_tcp = true;            // false only when the profile allows all network
    std::vector<PortRange> tcp_connect;
    std::vector<PortRange> tcp_bind;
    Access scoped = kScopeAbstractUnixSocket | kScopeSignal;
    std::vector<PathEntry> paths;  // sorted by path, one entry per path
    // Directories a write grant states with a trailing `/`, made (mode 0700) before the
    // sandbox applies when they are missing; sorted. See runtime/make_directories.hpp.
    std::vector<std::string> make_directories;
    // Files through which code runs later outside the sandbox (`protect`), sorted: bound
    // read-only where they exist inside a write grant, else checked when the run ends
    // (runtime/protected_files.hpp). Not Landlock's: no rule and no carve-out.
    std::vector<std::string> protect;
    std::vector<GlobEntry> globs;
    EnvPlan env;
    limits::Limits limits;
    net::Peers peers;  // not Landlock's: the supervisor's (the proxy and the mediation)
};

// ---------------------------------------------------------------------------- layout

// Where a layout path is reached from. The runtime moves each stated path to the file it
// names before the layout (its symlinks followed; see "Paths mean files" in DESIGN.md), and
// then opens every layout path without following any symlink. A directory the layout
// reaches only as an ancestor of a stated path (the `.git` of `deny write ~/w/.git/hooks`)
// lies below its nearest stated ancestor, the anchor (the plan's `beneath`): a plain rule on
// the anchor would not reach through a symlink below it either, so denying something must
// never make a symlink's target reachable.
struct PathRule {
    std::string path;
    Access access = 0;
    std::string anchor;  // == path when the plan states it
};

// Every entry of `directory` except the names in `except` (which the layout handles
// separately) gets `access`; symlinks are skipped (Landlock checks their target).
// Entries created after the sandbox starts get nothing from it: the fail-closed side.
struct Expansion {
    std::string directory;
    Access access = 0;
    std::vector<std::string> except;  // sorted
    std::string anchor;               // as for PathRule
};

struct Layout {
    std::vector<PathRule> rules;
    std::vector<Expansion> expansions;
};

// Rules and expansions that grant, for every existing path, exactly its rights under the
// precedence above, except that a directory above a denied path keeps for itself only
// the rights every path below it has (stricter, never weaker). Pure: no file system.
// `paths` must be canonical and absolute ("/" included or not).
Layout lay_out(const std::vector<PathEntry>& paths);

// Calls `f` with each component of a canonical absolute path, in order ("/" has none).
template <typename F>
void for_each_component(std::string_view path, F f) {
    for (std::size_t i = 1; i < path.size();) {
        const std::size_t slash = std::min(path.find('/', i), path.size());
        f(path.substr(i, slash - i));
        i = slash + 1;
    }
}

// "/a" + "b" -> "/a/b", "/" + "b" -> "/b".
std::string child_path(const std::string& parent, std::string_view name);

// Whether the canonical absolute `path` is `dir` or lies below it.
inline bool at_or_below(std::string_view path, std::string_view dir) {
    return path.compare(0, dir.size(), dir) == 0 && (path.size() == dir.size() || dir == "/" || path[dir.size()] == '/');
}

// Merges entries for the same path (rights OR-ed) and sorts them by path.
std::vector<PathEntry> merge_paths(std::vector<PathEntry> paths);

// ---------------------------------------------------------------------------- ABI

// One part of the plan and the Landlock ABI it needs. `stricter_without`: on an older
// kernel the part is enforced more strictly (refer: ABI 1 refuses every rename or link
// across directories), not more weakly.
struct AbiNeed {
    std::string what;
    int abi = 1;
    bool stricter_without = false;
};
std::vector<AbiNeed> abi_needs(const Plan& plan);

// "read-file, write-file" for an access set (fs rights), in bit order.
std::string fs_access_to_string(Access access);

}  // namespace nono::landlock
