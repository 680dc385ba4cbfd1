// Stage 2a, resolve: params and variables. A path's `$NAME`, `${NAME}`, `~` and
// `${env:NAME}` get their values: a param (--param, else its default), a built-in variable
// (HOME, CWD, TMPDIR, UID, USER, the XDG directories, PROFILE: the name of the profile
// compiled, also in its parents; --bind fixes one), the environment.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/load_family.hpp"
#include "compiler/resolve_options.hpp"

namespace nono {

// A path with its variables put in. Only the profile's own text writes globs: a value's `*`
// or `?` (a workspace named `*`, a --param, an environment variable, a flag's path) is that
// character and nothing more.
struct Expansion {
    std::string text;
    bool glob = false;            // a wildcard written in the profile's text
    bool value_wildcard = false;  // a wildcard inside a value
};

class Variables {
public:
    Variables(const ResolveOptions& options, Diagnostics& diags) : options_(options), diags_(diags) {}

    // Declares the params of `files` (the first file's default wins over a parent's) and
    // checks --param and --bind against them. `incomplete`: a parent is missing, which may
    // declare a --param. `files` must outlive this object.
    void declare_params(const std::vector<LoadedFile>& files, bool incomplete);

    // Every problem is reported; nullopt after one.
    std::optional<Expansion> expand(const ast::Path& path);
    // As expand, and the result must be absolute.
    std::optional<Expansion> absolute_path(const ast::Path& path);

    // Every variable expanded so far, with its value ("env:NAME" for ${env:NAME}).
    const std::map<std::string, std::string>& bindings() const { return bindings_; }

private:
    std::optional<std::string> builtin_value(const std::string& name);
    std::string environment_source(const std::string& name);
    std::optional<Expansion> variable(const ast::PathPart& part);
    std::optional<std::string> fallback_value(const std::string& fallback, const ast::PathPart& part);
    std::optional<Expansion> env_value(const ast::PathPart& part);

    const ResolveOptions& options_;
    Diagnostics& diags_;
    std::map<std::string, const ast::Param*> params_;
    std::vector<std::string> param_stack_;    // the params being expanded, to find a cycle
    std::set<std::string> missing_reported_;  // built-in variables without a value, reported once each
    std::map<std::string, std::string> bindings_;
    std::string profile_;  // the name of the profile compiled: $PROFILE
};

}  // namespace nono
