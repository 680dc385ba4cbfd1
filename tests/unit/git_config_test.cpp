// The paths a git configuration runs code from (runtime/git_config.hpp): what git would read
// there, in the syntax's corners, and what names nothing certain.
#include <doctest/doctest.h>

#include "runtime/git_config.hpp"

using nono::runtime::git_config_paths;

namespace {

std::vector<std::string> paths(std::string_view text, const std::string& work_tree = "/ws") {
    std::vector<std::string> out;
    for (const auto& p : git_config_paths(text, "/ws/.git", work_tree, "/home/u")) out.push_back(p.path + " " + p.what);
    return out;
}

}  // namespace

TEST_CASE("core.hooksPath, from the work tree, and includes, from the git directory") {
    CHECK(paths("[core]\n\thooksPath = .husky/_\n") == std::vector<std::string>{"/ws/.husky/_ git hooks path"});
    CHECK(paths("[include]\n  path = ../shared.gitconfig\n") ==
          std::vector<std::string>{"/ws/shared.gitconfig git config include"});
    CHECK(paths("[includeIf \"gitdir:~/work/\"]\n  path = ~/work.gitconfig\n") ==
          std::vector<std::string>{"/home/u/work.gitconfig git config include"});
    CHECK(paths("[core]\nhooksPath=/opt/hooks\n") == std::vector<std::string>{"/opt/hooks git hooks path"});
}

TEST_CASE("sections and names in any case, quotes, escapes, comments, a variable on the header's line") {
    CHECK(paths("[CORE]\n\tHOOKSPATH = \"my hooks\" ; where they are\n") ==
          std::vector<std::string>{"/ws/my hooks git hooks path"});
    CHECK(paths("[core] hookspath = a\\\"b # comment\n") == std::vector<std::string>{"/ws/a\"b git hooks path"});
    CHECK(paths("[core.sub]\nhooksPath = h\n") == std::vector<std::string>{"/ws/h git hooks path"});
    CHECK(paths("[core]\n  hooksPath = ./x/../y/.\n") == std::vector<std::string>{"/ws/y git hooks path"});
}

TEST_CASE("what names nothing: other sections and keys, comments, booleans, ~user, a relative hooks path without a work tree") {
    CHECK(paths("[alias]\n  hooksPath = x\n[core]\n  editor = vim\n  # hooksPath = y\n  ; path = z\n  bare\n").empty());
    CHECK(paths("[include]\n  path = ~other/x\n").empty());
    CHECK(paths("[core]\n  hooksPath =\n").empty());
    CHECK(paths("[core]\n  hooksPath = hooks\n", "").empty());
    CHECK(paths("[core]\n  hooksPath = /abs\n", "") == std::vector<std::string>{"/abs git hooks path"});
}
