// Runtime: grants the file system leaves unmet (see unmet_grants.hpp).
#include "runtime/unmet_grants.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

namespace nono::runtime {

namespace {

using landlock::Access;

constexpr Access kReadExec = landlock::kAccessFsExecute | landlock::kAccessFsReadFile | landlock::kAccessFsReadDir;
constexpr Access kCreate = landlock::kAccessFsMakeDir | landlock::kAccessFsMakeReg | landlock::kAccessFsMakeSym |
                           landlock::kAccessFsMakeFifo | landlock::kAccessFsMakeSock;

}  // namespace

std::vector<std::string> missing_write_grants(const landlock::Plan& plan) {
    std::vector<std::string> out;
    for (const landlock::PathEntry& e : plan.paths) {
        if (!(e.allow & ~kReadExec) ||
            std::binary_search(plan.make_directories.begin(), plan.make_directories.end(), e.path))
            continue;
        struct stat st;
        if (stat(e.path.c_str(), &st) != 0 && errno == ENOENT)
            out.push_back(e.path + " does not exist: not writable in this run");
    }
    return out;
}

std::vector<std::string> carve_out_costs(const landlock::Plan& plan) {
    std::vector<std::string> out;
    const landlock::Layout layout = landlock::lay_out(plan.paths);
    for (const landlock::Expansion& x : layout.expansions) {
        const auto stated = std::find_if(plan.paths.begin(), plan.paths.end(),
                                         [&](const landlock::PathEntry& e) { return e.path == x.directory; });
        if (stated == plan.paths.end() || !(stated->allow & kCreate) || x.except.empty()) continue;
        const auto rule = std::find_if(layout.rules.begin(), layout.rules.end(),
                                       [&](const landlock::PathRule& r) { return r.path == x.directory; });
        const Access kept = rule == layout.rules.end() ? 0 : rule->access;
        if (!(stated->allow & kCreate & ~kept)) continue;
        const auto denied = std::find_if(plan.paths.begin(), plan.paths.end(), [&](const landlock::PathEntry& e) {
            return e.deny && e.path != x.directory && landlock::at_or_below(e.path, x.directory);
        });
        const std::string cause = denied != plan.paths.end() ? denied->path : landlock::child_path(x.directory, x.except.front());
        out.push_back(x.directory + ": no new entries at its top level (a carve-out: " + cause + " below it is denied)");
    }
    return out;
}

}  // namespace nono::runtime
