// Stage 2a: resolve a profile and its parents into flat facts (see resolve.hpp).
#include "compiler/resolve.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "compiler/constants.hpp"
#include "compiler/directories.hpp"
#include "compiler/paths.hpp"
#include "compiler/suggest.hpp"
#include "compiler/syscalls.hpp"

namespace nono {

namespace fs = std::filesystem;

std::vector<std::string> profile_path_from_env() {
    std::vector<std::string> dirs;
    const char* env = std::getenv("NONO_PROFILE_PATH");
    std::string_view rest = env ? env : "";
    while (!rest.empty()) {
        std::size_t colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        if (!dir.empty()) dirs.emplace_back(dir);
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
    return dirs;
}

std::string builtin_profile_dir() {
    std::error_code ec;
    if (fs::is_directory(NONO_INSTALLED_PROFILE_DIR, ec)) return NONO_INSTALLED_PROFILE_DIR;
    return NONO_SOURCE_PROFILE_DIR;
}

namespace {

bool is_file_argument(const std::string& s) {
    auto ends_with = [&](std::string_view suffix) {
        return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return s.find('/') != std::string::npos || ends_with(".nono") || ends_with(".yaml");
}

std::string join(const std::string& dir, const std::string& file) {
    if (dir.empty() || dir == ".") return file;
    return dir.back() == '/' ? dir + file : dir + "/" + file;
}

std::string folder_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// The files a profile NAME may be in, in search order.
std::vector<std::string> candidates(const std::string& name, const std::vector<std::string>& dirs) {
    std::vector<std::string> out;
    for (const std::string& dir : dirs)
        for (const char* ext : {".nono", ".yaml"}) out.push_back(join(dir, name + ext));
    return out;
}

// A place looked in, for a hint: relative to the working directory when below it, so
// that messages read the same in every checkout.
std::string shown(const std::string& path) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (ec || path.empty() || path[0] != '/') return path;
    fs::path rel = fs::path(path).lexically_relative(cwd);
    if (rel.empty() || *rel.begin() == "..") return path;
    return rel.string();
}

std::string looked_in(const std::vector<std::string>& places) {
    std::string out;
    for (const std::string& p : places) out += (out.empty() ? "" : ", ") + shown(p);
    return "looked in: " + out;
}

std::string joined(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : sep) + item;
    return out;
}

}  // namespace

std::optional<std::string> find_profile(const std::string& name_or_path, const ResolveOptions& options,
                                        Diagnostics& diags) {
    std::error_code ec;
    if (is_file_argument(name_or_path)) {
        if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
        if (fs::exists(name_or_path, ec))
            diags.error({name_or_path, 0, 0}, "not a regular file", "a profile is a .nono or .yaml file");
        else
            diags.error({name_or_path, 0, 0}, "no such profile file");
        return std::nullopt;
    }
    std::vector<std::string> dirs = options.profile_path;
    dirs.push_back(options.builtin_dir);
    std::vector<std::string> looked = candidates(name_or_path, dirs);
    for (const std::string& file : looked)
        if (fs::is_regular_file(file, ec)) return file;
    diags.error({name_or_path, 0, 0}, "no profile named `" + name_or_path + "`", looked_in(looked));
    return std::nullopt;
}

namespace {

constexpr const char* kBuiltinVariables[] = {"HOME",           "CWD",           "TMPDIR",         "UID",
                                             "USER",           "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
                                             "XDG_STATE_HOME", "XDG_RUNTIME_DIR"};

bool is_builtin_variable(const std::string& name) {
    return std::find(std::begin(kBuiltinVariables), std::end(kBuiltinVariables), name) != std::end(kBuiltinVariables);
}

std::optional<std::string> absolute_env(const char* name) {
    const char* v = std::getenv(name);
    if (v && v[0] == '/') return std::string(v);
    return std::nullopt;
}


// A path with its variables put in. Only the profile's own text writes globs: a value's `*`
// or `?` (a workspace named `*`, a --param, an environment variable, a flag's path) is that
// character and nothing more.
struct Expansion {
    std::string text;
    bool glob = false;            // a wildcard written in the profile's text
    bool value_wildcard = false;  // a wildcard inside a value
};

Expansion value_expansion(std::string value) {
    const bool wildcard = is_glob(value);
    return {std::move(value), false, wildcard};
}

struct LoadedFile {
    std::string path;
    ast::File file;
};

class Resolver {
public:
    Resolver(const ResolveOptions& options, const FileLoader& load, const SourceMap& sources, Diagnostics& diags)
        : options_(options), load_(load), sources_(sources), diags_(diags) {}

    ResolvedProfile run(const std::string& path) {
        std::size_t errors = diags_.error_count();
        std::optional<ast::File> root = load_(path);
        if (!root) {
            diags_.error({path, 0, 0}, "cannot read the profile file");
            return {};
        }
        if (diags_.error_count() > errors) return {};
        if (!root->profile) {
            diags_.error({path, 0, 0}, "no profile in this file", "a profile starts with `profile NAME {`");
            return {};
        }
        files_.push_back({path, std::move(*root)});
        loaded_names_.insert(files_[0].file.profile->name);
        std::vector<std::string> chain{files_[0].file.profile->name};
        load_parents(0, chain);
        load_groups();
        // A file that did not parse has no meaningful AST; a missing parent or a cycle
        // leaves the rest worth checking, so that every error is reported in one run.
        if (unparsed_) return {};
        out_.name = files_[0].file.profile->name;
        out_.platform = options_.platform;
        collect_params();
        for (const LoadedFile& f : files_)
            for (const ast::Statement& s : f.file.profile->statements) resolve_statement(s, false);
        check_env_sets();
        return std::move(out_);
    }

private:
    // ------------------------------------------------------------------ parents

    void load_parents(std::size_t index, std::vector<std::string>& chain) {
        const std::string folder = folder_of(files_[index].path);
        const std::vector<ast::Parent> parents = files_[index].file.profile->parents;
        for (const ast::Parent& parent : parents) {
            auto in_chain = std::find(chain.begin(), chain.end(), parent.name);
            if (in_chain != chain.end()) {
                std::vector<std::string> cycle(in_chain, chain.end());
                cycle.push_back(parent.name);
                diags_.error(parent.loc, "`extends` makes a cycle: " + joined(cycle, " -> "),
                             "a profile cannot extend itself, directly or through its parents");
                continue;
            }
            if (loaded_names_.count(parent.name)) continue;  // reached already by another route
            std::vector<std::string> dirs{folder};
            dirs.insert(dirs.end(), options_.profile_path.begin(), options_.profile_path.end());
            dirs.push_back(options_.builtin_dir);
            std::vector<std::string> looked = candidates(parent.name, dirs);
            std::optional<ast::File> file;
            std::string found;
            std::size_t errors = diags_.error_count();
            // Loaded under the name shown to people, so locations read the same anywhere.
            for (const std::string& candidate : looked)
                if ((file = load_(shown(candidate)))) {
                    found = shown(candidate);
                    break;
                }
            if (!file) {
                diags_.error(parent.loc, "unknown parent profile `" + parent.name + "`",
                             looked_in(looked));
                incomplete_ = true;
                continue;
            }
            if (diags_.error_count() > errors) {
                unparsed_ = true;
                continue;
            }
            if (!file->profile || file->profile->name != parent.name) {
                diags_.error(parent.loc, "`" + found + "` does not define profile `" + parent.name + "`");
                continue;
            }
            loaded_names_.insert(parent.name);
            files_.push_back({found, std::move(*file)});
            chain.push_back(parent.name);
            load_parents(files_.size() - 1, chain);
            chain.pop_back();
        }
    }

    // ------------------------------------------------------------------ syscall groups

    void load_groups() {
        for (const LoadedFile& f : files_) {
            for (const ast::Statement& s : f.file.items) add_group(s);
            for (const ast::Statement& s : f.file.profile->statements) add_group(s);
        }
        std::string standard = shown(join(options_.builtin_dir, "syscall-groups.nono"));
        std::size_t errors = diags_.error_count();
        std::optional<ast::File> file = load_(standard);
        if (diags_.error_count() > errors) unparsed_ = true;
        if (!file || unparsed_) return;
        groups_files_.push_back(std::move(*file));
        // A profile's own definition of a standard group's name replaces the standard one.
        for (const ast::Statement& s : groups_files_.back().items) add_group(s, true);
    }

    void add_group(const ast::Statement& s, bool standard = false) {
        const auto* g = std::get_if<ast::SyscallGroup>(&s.body);
        if (!g) return;
        auto [it, inserted] = groups_.emplace(g->name, g);
        if (!inserted && !standard)
            diags_.error(g->loc, "syscall group `@" + g->name + "` is defined twice",
                         "the other definition is at " + it->second->loc.str());
    }

    // Group members, expanded; memoized so that an error in a group is reported once.
    const std::vector<std::string>& expand_group(const ast::SyscallName& ref) {
        static const std::vector<std::string> none;
        auto done = expanded_.find(ref.name);
        if (done != expanded_.end()) return done->second;
        auto group = groups_.find(ref.name);
        if (group == groups_.end()) {
            std::vector<std::string> known;
            for (const auto& [name, g] : groups_) known.push_back(name);
            auto near = nearest(ref.name, known);
            diags_.error(ref.loc, "unknown syscall group `@" + ref.name + "`",
                         near ? "did you mean `@" + *near + "`?" : std::string{});
            return expanded_[ref.name];
        }
        auto cycle_start = std::find(group_stack_.begin(), group_stack_.end(), ref.name);
        if (cycle_start != group_stack_.end()) {
            std::vector<std::string> cycle;
            for (auto it = cycle_start; it != group_stack_.end(); ++it) cycle.push_back("@" + *it);
            cycle.push_back("@" + ref.name);
            diags_.error(ref.loc, "syscall groups form a cycle: " + joined(cycle, " -> "));
            return none;
        }
        group_stack_.push_back(ref.name);
        std::set<std::string> members;
        for (const ast::SyscallName& m : group->second->members) add_syscall_name(m, members);
        group_stack_.pop_back();
        return expanded_[ref.name] = std::vector<std::string>(members.begin(), members.end());
    }

    void add_syscall_name(const ast::SyscallName& n, std::set<std::string>& into) {
        if (n.group) {
            const std::vector<std::string>& members = expand_group(n);
            into.insert(members.begin(), members.end());
            return;
        }
        const std::span<const std::string_view> known = all_syscall_names();
        if (!std::binary_search(known.begin(), known.end(), std::string_view(n.name))) {
            diags_.error(n.loc, "unknown syscall `" + n.name + "`: not a syscall on x86_64, i386, x32 or aarch64",
                         did_you_mean(n.name, std::vector<std::string>(known.begin(), known.end())));
            return;
        }
        into.insert(n.name);
    }

    // ------------------------------------------------------------------ params and variables

    void collect_params() {
        // The profile being compiled is first in files_, so its defaults win over a parent's.
        for (const LoadedFile& f : files_)
            for (const ast::Statement& s : f.file.profile->statements)
                if (const auto* p = std::get_if<ast::Param>(&s.body)) params_.emplace(p->name, p);
        for (const auto& [name, value] : options_.params) {
            // A missing parent may declare it: the missing parent is the error then.
            if (params_.count(name) || incomplete_) continue;
            std::vector<std::string> known;
            for (const auto& [n, p] : params_) known.push_back(n);
            std::string hint = did_you_mean(name, known);
            if (hint.empty())
                hint = known.empty() ? "this profile declares no params"
                                     : "this profile's params: " + joined(known, ", ");
            diags_.error({"--param " + name + "=" + value, 0, 0}, "unknown param `" + name + "`", hint);
        }
        for (const auto& [name, value] : options_.bindings) {
            if (is_builtin_variable(name) || name.rfind("env:", 0) == 0) continue;
            std::vector<std::string> known(std::begin(kBuiltinVariables), std::end(kBuiltinVariables));
            std::string hint = did_you_mean(name, known);
            diags_.error({"--bind " + name + "=" + value, 0, 0}, "unknown variable `" + name + "`",
                         hint.empty() ? "params are set with --param NAME=VALUE" : hint);
        }
    }

    std::optional<std::string> builtin_value(const std::string& name) {
        if (auto bound = options_.bindings.find(name); bound != options_.bindings.end()) return bound->second;
        // HOME comes from the environment only: a profile's ~ must mean the home the
        // program itself uses, so an unset, empty or relative HOME is an error, not a guess.
        if (name == "HOME") return absolute_env("HOME");
        if (name == "CWD") {
            std::error_code ec;
            fs::path dir = options_.workdir ? fs::absolute(*options_.workdir, ec) : fs::current_path(ec);
            if (ec) return std::nullopt;
            return dir.lexically_normal().string();
        }
        if (name == "TMPDIR") return absolute_env("TMPDIR").value_or("/tmp");
        if (name == "UID") return std::to_string(getuid());
        if (name == "USER") {
            if (const char* user = std::getenv("USER"); user && *user) return std::string(user);
            // The account's name, as a JVM's hsperfdata_USER uses; only here, since a lookup
            // may read /etc/passwd or load NSS modules.
            if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return std::string(pw->pw_name);
            return std::nullopt;
        }
        if (name == "XDG_RUNTIME_DIR")
            return absolute_env("XDG_RUNTIME_DIR").value_or("/run/user/" + *builtin_value("UID"));
        static const std::map<std::string, std::string> home_relative = {{"XDG_CONFIG_HOME", "/.config"},
                                                                          {"XDG_CACHE_HOME", "/.cache"},
                                                                          {"XDG_DATA_HOME", "/.local/share"},
                                                                          {"XDG_STATE_HOME", "/.local/state"}};
        if (auto it = home_relative.find(name); it != home_relative.end()) {
            if (auto set = absolute_env(name.c_str())) return set;
            if (auto home = builtin_value("HOME")) return *home + it->second;
        }
        return std::nullopt;
    }

    // The environment variable a built-in variable's value comes from, or empty: the XDG
    // directories a user did not set come from HOME.
    std::string environment_source(const std::string& name) {
        if (options_.bindings.count(name)) return {};
        const bool xdg = name.rfind("XDG_", 0) == 0;
        if (!xdg && name != "HOME" && name != "TMPDIR") return {};
        if (absolute_env(name.c_str())) return name;
        return xdg && name != "XDG_RUNTIME_DIR" ? environment_source("HOME") : std::string{};
    }

    std::optional<Expansion> variable(const ast::PathPart& part) {
        const std::string& name = part.text;
        if (auto p = params_.find(name); p != params_.end()) {
            if (auto set = options_.params.find(name); set != options_.params.end()) {
                out_.bindings[name] = set->second;
                return value_expansion(set->second);
            }
            if (std::find(param_stack_.begin(), param_stack_.end(), name) != param_stack_.end()) {
                diags_.error(part.loc, "param `" + name + "` refers to itself");
                return std::nullopt;
            }
            param_stack_.push_back(name);
            std::optional<Expansion> value = expand(p->second->default_value);
            param_stack_.pop_back();
            if (value) out_.bindings[name] = value->text;
            return value;
        }
        if (is_builtin_variable(name)) {
            std::optional<std::string> value = builtin_value(name);
            if (!value) {
                if (missing_reported_.insert(name).second)
                    diags_.error(part.loc,
                                 name == "HOME" ? "HOME is unset, empty or not an absolute path"
                                                : "cannot find a value for `$" + name + "`",
                                 "fix it with --bind " + name + "=VALUE");
                return std::nullopt;
            }
            if (std::string source = environment_source(name); !source.empty()) {
                if (std::string why = unfit_directory(source, std::getenv(source.c_str())); !why.empty()) {
                    if (missing_reported_.insert(name).second)
                        diags_.error(part.loc, "$" + name + " cannot be used in a rule: " + why,
                                     "set " + source + " to a directory of your own, or give one with --bind " + name +
                                         "=DIR");
                    return std::nullopt;
                }
            }
            out_.bindings[name] = *value;
            return value_expansion(*value);
        }
        std::vector<std::string> known(std::begin(kBuiltinVariables), std::end(kBuiltinVariables));
        for (const auto& [n, p] : params_) known.push_back(n);
        std::string hint = did_you_mean(name, known);
        diags_.error(part.loc, "unknown variable `$" + name + "`",
                     hint.empty() ? "variables: " + joined(known, ", ") + "; the environment: ${env:NAME}" : hint);
        return std::nullopt;
    }

    // A default's leading `~` is the home directory, as in a shell's ${NAME:-~/x}.
    std::optional<std::string> fallback_value(const std::string& fallback, const ast::PathPart& part) {
        if (fallback != "~" && fallback.rfind("~/", 0) != 0) return fallback;
        ast::PathPart home{ast::PathPart::Kind::Variable, "HOME", std::nullopt, true, false, part.loc};
        std::optional<Expansion> value = variable(home);
        if (!value) return std::nullopt;
        return value->text + fallback.substr(1);
    }

    std::optional<Expansion> env_value(const ast::PathPart& part) {
        std::string key = "env:" + part.text;
        std::optional<std::string> value;
        if (auto bound = options_.bindings.find(key); bound != options_.bindings.end())
            value = bound->second;
        else if (const char* v = std::getenv(part.text.c_str()))
            value = std::string(v);
        else if (part.fallback) {
            value = fallback_value(*part.fallback, part);
            if (!value) return std::nullopt;  // reported by the lookup of HOME
        }
        if (!value) {
            diags_.error(part.loc, "environment variable `" + part.text + "` is not set",
                         "give a default with ${env:" + part.text + ":-VALUE}, or fix it with --bind " + key + "=VALUE");
            return std::nullopt;
        }
        out_.bindings[key] = *value;
        return value_expansion(*value);
    }

    std::optional<Expansion> expand(const ast::Path& path) {
        Expansion out;
        bool ok = true;
        for (const ast::PathPart& part : path.parts) {
            std::optional<Expansion> piece;
            switch (part.kind) {
                case ast::PathPart::Kind::Text:
                    piece = part.literal ? value_expansion(part.text) : Expansion{part.text, is_glob(part.text), false};
                    break;
                case ast::PathPart::Kind::Variable: piece = variable(part); break;
                case ast::PathPart::Kind::Env: piece = env_value(part); break;
            }
            if (!piece) {
                ok = false;
                continue;
            }
            out.text += piece->text;
            out.glob = out.glob || piece->glob;
            out.value_wildcard = out.value_wildcard || piece->value_wildcard;
        }
        if (!ok) return std::nullopt;
        return out;
    }

    std::optional<Expansion> absolute_path(const ast::Path& path) {
        std::optional<Expansion> value = expand(path);
        if (value && (value->text.empty() || value->text[0] != '/')) {
            diags_.error(path.loc, "path `" + value->text + "` is not absolute",
                         "start it with `/`, `~`, or a variable that holds an absolute path");
            return std::nullopt;
        }
        return value;
    }

    // ------------------------------------------------------------------ values and actions

    std::optional<std::uint64_t> value(const ast::Value& v) {
        std::uint64_t out = 0;
        bool ok = true;
        for (const ast::Value::Term& t : v.terms) {
            if (t.number) {
                out |= *t.number;
                continue;
            }
            if (auto c = constant_value(t.name)) {
                out |= *c;
                continue;
            }
            diags_.error(t.loc, "unknown constant `" + t.name + "`", did_you_mean(t.name, constant_names()));
            ok = false;
        }
        if (!ok) return std::nullopt;
        return out;
    }

    std::optional<ir::Action> action(const std::optional<ast::Action>& written, ast::Effect effect) {
        if (!written) {
            if (effect == ast::Effect::Allow) return ir::Action{ir::Action::Kind::Allow, 0};
            return ir::Action{ir::Action::Kind::Errno, *errno_value("EPERM")};
        }
        using K = ast::Action::Kind;
        switch (written->kind) {
            case K::Allow:
                if (effect == ast::Effect::Deny) {
                    diags_.error(written->loc, "`deny syscall` cannot have the action `allow`",
                                 "write `allow syscall …`, or give an errno: `errno EPERM`");
                    return std::nullopt;
                }
                return ir::Action{ir::Action::Kind::Allow, 0};
            case K::Kill: return ir::Action{ir::Action::Kind::KillProcess, 0};
            case K::KillThread: return ir::Action{ir::Action::Kind::KillThread, 0};
            case K::Trap: return ir::Action{ir::Action::Kind::Trap, 0};
            case K::Log: return ir::Action{ir::Action::Kind::Log, 0};
            case K::Errno: break;
        }
        if (!written->errno_value) return ir::Action{ir::Action::Kind::Errno, *errno_value("EPERM")};
        const ast::Value& v = *written->errno_value;
        if (v.terms.size() == 1 && !v.terms[0].number) {
            if (auto e = errno_value(v.terms[0].name)) return ir::Action{ir::Action::Kind::Errno, *e};
            diags_.error(v.terms[0].loc, "unknown errno name `" + v.terms[0].name + "`",
                         did_you_mean(v.terms[0].name, errno_names()));
            return std::nullopt;
        }
        if (v.terms.size() == 1 && *v.terms[0].number <= 4095)
            return ir::Action{ir::Action::Kind::Errno, static_cast<std::uint16_t>(*v.terms[0].number)};
        diags_.error(v.loc, "an errno is one name or a number from 0 to 4095");
        return std::nullopt;
    }

    std::optional<std::vector<std::vector<ir::ArgCheck>>> alternatives(const std::vector<ast::Condition>& conditions) {
        std::vector<std::vector<ir::ArgCheck>> out{{}};
        bool ok = true;
        for (const ast::Condition& c : conditions) {
            if (c.arg > 5) {
                diags_.error(c.loc, "syscalls have six arguments: arg0 to arg5");
                ok = false;
                continue;
            }
            ir::ArgCheck base;
            base.arg = static_cast<std::uint8_t>(c.arg);
            std::uint64_t mask = ~0ull;
            if (c.op == ast::Condition::Op::MaskedEq && c.mask) {
                std::optional<std::uint64_t> m = value(*c.mask);
                ok = ok && m.has_value();
                mask = m.value_or(0);
            }
            // One check per value: `in {a, b}` multiplies the alternatives.
            std::vector<ir::ArgCheck> choices;
            for (const ast::Value& v : c.values) {
                std::optional<std::uint64_t> n = value(v);
                if (!n) {
                    ok = false;
                    continue;
                }
                ir::ArgCheck check = base;
                check.value = *n;
                switch (c.op) {
                    case ast::Condition::Op::Eq:
                    case ast::Condition::Op::In: check.op = ir::ArgCheck::Op::Eq; break;
                    case ast::Condition::Op::Ne: check.op = ir::ArgCheck::Op::Ne; break;
                    case ast::Condition::Op::Lt: check.op = ir::ArgCheck::Op::Lt; break;
                    case ast::Condition::Op::Le: check.op = ir::ArgCheck::Op::Le; break;
                    case ast::Condition::Op::Gt: check.op = ir::ArgCheck::Op::Gt; break;
                    case ast::Condition::Op::Ge: check.op = ir::ArgCheck::Op::Ge; break;
                    case ast::Condition::Op::MaskedEq:
                        check.op = ir::ArgCheck::Op::MaskedEq;
                        check.mask = mask;
                        break;
                }
                choices.push_back(check);
            }
            std::vector<std::vector<ir::ArgCheck>> next;
            for (const auto& alt : out)
                for (const ir::ArgCheck& choice : choices) {
                    next.push_back(alt);
                    next.back().push_back(choice);
                }
            out = std::move(next);
        }
        if (!ok) return std::nullopt;
        return out;
    }

    // ------------------------------------------------------------------ statements

    ir::Origin origin(const ast::Statement& s) { return {s.loc, statement_text(s.loc)}; }

    // The one-line text of a statement as written, for origins: its source line without
    // the comment and surrounding blanks. Line starts are indexed once per file, so this
    // stays linear in the size of the profile.
    std::string statement_text(const SourceLocation& loc) {
        const std::string* text = sources_.text(loc.file);
        if (!text || loc.line == 0) return {};
        std::vector<std::size_t>& starts = line_starts_[loc.file];
        if (starts.empty()) {
            starts.push_back(0);
            for (std::size_t nl = text->find('\n'); nl != std::string::npos; nl = text->find('\n', nl + 1))
                starts.push_back(nl + 1);
        }
        if (loc.line > starts.size()) return {};
        std::string_view line = std::string_view(*text).substr(starts[loc.line - 1]);
        line = line.substr(0, line.find('\n'));
        if (loc.column > 0 && loc.column <= line.size()) line.remove_prefix(loc.column - 1);
        bool quoted = false;
        std::size_t end = 0;
        for (; end < line.size(); ++end) {
            if (line[end] == '\\' && quoted) ++end;
            else if (line[end] == '"') quoted = !quoted;
            else if (line[end] == '#' && !quoted) break;
        }
        line = line.substr(0, std::min(end, line.size()));
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\\' || line.back() == '\r'))
            line.remove_suffix(1);
        return std::string(line);
    }

    static ir::Effect effect(ast::Effect e) { return e == ast::Effect::Allow ? ir::Effect::Allow : ir::Effect::Deny; }

    void resolve_statement(const ast::Statement& s, bool in_block) {
        std::visit([&](const auto& body) { resolve(s, body, in_block); }, s.body);
    }

    void resolve(const ast::Statement& s, const ast::Description& d, bool) {
        // The compiled profile's own description; a parent's does not describe the child.
        if (s.loc.file == files_[0].file.profile->loc.file && out_.description.empty()) out_.description = d.text;
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
            std::optional<Expansion> path = absolute_path(p);
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
            out_.fs.push_back({effect(rule.effect), rights, path->text, origin(s), !path->glob, marks_directory(p), rule.secret});
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
            std::optional<Expansion> path = absolute_path(p);
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
        if (std::optional<ir::Action> a = action(d.action, ast::Effect::Allow))
            out_.syscall_defaults.push_back({*a, origin(s)});
    }

    void resolve(const ast::Statement& s, const ast::SyscallRule& rule, bool) {
        std::set<std::string> names;
        for (const ast::SyscallName& n : rule.names) add_syscall_name(n, names);
        auto alts = alternatives(rule.conditions);
        std::optional<ir::Action> a = action(rule.action, rule.effect);
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
            std::optional<Expansion> v = rule.value ? expand(*rule.value) : Expansion{};
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
    const FileLoader& load_;
    const SourceMap& sources_;
    Diagnostics& diags_;
    std::vector<LoadedFile> files_;  // the compiled profile first, then its ancestors
    std::set<std::string> loaded_names_;
    bool unparsed_ = false;    // a file had parse errors
    bool incomplete_ = false;  // a parent was not found
    std::set<std::string> missing_reported_;  // built-in variables without a value, reported once each
    std::vector<ast::File> groups_files_;
    std::map<std::string, const ast::SyscallGroup*> groups_;
    std::map<std::string, std::vector<std::string>> expanded_;
    std::vector<std::string> group_stack_;
    std::map<std::string, const ast::Param*> params_;
    std::vector<std::string> param_stack_;
    std::map<std::string, std::vector<std::size_t>> line_starts_;
    ResolvedProfile out_;
};

}  // namespace

ResolvedProfile resolve_profile(const std::string& path, const ResolveOptions& options, const FileLoader& load,
                                const SourceMap& sources, Diagnostics& diags) {
    return Resolver(options, load, sources, diags).run(path);
}

}  // namespace nono
