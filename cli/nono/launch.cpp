#include "cli/nono/launch.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/nono/target.hpp"
#include "compiler/compile.hpp"
#include "compiler/directories.hpp"
#include "runtime/command.hpp"

namespace nono::cli {

void add_launch_flags(CLI::App& command, LaunchFlags& flags) {
    add_profile_flags(command, flags.profile, /*with_platform=*/false);
    CLI::Option* dry_run = command.add_flag(
        "--dry-run", flags.dry_run,
        "Print what would be applied, each rule with its statement, and what this machine makes of it; run nothing");
    command.add_flag("--json", flags.json, "With --dry-run: the same for tools, as JSON")->needs(dry_run);
    command.add_flag("--allow-weaker", flags.allow_weaker,
                     "Run even where this kernel enforces less than the profile says (prints what is weaker)");
    command.add_option("--keep-fd", flags.keep_fds, "Pass this open descriptor (above 2) to the command")
        ->type_name("N")
        ->check(CLI::Range(3, 1 << 20));
    command.add_flag("-q,--quiet", flags.quiet,
                     "Say nothing at start about what the profile grants but this file system does not give");
    command.add_option("--resolve", flags.resolve, "Have the proxy reach NAME at ADDR for this run (tests, local mirrors)")
        ->type_name("NAME=ADDR");
    command.add_flag("-v,--verbose", flags.verbose, "At exit, list the connections the proxy and the supervisor refused");
    command.add_flag("--no-supervisor", flags.no_supervisor,
                     "Exec the command in place of nono (for embedding; weaker: see `man nono`)");
    command.add_option("command", flags.command, "The command and its arguments: nono's options end at its first word")->required();
}

int refuse(const std::string& reason, const std::string& hint) {
    std::cerr << "nono: " << reason << '\n';
    if (!hint.empty()) std::cerr << "Hint: " << hint << '\n';
    return runtime::kExitSandboxFailed;
}

// The user's TMPDIR (when absolute), or /tmp: where the run's private directory is made,
// and what $TMPDIR means with --no-supervisor.
std::string user_tmpdir() {
    const char* tmpdir = std::getenv("TMPDIR");
    if (!tmpdir || tmpdir[0] != '/') return "/tmp";
    std::string path = std::filesystem::path(tmpdir).lexically_normal().string();
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

// Makes `tmp` the private temporary directory for `flags`; false after saying why it
// could not. TMPDIR must be fit to hold it, as for a rule that names it: not `/`, not a
// system directory, the user's own or a shared sticky one.
bool make_private_tmp(const LaunchFlags& flags, std::optional<RunTmpDir>& tmp) {
    const std::string parent = user_tmpdir();
    const std::string unfit = flags.no_supervisor ? std::string() : unfit_directory("TMPDIR", parent);
    if (!unfit.empty()) {
        refuse(unfit + "; nothing was run", "set TMPDIR to a directory of yours, or unset it for /tmp");
        return false;
    }
    try {
        tmp.emplace(flags, parent);
        return true;
    } catch (const runtime::SandboxError& e) {
        std::cerr << "nono: " << e.what() << "; nothing was run\n" << e.hint << '\n';  // its hint says "Hint:"
        return false;
    }
}

void set_variable(landlock::EnvPlan& env, const std::string& name, const std::string& value) {
    std::erase_if(env.set, [&](const auto& kv) { return kv.first == name; });
    env.drop.erase(std::remove(env.drop.begin(), env.drop.end(), name), env.drop.end());
    env.set.emplace_back(name, value);
}

// --resolve NAME=ADDR…: the addresses for each name, or nullopt after saying what is wrong.
std::optional<std::map<std::string, std::vector<net::Address>>> resolve_flags(const std::vector<std::string>& specs) {
    std::map<std::string, std::vector<net::Address>> resolved;
    for (const std::string& spec : specs) {
        const std::size_t equals = spec.find('=');
        const auto name = net::parse_host(spec.substr(0, equals));
        const auto address = equals == std::string::npos ? std::nullopt : net::literal_address(spec.substr(equals + 1));
        const auto* pattern = std::get_if<net::HostPattern>(&name);
        if (!address || !pattern || pattern->kind != net::HostPattern::Kind::Name) {
            refuse("--resolve " + spec + ": expected NAME=ADDRESS, such as api.example.com=127.0.0.1; nothing was run");
            return std::nullopt;
        }
        resolved[pattern->name].push_back(*address);
    }
    return resolved;
}

void print_refusals(const runtime::Proxy& proxy) {
    for (const std::string& line : proxy.refusals()) std::cerr << "nono: the proxy refused: " << line << '\n';
}

int launch(const std::string& path, const FileLoader& load, const LaunchFlags& flags, SourceMap& sources,
           Diagnostics& diags) {
    std::optional<CompileOptions> options = compile_options(flags.profile);
    if (!options) return runtime::kExitSandboxFailed;
    options->platform = target_platform();
    options->arches = {ir::host_arch()};  // the one filter installed (Linux)
    if (options->bindings.count("TMPDIR") && !flags.no_supervisor)
        return refuse("--bind TMPDIR does not apply to nono: $TMPDIR is the run's private temporary directory; nothing was run");
    std::optional<RunTmpDir> tmp;
    if (!make_private_tmp(flags, tmp)) return runtime::kExitSandboxFailed;
    if (!tmp->dir.path.empty()) options->bindings["TMPDIR"] = tmp->dir.path;
    // The command runs where $CWD points, so the workspace a profile grants is its own.
    if (!flags.profile.workdir.empty() && chdir(flags.profile.workdir.c_str()) != 0)
        return refuse("cannot enter --workdir " + flags.profile.workdir + ": " + std::strerror(errno) + "; nothing was run");
    std::optional<OptimizedPolicy> policy = compile_file(path, *options, load, sources, diags);
    print_diagnostics(diags, sources);
    if (!policy || diags.has_errors())
        return refuse("the profile has errors; nothing was run", "check it with `nonoc check " + path + "`");

    return run_policy(*policy, flags, *tmp);
}

}  // namespace nono::cli
