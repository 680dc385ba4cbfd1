// Runtime: what a git repository's configuration names outside its git directory through
// which code runs later: core.hooksPath (git then runs the hooks from there, not from
// .git/hooks: husky's .husky/_, a project's .githooks) and include.path / includeIf.*.path
// (files whose settings, core.fsmonitor among them, git applies as its own). In the
// namespace mode they are bound read-only with .git/hooks and .git/config when they lie in
// a write grant (namespaces.cpp): a hooks directory in the work tree is as much a way out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nono::runtime {

struct GitConfigPath {
    std::string path;  // absolute, `.` and `..` taken out; symlinks not followed
    const char* what;  // "git hooks path" or "git config include", for --dry-run
};

// The paths named in the text of one configuration file (git-config(1)'s syntax: sections
// and variable names in any case, quoted values, comments). Relative hooks paths are taken
// from `work_tree` (where git runs hooks; none when empty), relative includes from
// `config_dir` (the directory of the file), `~/` from `home`.
std::vector<GitConfigPath> git_config_paths(std::string_view text, const std::string& config_dir,
                                            const std::string& work_tree, const std::string& home);

}  // namespace nono::runtime
