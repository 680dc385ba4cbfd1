// Runtime: the supervisor's mediation of metadata in a run without namespaces (DESIGN.md,
// "Beyond Landlock's rights"). Landlock has no right for a file's mode, owner, times,
// extended attributes or inode flags; with namespaces a read-only view refuses them outside
// the write grants, and without, the one mediation (mediation.hpp) sends every call that
// changes them here: chmod, fchmod, fchmodat, fchmodat2, chown, fchown, lchown, fchownat,
// utime, utimes, futimesat, utimensat, setxattr, lsetxattr, fsetxattr, removexattr,
// lremovexattr, fremovexattr, setxattrat, removexattrat, file_setattr, and the ioctls that set
// inode flags, attributes and generation (FS_IOC_SETFLAGS, FS_IOC_FSSETXATTR,
// FS_IOC_SETVERSION and ext4's alias, btrfs's subvolume flags). FS_IOC_ENABLE_VERITY and
// FS_IOC_SET_ENCRYPTION_POLICY, whose arguments point further into the command's memory,
// are refused whatever the object.
//
// The supervisor reads the call's arguments from the command's memory once, opens the
// object itself (a descriptor call's own description, taken with pidfd_getfd; a path
// resolved from the calling thread's working directory or descriptor, O_PATH, following a
// last symlink only where the call does), decides on what it opened (its path as
// /proc/self/fd says it, its type), and performs the call on that descriptor with its copy
// of the arguments: a symlink or a name swapped after the check changes nothing. The
// decision is Landlock's own layout (resolve_ruleset): the object must lie where the
// command may write (write-file for a file; a right a read-only mount refuses for a
// directory). Devices are refused (their mode and owner are the machine's); pipes, sockets
// and other objects outside the file system, and files no name reaches any more, are the
// kernel's to decide. The supervisor opens and performs without its effective capabilities,
// as the command (nono's own uid and groups, no capabilities), so the kernel's permission
// checks are the command's. A refusal is EPERM, as the kernel's for a file not one's own.
#pragma once

#include <linux/seccomp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/mediation.hpp"
#include "runtime/refusals.hpp"
#include "runtime/sandbox.hpp"

namespace nono::runtime {

// What the supervisor decides of a metadata call on the object at the canonical path
// `path` under `landlock` (the command's ruleset): 0 to perform it, EPERM to refuse it.
int decide_metadata(const ConcreteRuleset& landlock, std::string_view path, bool directory);

// The weaker report's line for a run without namespaces on a machine that cannot mediate
// (`why`: mediation_unavailable's answer).
std::string unmediated_metadata(const std::string& why);

class MetadataMediation {
public:
    MetadataMediation(const ConcreteRuleset& landlock, std::shared_ptr<Listener> listener);

    // The host's numbers of the calls it mediates, but ioctl, which it mediates for the
    // commands ioctls() lists.
    static std::vector<std::uint32_t> syscalls();
    static std::vector<std::uint32_t> ioctls();
    static bool mediates(int nr);

    void handle(const seccomp_notif& request);
    // One line per refused call and path, with counts.
    std::vector<std::string> refusals() const;

private:
    // 0 to perform the call on `object`, or the errno to refuse it with; `shown`: its path.
    // `by_name`: opened by a path, not taken from the command's descriptors.
    int decide(int object, bool by_name, std::string& shown) const;

    ConcreteRuleset landlock_;
    std::shared_ptr<Listener> listener_;
    Refusals refusals_;
};

}  // namespace nono::runtime
