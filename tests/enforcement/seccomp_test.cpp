// Enforcement: emitted filters installed for real in forked children (no_new_privs first).
// Allowed syscalls work, refused ones fail with the chosen errno, killed ones die by
// SIGSYS, and so do calls through a foreign ABI (i386 `int 0x80`, x32 numbers).
#include <doctest/doctest.h>

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <functional>
#include <vector>

#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/lower_network_syscalls.hpp"
#include "compiler/optimize.hpp"
#include "harness.hpp"
#include "tests/support/seccomp_reference.hpp"

using namespace nono;
using ir::Action;
using test::error_of;

namespace {

// Runs `body` in a child (without doctest's crash handlers) under `table`'s filter, or
// under none; returns the wait status. The body returns the child's exit code (0: every
// check in it held).
int in_child(const std::vector<sock_filter>* program, const std::function<int()>& body,
             std::source_location where = std::source_location::current()) {
    const pid_t pid = fork();
    if (pid == 0) {
        for (int sig : {SIGSEGV, SIGILL, SIGFPE, SIGABRT, SIGTERM, SIGINT, SIGSYS}) std::signal(sig, SIG_DFL);
        if (program) {
            sock_fprog prog{static_cast<unsigned short>(program->size()), const_cast<sock_filter*>(program->data())};
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(100);
            if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) _exit(101);
        }
        // exit_group itself, not _exit: a sanitizer's _exit hook makes syscalls (sigaltstack,
        // mmap) that a test's allowlist refuses, and the child would fail for the harness's sake.
        syscall(SYS_exit_group, body());
        _exit(102);  // only if the filter refused exit_group itself
    }
    return test::wait_or_kill(pid, where);
}

int sandboxed(ir::SyscallTable table, const std::function<int()>& body,
              std::source_location where = std::source_location::current()) {
    const auto program = seccomp::emit_seccomp(table, coalesce_syscall_ranges(table));
    return in_child(&program, body, where);
}

bool exited_ok(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
bool killed_by_sigsys(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS; }

}  // namespace

TEST_CASE("an allowlist: allowed calls work, the rest fail with the default errno") {
    auto t = testing::make_table(ir::host_arch(), {Action::Kind::Errno, EACCES});
    for (const char* name : {"exit_group", "getpid", "write"}) testing::allow(t, name);
    const int status = sandboxed(t, [] {
        if (error_of(syscall(SYS_getpid)) != 0) return 1;
        if (error_of(syscall(SYS_getppid)) != EACCES) return 2;
        if (error_of(syscall(SYS_getuid)) != EACCES) return 3;
        return 0;
    });
    CHECK(exited_ok(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a denylist: a killed syscall ends the process with SIGSYS — errno rules and argument rules hold") {
    auto t = testing::make_table(ir::host_arch(), {Action::Kind::Allow, 0});
    t.decisions[testing::number_of(t, "getppid")] = {{}, {Action::Kind::Errno, EPERM}, {}};
    t.decisions[testing::number_of(t, "acct")] = {{}, {Action::Kind::KillProcess, 0}, {}};
    ir::SyscallDecision dup3{{}, {Action::Kind::Allow, 0}, {}};
    dup3.rules.push_back({{ir::ArgCheck{2, ir::ArgCheck::Op::Ne, 0, ~0ull}}, {Action::Kind::Errno, EINVAL + 100}, {}});
    t.decisions[testing::number_of(t, "dup3")] = dup3;

    CHECK(exited_ok(sandboxed(t, [] {
        if (error_of(syscall(SYS_getppid)) != EPERM) return 1;
        if (error_of(syscall(SYS_dup3, 1, 50, 0x80000)) != EINVAL + 100) return 2;
        if (error_of(syscall(SYS_dup3, 1, 50, 0)) != 0) return 3;
        return 0;
    })));
    CHECK(killed_by_sigsys(sandboxed(t, [] { return static_cast<int>(syscall(SYS_acct, nullptr)) == 0 ? 10 : 11; })));
}

TEST_CASE("no network statement: sockets are refused, socketpair works") {
    ir::Policy p;
    p.syscalls.push_back(testing::make_table(ir::host_arch(), {Action::Kind::Allow, 0}));
    add_network_syscall_rules(p);
    CHECK(exited_ok(sandboxed(p.syscalls[0], [] {
        if (error_of(socket(AF_INET, SOCK_STREAM, 0)) != EACCES) return 1;
        if (error_of(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) != EACCES) return 2;
        if (error_of(socket(AF_UNIX, SOCK_STREAM, 0)) != EACCES) return 3;
        int pair[2];
        if (error_of(socketpair(AF_UNIX, SOCK_STREAM, 0, pair)) != 0) return 4;
        return 0;
    })));
}

#if defined(__x86_64__) && !defined(__ILP32__)
TEST_CASE("foreign ABIs are killed even under a default-allow filter: i386 int 0x80, x32 numbers") {
    const auto t = testing::make_table(ir::Arch::X86_64, {Action::Kind::Allow, 0});
    const auto i386_getpid = [] {
        long result = 20;  // i386 getpid
        asm volatile("int $0x80" : "+a"(result) : : "memory");
        return result > 0 ? 0 : 24;
    };
    // Kernels without IA32 emulation answer int 0x80 with SIGSEGV before seccomp sees it.
    if (exited_ok(in_child(nullptr, i386_getpid)))
        CHECK(killed_by_sigsys(sandboxed(t, i386_getpid)));
    else
        test::not_checked("this kernel has no i386 emulation: int 0x80 under a filter");
    CHECK(killed_by_sigsys(sandboxed(t, [] { return static_cast<int>(syscall(0x40000000 | SYS_getpid)) ? 21 : 22; })));
    CHECK(exited_ok(sandboxed(t, [] { return syscall(SYS_getpid) > 0 ? 0 : 23; })));
}
#endif
