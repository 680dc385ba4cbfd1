// Stage 2a, resolve: params and variables (see expand_variables.hpp).
#include "compiler/expand_variables.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "compiler/directories.hpp"
#include "core/paths.hpp"
#include "core/suggest.hpp"

namespace nono {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBuiltinVariables[] = {"HOME",           "CWD",           "TMPDIR",         "UID",
                                             "USER",           "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
                                             "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "PROFILE"};

bool is_builtin_variable(const std::string& name) {
    return std::find(std::begin(kBuiltinVariables), std::end(kBuiltinVariables), name) != std::end(kBuiltinVariables);
}

std::optional<std::string> absolute_env(const char* name) {
    const char* v = std::getenv(name);
    if (v && v[0] == '/') return std::string(v);
    return std::nullopt;
}

Expansion value_expansion(std::string value) {
    const bool wildcard = is_glob(value);
    return {std::move(value), false, wildcard};
}

}  // namespace

void Variables::declare_params(const std::vector<LoadedFile>& files, bool incomplete) {
    // The profile being compiled is first in files, so its defaults win over a parent's,
    // and its name is $PROFILE in every file of the family.
    if (!files.empty()) profile_ = files.front().file.profile->name;
    for (const LoadedFile& f : files)
        for (const ast::Statement& s : f.file.profile->statements)
            if (const auto* p = std::get_if<ast::Param>(&s.body)) params_.emplace(p->name, p);
    for (const auto& [name, value] : options_.params) {
        // A missing parent may declare it: the missing parent is the error then.
        if (params_.count(name) || incomplete) continue;
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

std::optional<std::string> Variables::builtin_value(const std::string& name) {
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
    // A name starts with a letter or digit and holds no `/`: one path component of its own.
    if (name == "PROFILE") return profile_.empty() ? std::nullopt : std::optional<std::string>(profile_);
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
std::string Variables::environment_source(const std::string& name) {
    if (options_.bindings.count(name)) return {};
    const bool xdg = name.rfind("XDG_", 0) == 0;
    if (!xdg && name != "HOME" && name != "TMPDIR") return {};
    if (absolute_env(name.c_str())) return name;
    return xdg && name != "XDG_RUNTIME_DIR" ? environment_source("HOME") : std::string{};
}

std::optional<Expansion> Variables::variable(const ast::PathPart& part) {
    const std::string& name = part.text;
    if (auto p = params_.find(name); p != params_.end()) {
        if (auto set = options_.params.find(name); set != options_.params.end()) {
            bindings_[name] = set->second;
            return value_expansion(set->second);
        }
        if (std::find(param_stack_.begin(), param_stack_.end(), name) != param_stack_.end()) {
            diags_.error(part.loc, "param `" + name + "` refers to itself");
            return std::nullopt;
        }
        param_stack_.push_back(name);
        std::optional<Expansion> value = expand(p->second->default_value);
        param_stack_.pop_back();
        if (value) bindings_[name] = value->text;
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
        bindings_[name] = *value;
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
std::optional<std::string> Variables::fallback_value(const std::string& fallback, const ast::PathPart& part) {
    if (fallback != "~" && fallback.rfind("~/", 0) != 0) return fallback;
    ast::PathPart home{ast::PathPart::Kind::Variable, "HOME", std::nullopt, true, false, part.loc};
    std::optional<Expansion> value = variable(home);
    if (!value) return std::nullopt;
    return value->text + fallback.substr(1);
}

std::optional<Expansion> Variables::env_value(const ast::PathPart& part) {
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
    bindings_[key] = *value;
    return value_expansion(*value);
}

std::optional<Expansion> Variables::expand(const ast::Path& path) {
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

std::optional<Expansion> Variables::absolute_path(const ast::Path& path) {
    std::optional<Expansion> value = expand(path);
    if (value && (value->text.empty() || value->text[0] != '/')) {
        diags_.error(path.loc, "path `" + value->text + "` is not absolute",
                     "start it with `/`, `~`, or a variable that holds an absolute path");
        return std::nullopt;
    }
    return value;
}

}  // namespace nono
