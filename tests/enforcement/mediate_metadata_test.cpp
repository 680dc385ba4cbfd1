// Enforcement: metadata in a run without namespaces (runtime/mediate_metadata.hpp), with
// real sandboxed children under the mediation filter and a Mediator in this process deciding
// by the child's own Landlock rules. Inside the write grant every form of call works as the
// kernel would answer it (through a dirfd, AT_EMPTY_PATH on an O_PATH descriptor, /proc/self,
// a descriptor of a pipe, a file no name reaches); outside, every form is refused, and what
// the kernel refuses anyway it still refuses with its own errno.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "harness.hpp"
#include "plan/landlock_abi.hpp"
#include "runtime/mediation.hpp"

using namespace nono;
using namespace nono::test;

namespace {

// `action`'s errno in a child sandboxed by `plan`, its metadata calls mediated.
int mediated(const landlock::Plan& plan, const std::function<int()>& action) {
    runtime::Mediator mediator;
    mediator.mediate_metadata(runtime::resolve_ruleset(plan, landlock::probe_abi()));
    const int command_end = dup(mediator.command_end());  // start() closes nono's copy
    REQUIRE(command_end >= 0);
    mediator.start();
    runtime::SandboxOptions options;
    options.mediation_channel = command_end;
    options.mediated = mediator.what();
    const int result = in_sandbox(plan, action, options);
    close(command_end);
    return result;
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("without namespaces: metadata calls are performed inside the write grant and refused outside") {
    TempDir t;
    t.dir("ws");
    t.file("ws/f");
    t.file("secret");
    REQUIRE(symlink((t / "secret").c_str(), (t / "ws/to-secret").c_str()) == 0);
    REQUIRE(chmod((t / "secret").c_str(), 0600) == 0);
    std::vector<landlock::PathEntry> paths = system_paths();
    paths.push_back({t.path, kRead, 0, 0});
    paths.push_back({t / "ws", kRead | kWrite, 0, 0});
    const landlock::Plan plan = plan_of(paths);
    const std::string f = t / "ws/f", secret = t / "secret";

    // Controls: unsandboxed, the calls on the secret work.
    CHECK(error_of(chmod(secret.c_str(), 0640)) == 0);
    CHECK(error_of(chmod(secret.c_str(), 0600)) == 0);

    CHECK(mediated(plan, [&] { return error_of(chmod(f.c_str(), 0700)); }) == 0);
    CHECK(mode_of(f) == 0700);
    CHECK(mediated(plan, [&] { return error_of(chmod(secret.c_str(), 0666)); }) == EPERM);
    CHECK(mediated(plan, [&] { return error_of(chmod((t / "ws/to-secret").c_str(), 0666)); }) == EPERM);
    CHECK(mediated(plan, [&] { return error_of(chmod((t / "ws/missing").c_str(), 0666)); }) == ENOENT);
    CHECK(mode_of(secret) == 0600);

    // Through a directory descriptor, relative paths and `..`.
    CHECK(mediated(plan, [&] {
              const int dir = open((t / "ws").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
              return error_of(fchmodat(dir, "f", 0640, 0));
          }) == 0);
    CHECK(mode_of(f) == 0640);
    CHECK(mediated(plan, [&] {
              const int dir = open((t / "ws").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
              return error_of(fchmodat(dir, "../secret", 0666, 0));
          }) == EPERM);
    // From the working directory.
    CHECK(mediated(plan, [&] { return chdir((t / "ws").c_str()) == 0 ? error_of(chmod("f", 0644)) : errno; }) == 0);
    CHECK(mode_of(f) == 0644);

    // AT_EMPTY_PATH on an O_PATH descriptor works where the kernel lets it; futimens and
    // fchmod on one are EBADF, as the kernel answers.
    CHECK(mediated(plan, [&] {
              const int fd = open(f.c_str(), O_PATH | O_CLOEXEC);
              const timespec times[2] = {{0, 0}, {0, 0}};
              return error_of(utimensat(fd, "", times, AT_EMPTY_PATH));
          }) == 0);
    struct stat st {};
    REQUIRE(stat(f.c_str(), &st) == 0);
    CHECK(st.st_mtime == 0);
    CHECK(mediated(plan, [&] {
              const int fd = open(secret.c_str(), O_PATH | O_CLOEXEC);
              return error_of(utimensat(fd, "", nullptr, AT_EMPTY_PATH));
          }) == EPERM);
    CHECK(mediated(plan, [&] { return error_of(fchmod(open(f.c_str(), O_PATH | O_CLOEXEC), 0600)); }) == EBADF);
    CHECK(mediated(plan, [&] {  // futimens, spelled as the kernel takes it: a null path
              return error_of(syscall(SYS_utimensat, open(f.c_str(), O_PATH | O_CLOEXEC), nullptr, nullptr, 0));
          }) == EBADF);

    // /proc/self is the calling process's, not the supervisor's; /dev/fd leads to the
    // supervisor's own descriptors, so only what it finds there is decided on.
    CHECK(mediated(plan, [&] {
              const int fd = open(f.c_str(), O_PATH | O_CLOEXEC);
              return error_of(chmod(("/proc/self/fd/" + std::to_string(fd)).c_str(), 0600));
          }) == 0);
    CHECK(mode_of(f) == 0600);
    CHECK(mediated(plan, [&] {
              const int fd = open(secret.c_str(), O_RDONLY | O_CLOEXEC);
              return error_of(chmod(("/proc/self/fd/" + std::to_string(fd)).c_str(), 0666));
          }) == EPERM);

    // A descriptor of a pipe, and of a file no name reaches any more: the kernel's to decide.
    CHECK(mediated(plan, [&] {
              int p[2];
              return pipe(p) == 0 ? error_of(fchmod(p[0], 0600)) : errno;
          }) == 0);
    CHECK(mediated(plan, [&] {
              const int fd = open((t / "ws/gone").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
              return unlink((t / "ws/gone").c_str()) == 0 ? error_of(fchmod(fd, 0600)) : errno;
          }) == 0);
    // A descriptor of the secret, opened for reading (which the plan allows).
    CHECK(mediated(plan, [&] { return error_of(fchmod(open(secret.c_str(), O_RDONLY | O_CLOEXEC), 0666)); }) == EPERM);

    // Extended attributes, with their name and value copied.
    CHECK(mediated(plan, [&] { return error_of(setxattr(f.c_str(), "user.nono", "1", 1, 0)); }) == 0);
    char value[4] = {};
    CHECK(getxattr(f.c_str(), "user.nono", value, sizeof value) == 1);
    CHECK(value[0] == '1');
    CHECK(mediated(plan, [&] { return error_of(setxattr(f.c_str(), "user.nono", "2", 1, XATTR_CREATE)); }) == EEXIST);
    CHECK(mediated(plan, [&] { return error_of(removexattr(f.c_str(), "user.nono")); }) == 0);
    CHECK(mediated(plan, [&] { return error_of(setxattr(secret.c_str(), "user.nono", "1", 1, 0)); }) == EPERM);
    CHECK(mediated(plan, [&] { return error_of(setxattr(f.c_str(), reinterpret_cast<const char*>(8), "1", 1, 0)); }) ==
          EFAULT);
}
