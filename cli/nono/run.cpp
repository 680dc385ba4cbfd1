// nono run [--allow-cwd] [--read P]… [--write P]… [--allow P]… [--exec P]… [--net none|all]
//          [--connect tcp:PORT|HOST:PORT]… [--loopback] [--listen tcp:PORT]… [--env-keep NAME]… [--limit KIND=AMOUNT]…
//          [--profile BASE] -- CMD…
//
// A profile made from flags, on top of a base profile (the built-in `run`: `base` plus the
// common language runtimes), compiled and applied like `nono exec`. The flags become the
// statements of an AST directly, so a path is never re-parsed and needs no quoting.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <filesystem>

#include "cli/nono/commands.hpp"
#include "cli/nono/launch.hpp"
#include "compiler/compile.hpp"
#include "plan/net_address.hpp"

namespace nono::cli {

namespace {

struct RunFlags {
    bool allow_cwd = false;
    bool loopback = false;
    std::vector<std::string> read, write, allow, exec, connect, listen, env_keep, limit;
    std::string net = "none";
    std::string base = "run";
};

// The flags' statements carry the flag as their place, so explain and errors name it.
SourceLocation flag_location(const std::string& flag) { return {"nono run " + flag, 0, 0}; }

ast::Path literal_path(const std::string& text, const SourceLocation& loc) {
    std::string absolute = text;
    if (absolute.empty() || absolute[0] != '/') absolute = (std::filesystem::current_path() / text).string();
    ast::Path path;
    path.quoted = true;
    path.loc = loc;
    path.parts.push_back({ast::PathPart::Kind::Text, absolute, std::nullopt, false, false, loc, /*literal=*/true});
    return path;
}

ast::Statement fs_rule(std::vector<std::string> words, const std::string& path, const std::string& flag) {
    SourceLocation loc = flag_location(flag);
    ast::FsRule rule;
    for (std::string& w : words) rule.access.push_back({std::move(w), loc});
    rule.paths.push_back(literal_path(path, loc));
    return {rule, loc, {}};
}

// "tcp:PORT" or "tcp:FIRST-LAST".
std::optional<ast::PortRange> parse_port(const std::string& spec, const SourceLocation& loc) {
    if (spec.rfind("tcp:", 0) != 0) return std::nullopt;
    std::string_view rest = std::string_view(spec).substr(4);
    auto number = [](std::string_view s) -> std::optional<std::uint32_t> {
        std::uint32_t v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc{} || end != s.data() + s.size() || v < 1 || v > 65535) return std::nullopt;
        return v;
    };
    std::size_t dash = rest.find('-');
    auto first = number(rest.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : number(rest.substr(dash + 1));
    if (!first || !last || *first > *last) return std::nullopt;
    return ast::PortRange{*first, *last, loc};
}

// "HOST:PORT" (not "tcp:PORT"): nullopt with `error` empty when `spec` names no host.
std::optional<ast::HostPorts> host_target(const std::string& spec, const SourceLocation& loc, std::string& error) {
    const std::size_t colon = spec.rfind(':');
    if (spec.rfind("tcp:", 0) == 0 || colon == std::string::npos) return std::nullopt;
    const auto parsed = net::parse_host(spec.substr(0, colon));
    auto ports = parse_port("tcp:" + spec.substr(colon + 1), loc);
    if (const auto* problem = std::get_if<std::string>(&parsed)) error = "--connect " + spec + ": " + *problem;
    else if (!ports) error = "--connect " + spec + ": expected HOST:PORT or HOST:FIRST-LAST (ports 1-65535)";
    if (!error.empty()) return std::nullopt;
    return ast::HostPorts{spec.substr(0, colon), *ports, loc};
}

// "memory=4G": the kind and the amount as a profile's `limit` statement reads them.
std::optional<ast::Statement> limit_statement(const std::string& spec, std::string& error) {
    const std::size_t equals = spec.find('=');
    const std::optional<limits::Kind> kind = limits::kind_named(std::string_view(spec).substr(0, equals));
    if (equals == std::string::npos || !kind) {
        error = "--limit " + spec + ": expected KIND=AMOUNT, KIND one of memory, processes, open-files, cpu-time, file-size";
        return std::nullopt;
    }
    const std::string written = spec.substr(equals + 1);
    const limits::Amount amount = limits::parse_amount(*kind, written);
    if (!amount.error.empty()) {
        error = "--limit " + spec + ": " + amount.error + " (" + amount.hint + ")";
        return std::nullopt;
    }
    const SourceLocation loc = flag_location("--limit " + spec);
    return ast::Statement{ast::Limit{*kind, amount.value, written}, loc, {}};
}

std::optional<ast::File> flags_profile(const RunFlags& run, std::string& error) {
    ast::Profile profile;
    profile.name = "nono-run";
    profile.parents.push_back({run.base, flag_location("--profile")});
    auto& statements = profile.statements;
    if (run.allow_cwd) {
        SourceLocation loc = flag_location("--allow-cwd");
        ast::FsRule rule;
        rule.access = {{"read", loc}, {"write", loc}};
        ast::Path cwd;
        cwd.loc = loc;
        cwd.parts.push_back({ast::PathPart::Kind::Variable, "CWD", std::nullopt, false, false, loc});
        rule.paths.push_back(cwd);
        statements.push_back({rule, loc, {}});
    }
    for (const auto& p : run.read) statements.push_back(fs_rule({"read"}, p, "--read"));
    for (const auto& p : run.write) statements.push_back(fs_rule({"write"}, p, "--write"));
    for (const auto& p : run.allow) statements.push_back(fs_rule({"read", "write"}, p, "--allow"));
    for (const auto& p : run.exec) statements.push_back(fs_rule({"read", "exec"}, p, "--exec"));
    if (!run.env_keep.empty())
        statements.push_back({ast::EnvRule{ast::EnvRule::Kind::Keep, run.env_keep, std::nullopt}, flag_location("--env-keep"), {}});
    if (run.net == "all") {
        SourceLocation loc = flag_location("--net all");
        statements.push_back({ast::NetRule{ast::Effect::Allow, ast::NetRule::Kind::Network, {}}, loc, {}});
    }
    if (run.loopback)
        statements.push_back({ast::NetRule{ast::Effect::Allow, ast::NetRule::Kind::Loopback, {}}, flag_location("--loopback"), {}});
    auto add_ports = [&](const std::vector<std::string>& specs, const char* flag, ast::NetRule::Kind kind) {
        for (const std::string& spec : specs) {
            SourceLocation loc = flag_location(std::string(flag) + " " + spec);
            ast::NetRule rule{ast::Effect::Allow, kind, {}};
            if (auto host = kind == ast::NetRule::Kind::ConnectTcp ? host_target(spec, loc, error) : std::nullopt) {
                rule.hosts.push_back(*host);
            } else if (!error.empty()) {
                return false;
            } else if (auto range = parse_port(spec, loc)) {
                rule.ports.push_back(*range);
            } else {
                error = std::string(flag) + " " + spec + ": expected tcp:PORT or tcp:FIRST-LAST (ports 1-65535)" +
                        (kind == ast::NetRule::Kind::ConnectTcp ? " or HOST:PORT" : "");
                return false;
            }
            statements.push_back({rule, loc, {}});
        }
        return true;
    };
    if (!add_ports(run.connect, "--connect", ast::NetRule::Kind::ConnectTcp) ||
        !add_ports(run.listen, "--listen", ast::NetRule::Kind::BindTcp))
        return std::nullopt;
    for (const std::string& spec : run.limit) {
        std::optional<ast::Statement> limit = limit_statement(spec, error);
        if (!limit) return std::nullopt;
        statements.push_back(std::move(*limit));
    }
    ast::File file;
    file.path = "<nono run>/nono-run.nono";
    file.profile = std::move(profile);
    return file;
}

}  // namespace

void add_run(CLI::App& app, int& status) {
    auto* command = app.add_subcommand("run", "Run a command with a profile made from flags, on top of a base profile");
    static RunFlags run;
    static LaunchFlags flags;
    command->add_flag("--allow-cwd", run.allow_cwd, "Allow reading and writing the working directory");
    command->add_option("--read", run.read, "Allow reading PATH")->type_name("PATH");
    command->add_option("--write", run.write, "Allow writing PATH")->type_name("PATH");
    command->add_option("--allow", run.allow, "Allow reading and writing PATH")->type_name("PATH");
    command->add_option("--exec", run.exec, "Allow reading and executing PATH")->type_name("PATH");
    command->add_option("--net", run.net, "Network: none (the default) or all")->check(CLI::IsMember({"none", "all"}));
    command->add_option("--connect", run.connect, "Allow TCP connections to PORT (any address) or to HOST:PORT")
        ->type_name("tcp:PORT|HOST:PORT");
    command->add_flag("--loopback", run.loopback, "Allow bind, listen and connect on 127.0.0.0/8 and ::1");
    command->add_option("--listen", run.listen, "Allow binding TCP PORT")->type_name("tcp:PORT");
    command->add_option("--env-keep", run.env_keep, "Pass the variable NAME although its name says secret")
        ->type_name("NAME");
    command->add_option("--limit", run.limit,
                        "Limit the run: memory=4G, processes=512, open-files=4096, cpu-time=30m, file-size=10G "
                        "(the base profile's own limits win where smaller)")
        ->type_name("KIND=AMOUNT");
    command->add_option("--profile", run.base, "The profile to build on (default: run = base + language runtimes)")
        ->type_name("BASE");
    add_launch_flags(*command, flags);
    command->callback([&status] {
        std::string error;
        std::optional<ast::File> file = flags_profile(run, error);
        if (!file) {
            status = refuse(error + "; nothing was run");
            return;
        }
        SourceMap sources;
        Diagnostics diags;
        FileLoader disk = disk_loader(sources, diags);
        const std::string own_folder = "<nono run>/";
        FileLoader load = [&](const std::string& path) -> std::optional<ast::File> {
            if (path == file->path) return *file;
            if (path.rfind(own_folder, 0) == 0) return std::nullopt;  // the flags have no folder of their own
            return disk(path);
        };
        status = launch(file->path, load, flags, sources, diags);
    });
}

}  // namespace nono::cli
