// Runtime: what runs killed with SIGKILL leave behind (their private temporary directory,
// their cgroup), and how a later run tells it from what a live run holds: a live run holds
// an flock on each for as long as it lives.
#pragma once

namespace nono::runtime {

// Whether the directory open as `dir` was left by a run that is gone: the caller's own, not
// changed in the last 2 seconds (a run may be between making it and locking it), and locked
// by no run. When true, the lock is now the caller's (held while `dir` stays open).
bool left_by_a_gone_run(int dir);

}  // namespace nono::runtime
