// Runtime: the supervisor. nono stays outside the sandbox while the command runs in it.
//
//   nono (the supervisor)        not dumpable, a child subreaper; relays the terminal,
//     │                          forwards signals, removes the private temporary directory
//     └─ reaper                  a new session; a child subreaper holding no descriptor but
//          │                     the pipe that tells it the supervisor is gone; kills and
//          │                     reaps every process the command leaves. Where namespaces
//          │                     exist, cloned into them (namespaces.hpp): the pid
//          │                     namespace's init, which lays out the file system view
//          └─ the command        a new session (on nono's pseudo-terminal when the user's
//                                stdin, stdout or stderr is a terminal); applies the sandbox
//                                to itself and execs
//
// The reaper is what makes "nothing outlives the run" hold when nono itself is killed,
// even with SIGKILL: every orphan of the run is re-parented to it (a subreaper), and the
// end of the pipe (closed by the kernel whatever way nono dies) makes it kill them all.
// Only a SIGKILL sent to the reaper itself, by a process outside the sandbox (the sandbox
// cannot signal out of its Landlock domain unless the profile says `allow signal
// outside`), leaves processes behind; nono, a subreaper too, then kills what is
// re-parented to it if it is still alive. In a pid namespace, the reaper's end, however it
// comes, makes the kernel kill every process of the run.
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "runtime/private_tmp.hpp"

namespace nono::runtime {

struct NamespacePlan;  // namespaces.hpp, Linux's

struct Supervision {
    // Removed with everything in it once no process of the run is left.
    PrivateTmp private_tmp;
    // Descriptors above 2 the command gets: the reaper holds these and no others.
    std::vector<int> keep_fds;
    // The run's cgroup, which the reaper starts in (start_reaper), or joins through its
    // cgroup.procs (enter_run, process.hpp), before the command starts; -1: the run has no cgroup.
    int cgroup_dir = -1;
    int cgroup_procs = -1;
    // The namespaces the run gets; none: the reaper is forked, as a plain child.
    const NamespacePlan* namespaces = nullptr;
    // Called with the errno when the kernel refuses to clone the reaper into them, before
    // the reaper and the command are forked: true to run without (in the command, `start`
    // must then apply the sandbox as it does without namespaces, which the caller settles
    // here: what the mediation carries; and the run may need a cgroup now: the fields above
    // are read after the call), false to run nothing (125). The refusal is the probe: no
    // process is started only to ask.
    std::function<bool(int refused)> without_namespaces = {};
    // Called in nono once the run's processes are forked off: what serves the run from
    // outside the sandbox on threads of its own (the proxy), which must not exist across
    // the fork.
    std::function<void()> serve = {};
};

// Runs `start` in the command's process (it applies the sandbox and execs; it must not
// return, and exits 125 when it cannot), supervises the run, and returns the command's
// status as a shell reports it: its exit code, or 128+N when signal N killed it. Prints
// "nono: REASON" and returns 125 when the run could not be set up (nothing ran).
//
// The place for what a run needs set up around the command: before the supervisor (the
// run's cgroup), or in `start` before the sandbox (setrlimit).
int supervise(const std::function<void()>& start, const Supervision& supervision);

// Sends SIGKILL to every descendant of the calling process and reaps its children, until
// it has none. On Linux safe against pid reuse (a process is signalled through a pidfd,
// and only while it is still the one seen as a descendant); on macOS by pid, each stopped
// before its children are listed. Per system: process_linux.cpp, process_macos.cpp.
void kill_descendants();

}  // namespace nono::runtime
