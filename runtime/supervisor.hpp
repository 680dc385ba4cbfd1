// Runtime: the supervisor. nono stays outside the sandbox while the command runs in it.
//
//   nono (the supervisor)        not dumpable, a child subreaper; relays the terminal,
//     │                          forwards signals, removes the private temporary directory
//     └─ reaper                  a new session; a child subreaper holding no descriptor but
//          │                     the pipe that tells it the supervisor is gone; kills and
//          │                     reaps every process the command leaves
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
// re-parented to it if it is still alive.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace nono::runtime {

// The run's private temporary directory: its path, and what it is, so that removing it
// never removes another directory made under the same name since.
struct PrivateTmp {
    std::string path;  // empty: none
    dev_t device = 0;
    ino_t inode = 0;
};

struct Supervision {
    // Removed with everything in it once no process of the run is left.
    PrivateTmp private_tmp;
    // Descriptors above 2 the command gets: the reaper holds these and no others.
    std::vector<int> keep_fds;
    // Called in nono once the run's processes are forked off: what serves the run from
    // outside the sandbox on threads of its own (the proxy), which must not exist across
    // the fork.
    std::function<void()> serve;
};

// Runs `start` in the command's process (it applies the sandbox and execs; it must not
// return, and exits 125 when it cannot), supervises the run, and returns the command's
// status as a shell reports it: its exit code, or 128+N when signal N killed it. Prints
// "nono: REASON" and returns 125 when the run could not be set up (nothing ran).
//
// The place for what a run needs set up around the command: in the supervisor before
// the fork (a cgroup of the run), or in `start` before the sandbox (setrlimit).
int supervise(const std::function<void()>& start, const Supervision& supervision);

// A fresh private directory (mode 0700) for one run, in `parent`, by its canonical path.
// Throws SandboxError.
PrivateTmp make_private_tmp(const std::string& parent);

// Removes the directory and everything below it, following no symlink, if it is still
// the one made; errors are ignored (what remains is the user's, and nothing of the run
// can reach it any more).
void remove_private_tmp(const PrivateTmp& tmp);

// Sends SIGKILL to every descendant of the calling process and reaps its children, until
// it has none: safe against pid reuse (a process is signalled through a pidfd, and only
// while it is still the one seen as a descendant).
void kill_descendants();

}  // namespace nono::runtime
