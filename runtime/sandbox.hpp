// Runtime: applies a Landlock plan and a seccomp filter to the calling process, then
// execs the command. In order: PR_SET_NO_NEW_PRIVS; probe the Landlock ABI; create the
// ruleset with the rights the kernel knows; open each path (O_PATH, symlinks resolve
// here, a missing path is skipped); add the rules and expansions; landlock_restrict_self;
// close inherited descriptors; clear the capabilities and lock the securebits; install the
// seccomp filter; execve.
//
// Fails closed: when a step fails, or the kernel cannot enforce a part of the plan and
// the caller did not accept that (allow_weaker), the command is not run (exit 125).
#pragma once

#include <linux/filter.h>

#include <string>
#include <vector>

#include "runtime/command.hpp"
#include "runtime/enforce_limits.hpp"
#include "plan/landlock_plan.hpp"
#include "runtime/mediation.hpp"
#include "runtime/path_facts.hpp"

namespace nono::runtime {

struct SandboxOptions {
    bool allow_weaker = false;               // run even if the kernel enforces less than the plan
    std::vector<sock_filter> seccomp_filter;  // installed after Landlock; empty: none
    std::vector<int> keep_fds;                // descriptors above 2 passed to the command
    limits::Enforcement limits;               // what the run's cgroup bounds (default: no cgroup)
    // Paths bound read-only inside write grants (namespaces.hpp): their denies of what a
    // read-only mount refuses need no Landlock carve-out.
    std::vector<std::string> read_only_binds = {};
    int mediation_channel = -1;  // where the mediation's listener goes (mediation.hpp)
    // What the mediation carries: the network, and without namespaces the metadata. Set
    // before the fork, so the command builds the filter the supervisor serves.
    Mediated mediated = {};
    // What nono learned of the plan's paths before it forked (path_facts.hpp), valid in the
    // command's view of the file system; null: the command asks the kernel itself.
    PathFacts* path_facts = nullptr;
};

// The parts of the plan that the kernel with Landlock ABI `abi` enforces more weakly than
// written, one line each ("truncate (needs ABI 3)"), including the deny globs no kernel
// enforces fully; empty when it enforces everything. Limits are the run's cgroup's to
// report (limits::weaker_than_written).
std::vector<std::string> weaker_on(const landlock::Plan& plan, int abi);

// What applying the plan on this machine amounts to, without applying it.
struct ConcreteRule {
    std::string path;  // as opened; expansion entries as directory/name
    landlock::Access access = 0;
    bool directory = false;
};
struct ConcreteRuleset {
    int abi = 0;
    landlock::Access handled_fs = 0;
    landlock::Access handled_net = 0;
    landlock::Access scoped = 0;
    std::vector<ConcreteRule> rules;
    std::vector<std::string> resolved;  // "STATED -> FILE" for each stated path that is another file's name
    std::vector<std::string> skipped;   // "PATH: reason" (missing, a symlink where none may be, …)
    std::vector<std::string> weaker;   // the kernel's; the limits' are the caller's to add
    limits::Enforcement limits;        // what the run's cgroup would enforce (the caller's to fill)
};
ConcreteRuleset resolve_ruleset(const landlock::Plan& plan, int abi, const std::vector<std::string>& read_only_binds = {});
// The --dry-run text: ABI, handled rights, every rule, ports, scopes, skipped paths.
std::string describe(const landlock::Plan& plan, const ConcreteRuleset& ruleset);

// The plan's paths, globs expanded, moved to the files they name (as the sandbox applies them).
std::vector<landlock::PathEntry> files_named(const landlock::Plan& plan, PathFacts& facts);

// Opens a layout path refusing every symlink on the way (ELOOP): the stated paths lead to
// their files already (files_named), so a symlink found now was put there since, and a path
// the layout adds below a stated one never passes through one (see landlock::PathRule).
// -1 and errno on failure.
int open_layout_path(const std::string& path, int flags);

// Restricts the calling process (no_new_privs, Landlock, seccomp). Throws SandboxError;
// after a throw the process may be partly restricted and must not run the command.
void sandbox_self(const landlock::Plan& plan, const SandboxOptions& options);

// All of the above: sandbox, descriptors, exec. On any failure prints "nono: REASON" and
// "Hint: …" and exits 125 without running the command. `command` is prepared before the
// process that runs it is forked: its pages are then only read here, never copied.
[[noreturn]] void run_sandboxed(const landlock::Plan& plan, const SandboxOptions& options, const PreparedCommand& command);

}  // namespace nono::runtime
