// What `nono exec` and `nono run` share: compile a profile for this machine (or load a plan
// compiled ahead of time), then either describe what would be applied (--dry-run) or run
// the command under the supervisor (runtime/supervisor.hpp), which applies it in the
// command's process before exec (with --no-supervisor: applies it to this process and
// execs). Every failure before exec exits 125 without running the command.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/common/profile_flags.hpp"
#include "compiler/resolve.hpp"
#include "plan/landlock_plan.hpp"
#include "plan/net_address.hpp"
#include "runtime/proxy.hpp"
#include "runtime/supervisor.hpp"

namespace CLI {
class App;
}

namespace nono::cli {

struct LaunchFlags {
    ProfileFlags profile;
    bool dry_run = false;
    bool json = false;  // --dry-run as JSON
    bool allow_weaker = false;
    bool no_supervisor = false;
    bool quiet = false;  // nothing at start about grants the file system leaves unmet
    bool verbose = false;
    std::vector<int> keep_fds;
    std::vector<std::string> resolve;  // NAME=ADDR, for the proxy
    std::vector<std::string> command;
};

// --param, --bind, --workdir, --dry-run, --json, --allow-weaker, --keep-fd, --no-supervisor,
// --resolve, -q, -v, and `-- CMD…`.
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

// The run's private temporary directory ($TMPDIR in the profile, TMPDIR, TMP and TEMP for
// the command): made before the profile is compiled, removed when the launch returns,
// however the run ended (the supervisor removes it first, once nothing of the run is left).
// None with --no-supervisor: nothing would remain to remove it.
class RunTmpDir {
public:
    // Throws runtime::SandboxError.
    RunTmpDir(const LaunchFlags& flags, const std::string& parent) {
        if (!flags.no_supervisor) dir = runtime::make_private_tmp(parent);
    }
    RunTmpDir(const RunTmpDir&) = delete;
    RunTmpDir& operator=(const RunTmpDir&) = delete;
    ~RunTmpDir() { runtime::remove_private_tmp(dir); }
    runtime::PrivateTmp dir;  // none with --no-supervisor
};

// The user's TMPDIR (when absolute), or /tmp: where the run's private directory is made,
// and what $TMPDIR means with --no-supervisor.
std::string user_tmpdir();

// Makes `tmp` the private temporary directory for `flags`; false after saying why it
// could not.
bool make_private_tmp(const LaunchFlags& flags, std::optional<RunTmpDir>& tmp);

// Sets NAME=VALUE in the command's environment, in place of any other value or drop.
void set_variable(landlock::EnvPlan& env, const std::string& name, const std::string& value);

// --resolve NAME=ADDR…: the addresses for each name (for the proxy), or nullopt after
// saying what is wrong.
std::optional<std::map<std::string, std::vector<net::Address>>> resolve_flags(const std::vector<std::string>& specs);

// -v: what the proxy refused, one line each, at the end of the run.
void print_refusals(const runtime::Proxy& proxy);

}  // namespace nono::cli
