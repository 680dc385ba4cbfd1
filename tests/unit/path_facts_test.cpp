#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/path_facts.hpp"

using nono::runtime::PathFacts;

namespace {

// A scratch tree: d/ (a directory), d/f (a file), d/link -> f, removed at the end.
struct Tree {
    std::string root;
    Tree() {
        char dir[] = "/tmp/nono-path-facts-XXXXXX";
        REQUIRE(mkdtemp(dir));
        root = dir;
        std::filesystem::create_directory(root + "/d");
        std::ofstream(root + "/d/f") << "x";
        REQUIRE(symlink("f", (root + "/d/link").c_str()) == 0);
    }
    ~Tree() { std::filesystem::remove_all(root); }
};

}  // namespace

TEST_CASE("PathFacts answers as lstat does, asking once per path") {
    Tree t;
    PathFacts facts;
    CHECK(facts.of(t.root + "/d").directory());
    CHECK(facts.of(t.root + "/d/f").exists());
    CHECK_FALSE(facts.of(t.root + "/d/f").directory());
    CHECK(facts.of(t.root + "/d/link").symlink());
    CHECK(facts.of(t.root + "/d/link").target == "f");
    CHECK(facts.of(t.root + "/d/missing").error == ENOENT);
    // Below a missing path and below a file, the kernel's answer without asking it.
    CHECK(facts.of(t.root + "/d/missing/deeper").error == ENOENT);
    CHECK(facts.of(t.root + "/d/f/below").error == ENOTDIR);

    // Asked once: a change since is not seen until the answers are forgotten.
    std::filesystem::remove(t.root + "/d/f");
    CHECK(facts.of(t.root + "/d/f").exists());
    facts.forget_below(t.root + "/d");
    CHECK(facts.of(t.root + "/d/f").error == ENOENT);
    CHECK(facts.of(t.root + "/d").directory());
}

TEST_CASE("PathFacts asks again below /proc, whose answers depend on the process asking") {
    PathFacts facts;
    const std::string self = "/proc/" + std::to_string(getpid());
    CHECK(facts.of("/proc/self").target == std::to_string(getpid()));
    CHECK(facts.of(self).directory());
    const pid_t child = fork();
    if (child == 0) _exit(facts.of("/proc/self").target == std::to_string(getpid()) ? 0 : 1);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}
