// The end-of-run check of protected files (runtime/protected_files.hpp): its decisions on
// states, and what it does to a real directory (moved aside, put back, never overwritten).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "runtime/protected_files.hpp"

using namespace nono::runtime;
using Kind = ProtectedState::Kind;

namespace {

struct Scratch {
    std::string root;
    Scratch() {
        char dir[] = "/tmp/nono-protected-XXXXXX";
        REQUIRE(mkdtemp(dir));
        root = dir;
    }
    ~Scratch() { std::filesystem::remove_all(root); }
    std::string path(const std::string& name) const { return root + "/" + name; }
};

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

ProtectedState file(std::string content, ino_t ino = 7) {
    ProtectedState s;
    s.kind = Kind::File;
    s.ino = ino;
    s.size = static_cast<off_t>(content.size());
    s.content = std::move(content);
    return s;
}

}  // namespace

TEST_CASE("protected files: the decision from the state at start and at the end") {
    ProtectedState missing;
    CHECK(compare_protected(missing, missing) == ProtectedOutcome::Unchanged);
    CHECK(compare_protected(missing, file("{}")) == ProtectedOutcome::Made);
    CHECK(compare_protected(file("{}"), missing) == ProtectedOutcome::Removed);
    CHECK(compare_protected(file("{}"), file("{}")) == ProtectedOutcome::Unchanged);
    // Same size, same times, other bytes (times set back with utimensat): the content tells.
    CHECK(compare_protected(file("{}"), file("[]")) == ProtectedOutcome::Changed);
    // The same bytes in another file (renamed over it): the identity tells.
    CHECK(compare_protected(file("{}", 7), file("{}", 8)) == ProtectedOutcome::Changed);
    ProtectedState later = file("{}");
    later.ctime.tv_nsec = 1;  // chmod, or a write whose mtime was set back
    CHECK(compare_protected(file("{}"), later) == ProtectedOutcome::Changed);
    ProtectedState link;
    link.kind = Kind::Symlink;
    link.link = "/elsewhere";
    CHECK(compare_protected(file("{}"), link) == ProtectedOutcome::Changed);
    ProtectedState directory;
    directory.kind = Kind::Directory;
    ProtectedState grown = directory;
    grown.entries.push_back("hook.js\t33188\t1:2\t10\t0.0\t0.0");
    CHECK(compare_protected(directory, grown) == ProtectedOutcome::Changed);
    CHECK(compare_protected(directory, directory) == ProtectedOutcome::Unchanged);
    ProtectedState unreachable;
    unreachable.kind = Kind::Unreachable;
    CHECK(compare_protected(file("{}"), unreachable) == ProtectedOutcome::Unreachable);
    CHECK(compare_protected(missing, unreachable) == ProtectedOutcome::Unreachable);
}

TEST_CASE("protected files: names beside the file, never the same twice") {
    CHECK(aside_name("settings.json", "run-12", 1) == "settings.json.nono-run-12");
    CHECK(aside_name("settings.json", "run-12", 2) == "settings.json.nono-run-12-2");
}

TEST_CASE("protected files: untouched, nothing is said or moved") {
    Scratch s;
    std::ofstream(s.path("settings.json")) << "{}";
    const auto recorded = record_protected({s.path("settings.json"), s.path("missing.json")});
    CHECK(check_protected(recorded, "run-1").empty());
    CHECK(read(s.path("settings.json")) == "{}");
    CHECK_FALSE(std::filesystem::exists(s.path("missing.json")));
}

TEST_CASE("protected files: one the run made is moved aside, without overwriting what is there") {
    Scratch s;
    const auto recorded = record_protected({s.path("settings.json")});
    std::ofstream(s.path("settings.json")) << "{\"hooks\": 1}";
    std::ofstream(s.path("settings.json.nono-run-1")) << "older";
    const auto said = check_protected(recorded, "run-1");
    REQUIRE(said.size() == 1);
    CHECK(said[0] == "protected " + s.path("settings.json") + " was made by the run: moved aside to " +
                         s.path("settings.json.nono-run-1-2"));
    CHECK_FALSE(std::filesystem::exists(s.path("settings.json")));
    CHECK(read(s.path("settings.json.nono-run-1")) == "older");
    CHECK(read(s.path("settings.json.nono-run-1-2")) == "{\"hooks\": 1}");
}

TEST_CASE("protected files: one the run changed is moved aside and the original put back") {
    Scratch s;
    std::ofstream(s.path("config.toml")) << "model = 1\n";
    REQUIRE(chmod(s.path("config.toml").c_str(), 0640) == 0);
    const auto recorded = record_protected({s.path("config.toml")});
    std::ofstream(s.path("config.toml"), std::ios::app) << "notify = [\"evil\"]\n";
    const auto said = check_protected(recorded, "run-2");
    REQUIRE(said.size() == 1);
    CHECK(said[0] == "protected " + s.path("config.toml") + " was changed by the run: moved aside to " +
                         s.path("config.toml.nono-run-2") + ", the original put back");
    CHECK(read(s.path("config.toml")) == "model = 1\n");
    CHECK(read(s.path("config.toml.nono-run-2")) == "model = 1\nnotify = [\"evil\"]\n");
    struct stat st;
    REQUIRE(stat(s.path("config.toml").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
}

TEST_CASE("protected files: a symlink or a directory where a file was is moved aside, never followed") {
    Scratch s;
    std::ofstream(s.path("victim")) << "keep";
    std::ofstream(s.path("settings.json")) << "{}";
    const auto recorded = record_protected({s.path("settings.json")});
    std::filesystem::remove(s.path("settings.json"));
    REQUIRE(symlink(s.path("victim").c_str(), s.path("settings.json").c_str()) == 0);
    const auto said = check_protected(recorded, "run-3");
    REQUIRE(said.size() == 1);
    CHECK(read(s.path("settings.json")) == "{}");
    CHECK(std::filesystem::is_symlink(s.path("settings.json.nono-run-3")));
    CHECK(read(s.path("victim")) == "keep");

    const auto again = record_protected({s.path("settings.json")});
    std::filesystem::remove(s.path("settings.json"));
    std::filesystem::create_directory(s.path("settings.json"));
    REQUIRE(check_protected(again, "run-4").size() == 1);
    CHECK(read(s.path("settings.json")) == "{}");
    CHECK(std::filesystem::is_directory(s.path("settings.json.nono-run-4")));
}

TEST_CASE("protected files: a symlink put in the path to one is said, not followed") {
    Scratch s;
    std::filesystem::create_directory(s.path("dir"));
    std::filesystem::create_directory(s.path("elsewhere"));
    const auto recorded = record_protected({s.path("dir/settings.json")});
    std::filesystem::rename(s.path("dir"), s.path("old"));
    REQUIRE(symlink(s.path("elsewhere").c_str(), s.path("dir").c_str()) == 0);
    std::ofstream(s.path("elsewhere/settings.json")) << "{}";
    const auto said = check_protected(recorded, "run-5");
    REQUIRE(said.size() == 1);
    CHECK(said[0].find("was not checked") != std::string::npos);
    CHECK(said[0].find("symlink") != std::string::npos);
    CHECK(std::filesystem::exists(s.path("elsewhere/settings.json")));
}

TEST_CASE("protected files: a directory made or changed is moved aside; it is not put back") {
    Scratch s;
    std::filesystem::create_directory(s.path("plugin"));
    std::ofstream(s.path("plugin/ok.js")) << "1";
    const auto recorded = record_protected({s.path("plugin"), s.path("made")});
    std::ofstream(s.path("plugin/evil.js")) << "2";
    std::filesystem::create_directory(s.path("made"));
    const auto said = check_protected(recorded, "run-6");
    REQUIRE(said.size() == 2);
    CHECK(said[0] == "protected " + s.path("made") + " was made by the run: moved aside to " + s.path("made.nono-run-6"));
    CHECK(said[1] == "protected " + s.path("plugin") + " was changed by the run: moved aside to " + s.path("plugin.nono-run-6") +
                         "; the original was not put back: nono keeps no copy of a directory");
    CHECK(std::filesystem::exists(s.path("plugin.nono-run-6/evil.js")));
}
