#include <doctest/doctest.h>

#include "core/paths.hpp"

using namespace nono;

TEST_CASE("canonical_path is lexical") {
    CHECK(canonical_path("/") == "/");
    CHECK(canonical_path("//a///b/") == "/a/b");
    CHECK(canonical_path("/a/./b/../c") == "/a/c");
    CHECK(canonical_path("/../..") == "/");
    CHECK(canonical_path("/a/..") == "/");
}

TEST_CASE("glob_match: *, ? within a component, ** across components") {
    CHECK(glob_match("/home/*/.env", "/home/u/.env"));
    CHECK_FALSE(glob_match("/home/*/.env", "/home/u/p/.env"));
    CHECK(glob_match("/home/**/.env", "/home/.env"));
    CHECK(glob_match("/home/**/.env", "/home/u/p/q/.env"));
    CHECK_FALSE(glob_match("/home/**/.env", "/home/u/.envrc"));
    CHECK(glob_match("/a/?.txt", "/a/b.txt"));
    CHECK_FALSE(glob_match("/a/?.txt", "/a/bc.txt"));
    CHECK(glob_match("/a/*b*", "/a/abc"));
    CHECK(glob_match("/**", "/"));
    CHECK(is_glob("/a/*"));
    CHECK_FALSE(is_glob("/a/b"));
}
