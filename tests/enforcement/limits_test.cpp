// Enforcement: the `limit` statements, as the kernel applies them to a sandboxed child.
// Each test first shows that the action succeeds without the limit, then that the limit
// refuses it; memory and (as root) processes are weaker than written without a cgroup of
// the run, so those plans are applied with allow_weaker.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "harness.hpp"

using namespace nono;
using namespace nono::test;

namespace {

const runtime::SandboxOptions kAllowWeaker{true, {}, {}};

landlock::Plan plan_with(limits::Kind kind, std::uint64_t amount, std::vector<landlock::PathEntry> extra = {}) {
    std::vector<landlock::PathEntry> paths = system_paths();
    paths.insert(paths.end(), extra.begin(), extra.end());
    landlock::Plan plan = plan_of(std::move(paths));
    plan.limits[kind] = amount;
    return plan;
}

// 0 when `bytes` can be allocated and touched, else ENOMEM.
int allocate(std::size_t bytes) {
    char* p = static_cast<char*>(std::malloc(bytes));
    if (!p) return ENOMEM;
    std::memset(p, 1, bytes);
    std::free(p);
    return 0;
}

// Forks up to `tries` children that wait for the pipe to close; returns the errno of the
// first fork that failed, or 0. The children are gone when it returns.
int fork_many(int tries) {
    int hold[2];
    if (pipe(hold) != 0) return errno;
    std::vector<pid_t> children;
    int error = 0;
    for (int i = 0; i < tries && error == 0; ++i) {
        const pid_t pid = fork();
        if (pid == 0) {
            char c;
            close(hold[1]);
            (void)!read(hold[0], &c, 1);
            _exit(0);
        }
        if (pid < 0) error = errno;
        else children.push_back(pid);
    }
    close(hold[0]);
    close(hold[1]);
    for (pid_t pid : children) waitpid(pid, nullptr, 0);
    return error;
}

// Becomes `nobody`, whom RLIMIT_NPROC binds (root it does not).
// Before the sandbox (in_sandbox's `prepare`), as an unprivileged user starts nono: the
// sandbox clears every capability, after which no uid can be changed.
void become_nobody() {
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(99);
}

}  // namespace

TEST_CASE("limit memory 256M: a 1 GB allocation fails, a 100 MB one succeeds") {
    const std::size_t gigabyte = 1ull << 30;
    CHECK(in_sandbox(plan_of(system_paths()), [&] { return allocate(gigabyte); }) == 0);  // without the limit
    const landlock::Plan plan = plan_with(limits::Kind::Memory, 256ull << 20);
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer's shadow memory takes terabytes of address space: a child of this
    // test binary cannot live under RLIMIT_AS. The programs exec'd below are not sanitized.
    not_checked("limit memory inside the sanitized test binary (AddressSanitizer reserves its address space)");
#else
    CHECK(in_sandbox(plan, [&] { return allocate(gigabyte); }, kAllowWeaker) == ENOMEM);
    CHECK(in_sandbox(plan, [&] { return allocate(100ull << 20); }, kAllowWeaker) == 0);
#endif
    // A program started under it: Python's MemoryError, as the command sees it.
    const std::vector<std::string> python = {"/usr/bin/python3", "-c", "b = bytearray(1 << 30)"};
    CHECK(exit_status(plan_of(system_paths()), python) == 0);
    CHECK(exit_status(plan, python, kAllowWeaker) == 1);
    // Not without allow_weaker: setrlimit bounds each process, not the run.
    CHECK(exit_status(plan, {"/bin/true"}) == runtime::kExitSandboxFailed);
}

TEST_CASE("limit file-size: a longer write fails with EFBIG, and the writer is not killed") {
    TempDir t;
    const landlock::PathEntry writable{t.path, kRead | kWrite, 0, 0};
    auto write_two_megabytes = [&] {
        const int fd = open((t / "big").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) return errno;
        const std::vector<char> block(1 << 20, 'x');
        int error = 0;
        for (int i = 0; i < 2 && error == 0; ++i)
            if (write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) error = errno;
        close(fd);
        return error;
    };
    CHECK(in_sandbox(plan_of({writable}), write_two_megabytes) == 0);
    const landlock::Plan plan = plan_with(limits::Kind::FileSize, 1 << 20, {writable});
    CHECK(in_sandbox(plan, write_two_megabytes) == EFBIG);
    // A command exec'd under it sees the error too (SIGXFSZ is ignored): head reports it and
    // exits 1, where the default disposition would have killed it (128 + SIGXFSZ).
    const std::vector<std::string> head = {"/bin/sh", "-c", "yes | head -c 2000000 > " + t / "big2"};
    CHECK(exit_status(plan, head) == 1);
    CHECK(std::filesystem::file_size(t / "big2") == 1 << 20);
    std::vector<landlock::PathEntry> paths = system_paths();
    paths.push_back(writable);
    CHECK(exit_status(plan_of(paths), head, {}, [] {
              const rlimit one_megabyte{1 << 20, 1 << 20};
              setrlimit(RLIMIT_FSIZE, &one_megabyte);
          }) == 128 + SIGXFSZ);
}

TEST_CASE("limit open-files 16: the 17th descriptor is refused with EMFILE") {
    auto open_twenty = [] {
        for (int i = 0; i < 20; ++i)
            if (open("/dev/null", O_RDONLY) < 0) return errno;
        return 0;
    };
    CHECK(in_sandbox(plan_of(system_paths()), open_twenty) == 0);
    CHECK(in_sandbox(plan_with(limits::Kind::OpenFiles, 16), open_twenty) == EMFILE);
}

TEST_CASE("limit cpu-time 1s: a busy loop is stopped by SIGXCPU") {
    const std::vector<std::string> busy = {"/bin/sh", "-c", "while :; do :; done"};
    CHECK(exit_status(plan_with(limits::Kind::CpuTime, 1), busy) == 128 + SIGXCPU);
    // One that ignores SIGXCPU is killed a second later.
    const std::vector<std::string> stubborn = {"/bin/sh", "-c", "trap '' XCPU; while :; do :; done"};
    CHECK(exit_status(plan_with(limits::Kind::CpuTime, 1), stubborn) == 128 + SIGKILL);
}

TEST_CASE("limit processes: binds a user other than root, and as root it is weaker than written") {
    auto fork_ten = [] { return fork_many(10); };
    CHECK(in_sandbox(plan_of(system_paths()), fork_ten, {}, become_nobody) == 0);
    const landlock::Plan plan = plan_with(limits::Kind::Processes, 4);
    CHECK(in_sandbox(plan, fork_ten, kAllowWeaker, become_nobody) == EAGAIN);
    if (getuid() == 0) CHECK(exit_status(plan, {"/bin/true"}) == runtime::kExitSandboxFailed);
}

TEST_CASE("the command cannot raise its limits back, as nobody or as root") {
    // Raising a hard limit needs CAP_SYS_RESOURCE, which the sandbox clears for root too.
    auto raise = [](int resource) {
        return [resource] {
            const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
            return error_of(setrlimit(resource, &unlimited));
        };
    };
    for (const std::function<void()>& as : {std::function<void()>{}, std::function<void()>{become_nobody}}) {
        CAPTURE(static_cast<bool>(as));
        CHECK(in_sandbox(plan_of(system_paths()), raise(RLIMIT_AS), {}, as) == 0);  // nothing to raise without the limit
        CHECK(in_sandbox(plan_with(limits::Kind::Memory, 256ull << 20), raise(RLIMIT_AS), kAllowWeaker, as) == EPERM);
        CHECK(in_sandbox(plan_with(limits::Kind::CpuTime, 60), raise(RLIMIT_CPU), {}, as) == EPERM);
        CHECK(in_sandbox(plan_of(system_paths()), raise(RLIMIT_CORE), {}, as) == EPERM);
    }
}

TEST_CASE("core dumps are off in the sandbox") {
    const landlock::Plan plan = plan_of(system_paths());
    CHECK(in_sandbox(plan, [] {
              rlimit core{};
              getrlimit(RLIMIT_CORE, &core);
              return core.rlim_cur == 0 && core.rlim_max == 0 ? 0 : EINVAL;
          }) == 0);
}
