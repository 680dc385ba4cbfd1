// Runtime: what the supervisor (supervisor.hpp) and the command's process (command.hpp)
// need of the operating system, one implementation per system: process_linux.cpp, process_macos.cpp (CMake compiles one).
// Where macOS has no equivalent the guarantee is weaker there, as docs/macos.md says.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <string>

namespace nono::runtime {

struct NamespacePlan;  // namespaces.hpp, Linux's

// The supervisor's own protection: no process of the user's may debug it, and the orphans
// of its descendants come to it. Linux: not dumpable, a child subreaper. macOS:
// PT_DENY_ATTACH; there is no subreaper (orphans go to launchd). False after a failure.
bool guard_supervisor();

// Starts the reaper as fork() does, in new namespaces when `new_namespaces` (Linux's user,
// mount, pid, ipc and uts namespaces: namespaces.hpp) and in the cgroup open as `cgroup_dir`
// (-1 for none). `in_cgroup` says whether it starts there, or must join by writing
// cgroup.procs. -1 and errno on failure: then the namespaces are refused. macOS: fork, with
// neither.
pid_t start_reaper(bool new_namespaces, int cgroup_dir, bool& in_cgroup);

// Whether the command's process is started with vfork (supervisor.cpp): sharing the reaper's
// memory until it execs. Linux: yes. macOS: no, fork.
bool command_shares_memory();

// The reaper's first steps: into the run's cgroup through its cgroup.procs, open as
// `cgroup_procs`, unless it started there (`in_cgroup`; -1: the run has none), so that every
// process of the run is in it; then, when it was cloned into namespaces, their view
// (`namespaces`; null: none). Throws SandboxError. macOS has neither: a run that asks for
// one is refused.
void enter_run(int cgroup_procs, bool in_cgroup, const NamespacePlan* namespaces);

// "/" as the supervisor sees it, held for the reaper to reach the run's private temporary
// directory from the namespaces' view (remove_private_tmp); -1 and errno on failure.
int open_host_root();

// At the end of a run in namespaces: the private temporary directory, bound onto itself in
// the view, is unbound, so that it can be removed (not EBUSY). macOS: no view, nothing bound.
void unbind_private_tmp(const std::string& path);

// Closes every descriptor open from `first` to `last`. Throws SandboxError. Linux:
// close_range. macOS, which has no close_range: each one open, as libproc lists them.
void close_descriptors(unsigned first, unsigned last);

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

// A socket of the supervisor's (the proxy's) that a write after its peer left must not
// kill with SIGPIPE. Linux: nothing to do on the socket (send_quietly says MSG_NOSIGNAL).
// macOS: SO_NOSIGPIPE. False after a failure.
bool quiet_on_broken_pipe(int socket);

// send() that raises no SIGPIPE (EPIPE instead), on a socket made quiet_on_broken_pipe.
ssize_t send_quietly(int socket, const void* data, std::size_t size);

}  // namespace nono::runtime
