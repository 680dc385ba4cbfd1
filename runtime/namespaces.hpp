// Runtime: the namespaces the sandboxed tree runs in where the kernel allows a user
// namespace (DESIGN.md, "Beyond Landlock's rights"). The reaper is cloned into new user,
// mount, pid, ipc and uts namespaces (it is the pid namespace's init, the command pid 2)
// and, before it starts the command, lays out the file system view:
//   - the caller's uid and gid mapped to themselves: no capability anywhere outside;
//   - every mount read-only, except the profile's write grants, bound read-write, so that
//     chmod, chown, utimes and xattrs outside them fail (EROFS) even for the owner;
//   - inside the write grants, read-only binds of the objects through which code runs later
//     outside the sandbox: what a `deny write` or a `protect` names there, and the hooks and
//     configuration of every git repository found (so their directories keep every create
//     right, which a Landlock carve-out would take);
//   - outside the write grants, what the profile denies every right on (and allows nothing
//     below) covered by an empty read-only directory or file: Landlock refuses opening it,
//     not looking it up, so its names, sizes and times (stat, readlink, getxattr, an inotify
//     watch that reports each access) would still be seen;
//   - /tmp showing the run's private temporary directory (unless the profile grants a path
//     below /tmp), /proc a new proc of the pid namespace (only the sandbox's processes).
// Landlock and the seccomp filter then apply on top in the command, as without namespaces.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "plan/landlock_plan.hpp"
#include "runtime/path_facts.hpp"

namespace nono::runtime {

// The rights a read-only mount refuses on files and directories (not on devices, FIFOs
// and sockets, whose writes go elsewhere): what a read-only bind enforces in place of a
// Landlock deny.
inline constexpr landlock::Access kRefusedByReadOnlyMount =
    landlock::kAccessFsWriteFile | landlock::kAccessFsTruncate | landlock::kAccessFsRemoveDir |
    landlock::kAccessFsRemoveFile | landlock::kAccessFsMakeDir | landlock::kAccessFsMakeReg |
    landlock::kAccessFsMakeSock | landlock::kAccessFsMakeFifo | landlock::kAccessFsMakeSym | landlock::kAccessFsRefer;

// One bind of the view, applied after every path above it.
struct Bind {
    enum Kind {
        kWritable,  // copied from the file system as it was: read-write in the read-only view
        kReadOnly,  // inside a write grant: read-only again
        kPinned,    // a git directory bound onto itself: it cannot be renamed away (EBUSY)
        kHidden,    // denied every right: an empty read-only directory or file in its place
    };
    std::string path;
    Kind kind = kWritable;
    std::string why;   // for --dry-run: "write grant", "git repository", …
    std::string from;  // what is copied there, when not `path` itself (the private /tmp)
};

struct NamespacePlan {
    uid_t uid = 0;  // the caller's, mapped to themselves
    gid_t gid = 0;
    bool root_writable = false;  // a write grant on / itself: nothing is made read-only
    std::string cwd;             // entered again in the view: the old one is the old mount's
    std::string private_tmp;     // shown at /tmp; empty: /tmp stays the machine's
    std::vector<Bind> binds;     // sorted by path: a path before the paths below it
    // In a git directory, what git runs code from but is missing at start (`hooks`, `config`,
    // `commondir`, which sends git to another directory's config and hooks): no bind can
    // cover a missing path, so the supervisor checks these when the run ends, as it does the
    // protected paths (protected_files.hpp).
    std::vector<std::string> checked_at_end;
    std::string git_search;      // how far the search for repositories went, for --dry-run
    bool git_search_stopped = false;  // its budget spent: repositories past it are not protected
};

// 0 when this process may create new user, mount, pid, ipc and uts namespaces; else the
// errno that refused them (a seccomp filter, a sysctl, an LSM).
int probe_namespaces();

// The view for `plan` (its paths moved to the files they name, as the sandbox will) and
// the run's private temporary directory. `facts` learns the plan's paths, for the command's
// sandbox to use in this view: it forgets what it learned where the view shows another
// directory (/tmp, when it shows the private one).
NamespacePlan plan_namespaces(const landlock::Plan& plan, const std::string& private_tmp, PathFacts& facts);

// The paths bound read-only inside write grants: a deny of kRefusedByReadOnlyMount there
// needs no Landlock carve-out, which would cost the directories above them their create rights.
std::vector<std::string> read_only_binds(const NamespacePlan& plan);

// The namespaces the reaper is cloned into (start_reaper, process.hpp).
inline constexpr unsigned long kNamespaceFlags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;

// In the reaper cloned into them, before anything else: maps the ids, lays
// out the view, mounts /proc. Throws SandboxError; the process must then exit 125.
void enter_namespaces(const NamespacePlan& plan);

// The --dry-run block: the namespaces and the view, or that there are none, and why.
std::string describe_namespaces(const NamespacePlan* plan, const std::string& why_none);

// What a run without namespaces does not enforce, one line each, for the weaker report
// (metadata, which the supervisor mediates there, is mediate_metadata.hpp's to report).
std::vector<std::string> weaker_without_namespaces();

}  // namespace nono::runtime
