// What `nono exec` and `nono run` share: compile a profile for this machine (or load a plan
// compiled ahead of time), then either describe what would be applied (--dry-run) or run
// the command under the supervisor (runtime/supervisor.hpp), which applies it in the
// command's process before exec (with --no-supervisor: applies it to this process and
// execs). Every failure before exec exits 125 without running the command.
#pragma once

#include <string>
#include <vector>

#include "cli/common/profile_flags.hpp"
#include "compiler/resolve.hpp"

namespace CLI {
class App;
}

namespace nono::cli {

struct LaunchFlags {
    ProfileFlags profile;
    bool dry_run = false;
    bool allow_weaker = false;
    bool no_supervisor = false;
    bool verbose = false;
    std::vector<int> keep_fds;
    std::vector<std::string> resolve;  // NAME=ADDR, for the proxy
    std::vector<std::string> command;
};

// --param, --bind, --workdir, --dry-run, --allow-weaker, --keep-fd, --no-supervisor, --resolve,
// -v, and `-- CMD…`.
void add_launch_flags(CLI::App& command, LaunchFlags& flags);

// Compiles the profile in `path` (read through `load`), then runs the command under it.
// Returns the command's status as a shell reports it, 0 after a dry run, 125 when nothing
// was run.
int launch(const std::string& path, const FileLoader& load, const LaunchFlags& flags, SourceMap& sources,
           Diagnostics& diags);

// Loads the compiled plan in `path` (`nonoc compile --target plan`), then runs the
// command under it, as launch does, with no profile parsed and nothing compiled.
int launch_plan(const std::string& path, const LaunchFlags& flags);

// Prints "nono: REASON" (and "Hint: HINT") to stderr; returns 125.
int refuse(const std::string& reason, const std::string& hint = {});

}  // namespace nono::cli
