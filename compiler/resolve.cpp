// Stage 2a: resolve a profile and its parents into flat facts (see resolve.hpp). The
// parts live beside it, one responsibility each: find_profile (where files are),
// load_family (extends), expand_groups (syscall groups), expand_variables (params and
// variables), resolve_values (constants), statement_text (the text of origins). This file
// walks the statements and turns each into facts.
#include "compiler/resolve.hpp"

#include <algorithm>
#include <set>

#include "compiler/expand_groups.hpp"
#include "compiler/expand_variables.hpp"
#include "compiler/resolve_values.hpp"
#include "compiler/statement_text.hpp"
#include "core/suggest.hpp"

namespace nono {

namespace {

// Turns the statements of a loaded family into facts.
class Resolver {
public:
    Resolver(const ResolveOptions& options, const SourceMap& sources, Diagnostics& diags, const Family& family,
             SyscallGroups& groups, Variables& variables)
        : options_(options), diags_(diags), family_(family), groups_(groups), variables_(variables), texts_(sources) {}

    ResolvedProfile run() {
        out_.name = family_.files[0].file.profile->name;
        out_.platform = options_.platform;
        for (const LoadedFile& f : family_.files)
            for (const ast::Statement& s : f.file.profile->statements) resolve_statement(s, false);
        check_env_sets();
        out_.bindings = variables_.bindings();
        return std::move(out_);
    }

private:
    ir::Origin origin(const ast::Statement& s) { return {s.loc, texts_.text_at(s.loc)}; }

    static ir::Effect effect(ast::Effect e) { return e == ast::Effect::Allow ? ir::Effect::Allow : ir::Effect::Deny; }

    void resolve_statement(const ast::Statement& s, bool in_block) {
        std::visit([&](const auto& body) { resolve(s, body, in_block); }, s.body);
    }

    void resolve(const ast::Statement& s, const ast::Description& d, bool) {
        // The compiled profile's own description; a parent's does not describe the child.
        if (s.loc.file == family_.files[0].file.profile->loc.file && out_.description.empty()) out_.description = d.text;
    }
    void resolve(const ast::Statement&, const ast::Param&, bool) {}
    void resolve(const ast::Statement&, const ast::SyscallGroup&, bool) {}

    void resolve(const ast::Statement&, const ast::PlatformBlock& block, bool) {
        bool selected = (block.platform == ast::Platform::Linux) == (options_.platform == ir::Platform::Linux);
        if (!selected) return;
        for (const ast::Statement& inner : block.statements) resolve_statement(inner, true);
    }

    // A trailing `/` in the profile's own text (not in a variable's value) states a
    // directory: `~/.claude/` is one, `~/.claude.json` a file.
    static bool marks_directory(const ast::Path& p) {
        if (p.parts.empty()) return false;
        const ast::PathPart& last = p.parts.back();
        return last.kind == ast::PathPart::Kind::Text && !last.literal && last.text.ends_with('/') &&
               !(p.parts.size() == 1 && last.text.find_first_not_of('/') == std::string::npos);
    }

    void resolve(const ast::Statement& s, const ast::FsRule& rule, bool) {
        ir::Rights rights = 0;
        for (const ast::AccessWord& w : rule.access) {
            std::optional<ir::Rights> r = ir::rights_of_word(w.word);
            if (!r) {
                std::vector<std::string> words(std::begin(ast::kAccessWords), std::end(ast::kAccessWords));
                diags_.error(w.loc, "unknown access word `" + w.word + "`", did_you_mean(w.word, words));
                return;
            }
            rights |= *r;
        }
        if (rule.access.empty()) {
            if (rule.effect == ast::Effect::Allow) {
                diags_.error(s.loc, "`allow` needs access words", "for example `allow read,write PATH`");
                return;
            }
            rights = ir::kAllRights;
        }
        for (const ast::Path& p : rule.paths) {
            std::optional<Expansion> path = variables_.absolute_path(p);
            if (!path) continue;
            // The pattern's wildcards and the value's characters cannot be told apart in one glob.
            if (path->glob && path->value_wildcard) {
                diags_.error(p.loc, "a glob cannot hold a value with `*` or `?`: `" + path->text + "`",
                             "the value's `*` or `?` would match other files; give the variable a path without them");
                continue;
            }
            // A secret is re-opened by an `allow` of the very same path, which a glob is not.
            if (rule.secret && path->glob) {
                diags_.error(p.loc, "`deny secret` names paths, not globs: `" + path->text + "`",
                             "name each file, or use `deny` (which no `allow` re-opens)");
                continue;
            }
            // What is bound, or recorded at start and checked at the end, is one object.
            if (rule.protect && path->glob) {
                diags_.error(p.loc, "`protect` names paths, not globs: `" + path->text + "`",
                             "name each file; `deny write` takes a glob (at the cost of creating files beside it)");
                continue;
            }
            out_.fs.push_back({effect(rule.effect), rule.protect ? ir::kWrite : rights, path->text, origin(s), !path->glob,
                               marks_directory(p), rule.secret, rule.protect});
        }
    }

    void resolve(const ast::Statement& s, const ast::NetRule& rule, bool) {
        NetFact fact{effect(rule.effect), rule.kind, {}, origin(s)};
        for (const ast::PortRange& r : rule.ports) {
            if (r.first < 1 || r.last > 65535 || r.first > r.last) {
                diags_.error(r.loc, "ports are 1 to 65535, and a range goes upwards");
                return;
            }
            fact.ports.push_back({static_cast<std::uint16_t>(r.first), static_cast<std::uint16_t>(r.last)});
        }
        // A host, loopback or socket is reached only where allowed; a deny would have
        // nothing narrower to carve from.
        const bool names_peers = !rule.hosts.empty() || rule.kind == ast::NetRule::Kind::Loopback ||
                                 rule.kind == ast::NetRule::Kind::UnixConnect;
        if (rule.effect == ast::Effect::Deny && names_peers) {
            diags_.error(s.loc, "`deny` takes ports or kinds, not hosts, loopback or socket paths",
                         "what no statement allows is denied: leave the host out of the `allow`");
            return;
        }
        for (const ast::HostPorts& h : rule.hosts) {
            const auto parsed = net::parse_host(h.host);
            if (const auto* problem = std::get_if<std::string>(&parsed)) {
                diags_.error(h.loc, *problem);
                return;
            }
            fact.hosts.push_back({std::get<net::HostPattern>(parsed),
                                  {static_cast<std::uint16_t>(h.ports.first), static_cast<std::uint16_t>(h.ports.last)}});
        }
        for (const ast::Path& p : rule.paths) {
            std::optional<Expansion> path = variables_.absolute_path(p);
            if (!path) return;
            if (path->glob) {
                diags_.error(p.loc, "a socket path cannot be a glob: `" + path->text + "`", "name each socket");
                return;
            }
            fact.paths.push_back(path->text);
        }
        out_.net.push_back(std::move(fact));
    }

    void resolve(const ast::Statement& s, const ast::SyscallDefault& d, bool) {
        if (std::optional<ir::Action> a = resolve_action(d.action, ast::Effect::Allow, diags_))
            out_.syscall_defaults.push_back({*a, origin(s)});
    }

    void resolve(const ast::Statement& s, const ast::SyscallRule& rule, bool) {
        std::set<std::string> names;
        for (const ast::SyscallName& n : rule.names) groups_.add_syscall_name(n, names);
        auto alts = resolve_conditions(rule.conditions, diags_);
        std::optional<ir::Action> a = resolve_action(rule.action, rule.effect, diags_);
        if (!a || !alts || names.empty()) return;
        out_.syscalls.push_back(
            {effect(rule.effect), std::vector<std::string>(names.begin(), names.end()), std::move(*alts), *a, origin(s)});
    }

    void resolve(const ast::Statement& s, const ast::MacosRule& rule, bool in_block) {
        if (!in_block) {
            diags_.error(s.loc, "this statement is for macOS only", "put it inside `on macos { … }`");
            return;
        }
        out_.macos.push_back({effect(rule.effect), rule.kind, rule.names, origin(s)});
    }

    void resolve(const ast::Statement& s, const ast::EnvRule& rule, bool) {
        EnvFact fact{rule.kind, rule.names, {}, origin(s)};
        if (rule.kind == ast::EnvRule::Kind::Set) {
            std::optional<Expansion> v = rule.value ? variables_.expand(*rule.value) : Expansion{};
            if (!v) return;
            fact.value = v->text;
        }
        out_.env.push_back(std::move(fact));
    }

    void resolve(const ast::Statement& s, const ast::Limit& limit, bool) {
        out_.limits.push_back({limit.kind, limit.amount, origin(s)});
    }

    // Two `env set` of one variable with different values depend on order: refuse them.
    void check_env_sets() {
        std::map<std::string, const EnvFact*> seen;
        for (const EnvFact& f : out_.env) {
            if (f.kind != ast::EnvRule::Kind::Set) continue;
            for (const std::string& name : f.names) {
                auto [it, inserted] = seen.emplace(name, &f);
                if (!inserted && it->second->value != f.value)
                    diags_.error(f.origin.loc, "`" + name + "` is set twice with different values",
                                 "the other is at " + it->second->origin.loc.str());
            }
        }
    }

    const ResolveOptions& options_;
    Diagnostics& diags_;
    const Family& family_;
    SyscallGroups& groups_;
    Variables& variables_;
    StatementTexts texts_;
    ResolvedProfile out_;
};

}  // namespace

ResolvedProfile resolve_profile(const std::string& path, const ResolveOptions& options, const FileLoader& load,
                                const SourceMap& sources, Diagnostics& diags) {
    std::optional<Family> family = load_family(path, options, load, diags);
    if (!family) return {};
    SyscallGroups groups(diags);
    const bool groups_parsed = groups.load(family->files, options, load);
    // A file that did not parse has no meaningful AST; a missing parent or a cycle
    // leaves the rest worth checking, so that every error is reported in one run.
    if (family->unparsed || !groups_parsed) return {};
    Variables variables(options, diags);
    variables.declare_params(family->files, family->incomplete);
    return Resolver(options, sources, diags, *family, groups, variables).run();
}

}  // namespace nono
