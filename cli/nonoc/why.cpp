// nonoc why PROFILE --path P… --access read|write|exec… | --syscall NAME [--args A,B…] [--arch A]
//                   | --connect tcp:PORT|HOST:PORT | --bind tcp:PORT | --udp
// Allowed or denied, and the rules that decided it: every path with every access, one answer
// each (a blank line between), from one compilation of the profile. Exit 0 allowed (all of
// them), 1 denied (any of them, or an invalid profile), 2 bad usage.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/common/profile_flags.hpp"
#include "cli/nonoc/commands.hpp"
#include "compiler/constants.hpp"
#include "compiler/dump_ir.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/explain.hpp"
#include "compiler/query.hpp"
#include "compiler/syscalls.hpp"
#include "core/paths.hpp"
#include "runtime/unmet_grants.hpp"

namespace nono::cli {

namespace {

std::string describe(const ir::Origin& o) {
    std::string text = o.statement.empty() ? "(built-in)" : o.statement;
    return text + "  (" + origin_place(o) + ")";
}

std::string applied(const AppliedRule& r) {
    return describe(r.rule.origin) + (r.glob ? "  glob " : "  on ") + r.path;
}

// A path that names another file on this machine, through a symlink: the sandbox applies
// a rule stated there to that file (DESIGN.md, "Paths mean files, not spellings").
void show_file(const std::string& path) {
    std::error_code ec;
    const std::filesystem::path file = std::filesystem::weakly_canonical(path, ec);
    if (!ec && file != path) std::cout << "  on this machine: " << path << " is the file " << file.string() << '\n';
}

// `machine`: answer for this machine's file system too; not when a variable is bound
// (--bind), which asks about a machine described, not this one.
bool why_path(const ir::Policy& policy, const std::string& path, const std::string& access, bool machine) {
    std::optional<ir::Rights> rights = ir::rights_of_word(access);
    PathDecision d = decide_path(policy, path, *rights);
    // What this machine's file system makes of the grant under the plan's layout: the
    // answer the kernel gives a sandboxed child.
    const std::optional<std::string> grant = machine ? granted_at(d) : std::nullopt;
    const runtime::OnThisMachine here = grant ? runtime::on_this_machine(landlock_plan(policy), canonical_path(path), *grant, *rights)
                                              : runtime::OnThisMachine{};
    // Writing a protected path is refused (Seatbelt; a bind), or undone when the run ends.
    const auto* protect = (*rights & ir::kWrite) ? protecting(policy, path) : nullptr;
    const bool refused_by_protect = protect && policy.platform == ir::Platform::Macos;
    std::cout << (here.refused ? "denied on this machine: "
                  : refused_by_protect || !d.allowed ? "denied: "
                  : protect ? "protected: "
                            : "allowed: ")
              << access << ' ' << path << '\n';
    if (here.refused) std::cout << "  the profile allows it, but " << here.why << '\n';
    if (!d.allowed && d.allowed_rights)
        std::cout << "  allowed: " << ir::rights_to_string(d.allowed_rights)
                  << "; denied: " << ir::rights_to_string(*rights & ~d.allowed_rights) << '\n';
    for (const AppliedRule& r : d.deciding) std::cout << "  decided by: " << applied(r) << '\n';
    for (const AppliedRule& r : d.overridden) std::cout << "  overridden: " << applied(r) << '\n';
    if (d.deciding.empty()) std::cout << "  no statement allows it: what no statement allows is denied\n";
    show_file(path);
    for (const AppliedRule& r : d.deciding)
        if (!r.glob && r.path != path) show_file(r.path);
    if (!here.refused && !here.why.empty()) std::cout << "  on this machine: " << here.why << '\n';
    if (!protect) return d.allowed && !here.refused;
    std::cout << "  protected by: " << describe(protect->second) << "  on " << protect->first << '\n';
    if (policy.platform == ir::Platform::Macos) {
        std::cout << "  Seatbelt refuses writing, creating, removing and renaming it, whether it exists or not\n";
    } else {
        std::cout << "  where it exists at start inside a write grant and a user namespace exists: a read-only bind "
                     "(not written, replaced, renamed over or removed)\n"
                     "  otherwise (missing at start, or no user namespace): "
                  << (d.allowed ? "writable during the run; " : "")
                  << "a file the run made or changed there is moved aside when it ends, and the original put back\n";
    }
    return false;
}

std::optional<std::uint64_t> argument(const std::string& text) {
    if (auto c = constant_value(text)) return c;
    try {
        std::size_t used = 0;
        std::uint64_t v = std::stoull(text, &used, 0);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

int why_syscall(const OptimizedPolicy& policy, const std::string& name, const std::vector<std::string>& arg_texts,
                ir::Arch arch) {
    std::optional<std::uint32_t> nr = syscall_number(arch, name);
    if (!nr) {
        std::cerr << "nonoc why: `" << name << "` is not a syscall on " << ir::arch_name(arch) << '\n';
        return 2;
    }
    std::array<std::uint64_t, 6> args{};
    if (arg_texts.size() > 6) {
        std::cerr << "nonoc why: a syscall has at most 6 arguments\n";
        return 2;
    }
    for (std::size_t i = 0; i < arg_texts.size(); ++i) {
        std::optional<std::uint64_t> v = argument(arg_texts[i]);
        if (!v) {
            std::cerr << "nonoc why: --args: `" << arg_texts[i] << "` is neither a number nor a known constant\n";
            return 2;
        }
        args[i] = *v;
    }
    SyscallVerdict v = decide_syscall(policy, arch, *nr, args);
    std::cout << (v.allowed ? "allowed: " : "denied: ") << name << " (" << ir::arch_name(arch) << ", nr " << *nr
              << "): " << ir::action_to_string(v.action) << '\n';
    if (v.rule) {
        std::string checks;
        for (const ir::ArgCheck& c : v.rule->checks) checks += (checks.empty() ? "" : " && ") + check_to_string(c);
        std::cout << "  condition:  " << checks << '\n';
    }
    for (const ir::Origin& o : v.origins)
        std::cout << (v.is_default ? "  the default: " : "  decided by: ") << describe(o) << '\n';
    return v.allowed ? 0 : 1;
}

int why_net(const std::string& what, const NetVerdict& v) {
    std::cout << (v.allowed ? "allowed: " : "denied: ") << what << '\n';
    if (v.origin)
        std::cout << "  decided by: " << describe(*v.origin) << '\n';
    else
        std::cout << "  no statement allows it: what no network statement allows is refused\n";
    return v.allowed ? 0 : 1;
}

std::optional<std::uint16_t> port_number(const std::string& digits) {
    try {
        std::size_t used = 0;
        unsigned long port = std::stoul(digits, &used, 10);
        if (used == digits.size() && port >= 1 && port <= 65535) return static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::optional<std::uint16_t> tcp_port(const std::string& spec) {
    if (spec.rfind("tcp:", 0) != 0) return std::nullopt;
    return port_number(spec.substr(4));
}

// --connect tcp:PORT (any address) or HOST:PORT.
struct ConnectQuestion {
    std::string host;  // empty: any address
    std::uint16_t port = 0;
};
std::optional<ConnectQuestion> connect_question(const std::string& spec) {
    if (auto port = tcp_port(spec)) return ConnectQuestion{"", *port};
    const std::size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    auto port = port_number(spec.substr(colon + 1));
    if (!port) return std::nullopt;
    return ConnectQuestion{spec.substr(0, colon), *port};
}

struct WhyArgs {
    std::string profile, syscall, arch, connect;
    std::vector<std::string> paths, accesses, args;
    bool udp = false;
    ProfileFlags flags;
};

// The answer to the question asked (each path with each access: one answer each), printed;
// the exit status: 0 allowed, 1 denied or a profile with errors, 2 a question that cannot be
// asked.
int answer(const WhyArgs& a) {
    // --bind is both VAR=VAL (a variable) and tcp:PORT (the question); tell them apart by form.
    std::optional<std::uint16_t> bind_port;
    ProfileFlags flags = a.flags;
    flags.bindings.clear();
    for (const std::string& b : a.flags.bindings) {
        if (b.rfind("tcp:", 0) != 0) {
            flags.bindings.push_back(b);
        } else if (!(bind_port = tcp_port(b))) {
            std::cerr << "nonoc why: --bind " << b << ": expected tcp:PORT with PORT from 1 to 65535\n";
            return 2;
        }
    }
    int questions = !a.paths.empty() + !a.syscall.empty() + !a.connect.empty() + bind_port.has_value() + a.udp;
    if (questions != 1) {
        std::cerr << "nonoc why: ask one question: --path, --syscall, --connect, --bind tcp:PORT or --udp\n";
        return 2;
    }
    const bool bad_path = std::any_of(a.paths.begin(), a.paths.end(), [](const std::string& p) { return p.empty() || p[0] != '/'; });
    const bool bad_access = std::any_of(a.accesses.begin(), a.accesses.end(), [](const std::string& w) { return !ir::rights_of_word(w); });
    if (!a.paths.empty() && (bad_path || bad_access)) {
        std::cerr << "nonoc why: --path needs absolute paths and --access read, write, exec or a right\n";
        return 2;
    }
    std::optional<ir::Arch> arch = a.arch.empty() ? ir::host_arch() : ir::arch_from_name(a.arch);
    std::optional<ConnectQuestion> connect = a.connect.empty() ? std::nullopt : connect_question(a.connect);
    if (!arch || (!a.connect.empty() && !connect)) {
        std::cerr << "nonoc why: " << (!arch ? "--arch: x86_64, i386, x32 or aarch64" : "--connect: tcp:PORT or HOST:PORT")
                  << '\n';
        return 2;
    }
    std::optional<CompileOptions> options = compile_options(flags);
    if (!options) return 2;
    options->keep_implied_rules = true;
    options->arches = {*arch};  // the only table asked about
    SourceMap sources;
    Diagnostics diags;
    std::optional<OptimizedPolicy> optimized = compile_profile(a.profile, *options, sources, diags);
    print_diagnostics(diags, sources);
    if (!optimized) return 1;
    const ir::Policy& policy = optimized->policy();
    if (!a.paths.empty()) {
        bool all_allowed = true;
        const char* between = "";
        for (const std::string& path : a.paths)
            for (const std::string& access : a.accesses) {
                std::cout << between;
                between = "\n";
                all_allowed &= why_path(policy, path, access, flags.bindings.empty());
            }
        return all_allowed ? 0 : 1;
    }
    if (!a.syscall.empty()) return why_syscall(*optimized, a.syscall, a.args, *arch);
    if (connect && connect->host.empty())
        return why_net("connect tcp " + std::to_string(connect->port), decide_connect_tcp(policy, connect->port));
    if (connect)
        return why_net("connect tcp " + connect->host + ":" + std::to_string(connect->port),
                       decide_connect_host(policy, connect->host, connect->port));
    if (bind_port) return why_net("bind tcp " + std::to_string(*bind_port), decide_bind_tcp(policy, *bind_port));
    return why_net("udp", decide_udp(policy));
}

}  // namespace

void add_why(CLI::App& app, int& status) {
    auto a = std::make_shared<WhyArgs>();
    CLI::App* cmd = app.add_subcommand("why", "Say whether a profile allows an access, and which rules decide it");
    cmd->add_option("PROFILE", a->profile, "Profile file or built-in name")->required();
    // One value per flag (--path A --path B): a second word after one is the profile.
    cmd->add_option("--path", a->paths, "A path to ask about (with --access); repeat it for more")->expected(1)->take_all();
    cmd->add_option("--access", a->accesses, "read, write, exec, or a fine-grained right; repeat it for more")
        ->expected(1)
        ->take_all()
        ->default_val("read");
    cmd->add_option("--syscall", a->syscall, "A syscall to ask about");
    cmd->add_option("--args", a->args, "Its arguments: numbers or constants, comma-separated")->delimiter(',');
    cmd->add_option("--arch", a->arch, "x86_64, i386, x32 or aarch64 (default: this machine's)");
    cmd->add_option("--connect", a->connect, "tcp:PORT (any address) or HOST:PORT");
    cmd->add_flag("--udp", a->udp, "Ask about UDP");
    add_profile_flags(*cmd, a->flags);
    cmd->callback([a, &status] { status = answer(*a); });
}

}  // namespace nono::cli
