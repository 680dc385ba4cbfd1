// Runtime: the run's private temporary directory (TMPDIR, TMP and TEMP of the command, and
// $TMPDIR in its profile): made by nono in the user's TMPDIR (in `nono-UID` there, the
// user's runs' own directory) before the sandbox applies, removed with everything in it when
// the run ends, however it ends.
//
// A run whose nono was killed with SIGKILL cannot remove its own: the next run made in the
// same TMPDIR removes those of the user's that no live run holds (a run holds an flock on
// its directory for as long as it lives).
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <string>

namespace nono::runtime {

// The run's private temporary directory: its path, and what it is, so that removing it
// never removes another directory made under the same name since.
struct PrivateTmp {
    std::string path;  // empty: none
    dev_t device = 0;
    ino_t inode = 0;
    int lock = -1;     // the directory, open with the flock that says the run lives; nono's to close
};

// A fresh private directory (mode 0700) for one run, in `tmpdir`'s `nono-UID`, by its
// canonical path, after removing the ones killed runs left there. Throws SandboxError.
PrivateTmp make_private_tmp(const std::string& tmpdir);

// Removes the directory and everything below it, following no symlink, if it is still
// the one made; errors are ignored (what remains is the user's, and nothing of the run
// can reach it any more). Its path is resolved from `root`: "/" as nono sees it, opened
// before a mount namespace changed the view (AT_FDCWD: this process's own view). Leaves
// `tmp.lock` open.
void remove_private_tmp(const PrivateTmp& tmp, int root = AT_FDCWD);

}  // namespace nono::runtime
