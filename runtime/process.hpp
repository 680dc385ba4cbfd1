// Runtime: what the supervisor (supervisor.hpp) needs of the operating system, one
// implementation per system: process_linux.cpp, process_macos.cpp (CMake compiles one).
// Where macOS has no equivalent the guarantee is weaker there, as docs/macos.md says.
#pragma once

#include <signal.h>
#include <sys/types.h>

namespace nono::runtime {

// The supervisor's own protection: no process of the user's may debug it, and the orphans
// of its descendants come to it. Linux: not dumpable, a child subreaper. macOS:
// PT_DENY_ATTACH; there is no subreaper (orphans go to launchd). False after a failure.
bool guard_supervisor();

// Starts the reaper as fork() does, in new namespaces (`namespace_flags`, Linux's CLONE_NEW*
// flags; 0 for none) and in the cgroup open as `cgroup_dir` (-1 for none). `in_cgroup` says
// whether it starts there, or must join by writing cgroup.procs. -1 and errno on failure:
// then the namespaces are refused. macOS: fork, with neither.
pid_t start_reaper(unsigned long namespace_flags, int cgroup_dir, bool& in_cgroup);

// Makes the calling process adopt the orphans of its descendants. Linux:
// PR_SET_CHILD_SUBREAPER. macOS: nothing to do it with (true).
bool become_subreaper();

// Makes the calling process end when its parent, `parent`, ends; false when the parent is
// already gone (or cannot be watched). Linux: PR_SET_PDEATHSIG. macOS: only the check.
bool die_with_parent(pid_t parent);

// A descriptor (close-on-exec, for poll) that is readable while one of `signals` is
// pending; the caller blocks them first. Linux: signalfd. macOS: kqueue's EVFILT_SIGNAL.
// -1 after a failure.
int watch_signals(const sigset_t& signals);

// Takes one pending signal from a descriptor of watch_signals; 0 when none was there.
int next_signal(int watcher);

}  // namespace nono::runtime
