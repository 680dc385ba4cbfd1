// Runtime: pidfd_open in a run without namespaces (DESIGN.md, "Beyond Landlock's rights").
// Without a pid namespace every process of the machine has a pid the sandbox can name, and
// pidfd_open checks nothing: a pidfd of an outside process tells when it ends and, with
// PIDFD_GET_INFO, its ids and cgroup (what Landlock keeps in /proc/PID). Signals, descriptors
// and memory through it are Landlock's and the filter's to refuse, as for a pid. The one
// mediation (mediation.hpp) sends pidfd_open here: the supervisor opens the pidfd itself,
// keeps it only for a process of the run (a descendant of nono: the reaper's tree) that is
// still alive once opened, so a reused pid cannot pass, and installs it in the caller
// (SECCOMP_IOCTL_NOTIF_ADDFD); any other pid is ESRCH, as in a pid namespace of the run's own.
#pragma once

#include <linux/seccomp.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/mediation.hpp"
#include "runtime/refusals.hpp"

namespace nono::runtime {

class PidfdMediation {
public:
    explicit PidfdMediation(std::shared_ptr<Listener> listener);

    static bool mediates(int nr);
    void handle(const seccomp_notif& request);
    // One line per refused pid, with counts.
    std::vector<std::string> refusals() const;

private:
    std::shared_ptr<Listener> listener_;
    Refusals refusals_;
};

}  // namespace nono::runtime
