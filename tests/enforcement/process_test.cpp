// Enforcement: network ports, scopes (signals, abstract unix sockets), no_new_privs,
// inherited descriptors, the environment, and failing closed (exit 125, command not run).
#include <doctest/doctest.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "harness.hpp"
#include "runtime/loopback.hpp"

using namespace nono;
using namespace nono::test;

namespace {

using net::loopback;

// A TCP listener on 127.0.0.1 with a port the kernel picks; returns the socket.
int listen_loopback(std::uint16_t& port) {
    const int s = net::listen_on_loopback(SOCK_CLOEXEC, 4, port);
    REQUIRE(s >= 0);
    return s;
}

int connect_error(std::uint16_t port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = loopback(port);
    int err = error_of(connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a));
    close(s);
    return err;
}

int bind_error(std::uint16_t port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = loopback(port);
    int err = error_of(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a));
    close(s);
    return err;
}

// A process outside any sandbox, waiting for a signal that ends it.
pid_t outside_process() {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        for (;;) pause();
    }
    return pid;
}

void end_process(pid_t pid) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

// Silences a child's output stream (for commands whose exit status is what counts).
void silence(int fd) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, fd);
    close(null);
}

}  // namespace

TEST_CASE("TCP connect and bind on loopback: allowed ports only") {
    if (!landlock_offers(4, "TCP port rules")) return;
    std::uint16_t allowed = 0, refused = 0;
    int l1 = listen_loopback(allowed);
    int l2 = listen_loopback(refused);
    std::uint16_t bind_port = 0;
    close(listen_loopback(bind_port));  // a port that was free a moment ago
    auto plan = plan_of({});
    plan.tcp_connect = {{allowed, allowed}};
    plan.tcp_bind = {{bind_port, bind_port}};
    CHECK(in_sandbox(plan, [&] { return connect_error(allowed); }) == 0);
    CHECK(in_sandbox(plan, [&] { return connect_error(refused); }) == EACCES);
    CHECK(in_sandbox(plan, [&] { return bind_error(bind_port); }) == 0);
    CHECK(in_sandbox(plan, [&] { return bind_error(refused == 65535 ? 65534 : refused + 1); }) == EACCES);
    auto open_net = plan_of({});
    open_net.handle_tcp = false;
    CHECK(in_sandbox(open_net, [&] { return connect_error(refused); }) == 0);
    close(l1);
    close(l2);
}

TEST_CASE("signals: refused to a process outside the sandbox, allowed inside it") {
    if (!landlock_offers(6, "the signal scope")) return;
    pid_t outside = outside_process();
    auto plan = plan_of({});
    CHECK(in_sandbox(plan, [&] { return error_of(kill(outside, SIGCONT)); }) == EPERM);
    CHECK(in_sandbox(plan, [&] {
              pid_t own = fork();
              if (own == 0) {
                  for (;;) pause();
              }
              int err = error_of(kill(own, SIGKILL));
              waitpid(own, nullptr, 0);
              return err;
          }) == 0);
    auto signal_outside = plan_of({});
    signal_outside.scoped = landlock::kScopeAbstractUnixSocket;
    CHECK(in_sandbox(signal_outside, [&] { return error_of(kill(outside, SIGCONT)); }) == 0);
    end_process(outside);
}

TEST_CASE("unix sockets: an abstract socket outside is refused — no socket file where writing is not allowed") {
    if (!landlock_offers(6, "the abstract unix socket scope")) return;
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string name = "nono-enforcement-" + std::to_string(getpid());
    std::copy(name.begin(), name.end(), addr.sun_path + 1);  // sun_path[0] == 0: abstract
    socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(listen(listener, 4) == 0);
    auto connect_abstract = [&] {
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int err = error_of(connect(s, reinterpret_cast<sockaddr*>(&addr), len));
        close(s);
        return err;
    };
    CHECK(in_sandbox(plan_of({}), connect_abstract) == EPERM);
    auto outside_allowed = plan_of({});
    outside_allowed.scoped = landlock::kScopeSignal;
    CHECK(in_sandbox(outside_allowed, connect_abstract) == 0);
    close(listener);

    TempDir t;
    auto bind_path = [&] {
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::string p = t / "sock";
        std::copy(p.begin(), p.end(), a.sun_path);
        int err = error_of(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a));
        close(s);
        return err;
    };
    CHECK(in_sandbox(plan_of({{t.path, kRead, 0, 0}}), bind_path) == EACCES);
    CHECK(in_sandbox(plan_of({{t.path, kRead | landlock::kAccessFsMakeSock, 0, 0}}), bind_path) == 0);
}

TEST_CASE("setuid programs gain nothing (no_new_privs)") {
    TempDir t;
    chmod(t.path.c_str(), 0755);
    std::filesystem::copy_file("/usr/bin/id", t / "id");
    REQUIRE(chown((t / "id").c_str(), 0, 0) == 0);
    REQUIRE(chmod((t / "id").c_str(), 04755) == 0);
    auto euid_of_run = [&](bool sandboxed) {
        int out[2];
        REQUIRE(pipe(out) == 0);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            dup2(out[1], 1);
            if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(99);
            std::vector<std::string> argv = {t / "id", "-u"};
            if (!sandboxed) {
                execl(argv[0].c_str(), argv[0].c_str(), "-u", nullptr);
                _exit(98);
            }
            auto paths = system_paths();
            paths.push_back({t.path, kRead | kExec, 0, 0});
            const landlock::Plan plan = plan_of(paths);
            runtime::run_sandboxed(plan, {}, runtime::PreparedCommand(argv, runtime::command_environment(plan.env, ::environ)));
        }
        close(out[1]);
        wait_or_kill(pid, std::source_location::current());  // `id -u` fits in the pipe
        char buf[32] = {};
        ssize_t n = read(out[0], buf, sizeof buf - 1);
        close(out[0]);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    };
    REQUIRE(euid_of_run(false) == "0\n");  // the setuid bit works here without the sandbox
    CHECK(euid_of_run(true) == "65534\n");
}

TEST_CASE("inherited descriptors are closed unless kept") {
    TempDir t;
    t.file("denied", "secret");
    auto plan = plan_of(system_paths());
    auto open_denied_at_7 = [&] {
        int fd = open((t / "denied").c_str(), O_RDONLY);  // inheritable, as a careless parent leaves it
        if (fd != 7) {
            dup2(fd, 7);
            close(fd);
        }
        silence(1);
    };
    CHECK(in_sandbox(plan_of({}), [&] { return open_error(t / "denied", O_RDONLY); }) == EACCES);
    CHECK(exit_status(plan, {"/bin/sh", "-c", "cat <&7"}, {}, open_denied_at_7) != 0);
    CHECK(exit_status(plan, {"/bin/sh", "-c", "cat <&7"}, {false, {}, {7}}, open_denied_at_7) == 0);
}

TEST_CASE("the environment: injecting variables removed, set and drop applied") {
    auto plan = plan_of(system_paths());
    plan.env.set = {{"NONO_SET", "yes"}};
    plan.env.drop = {"NONO_DROPPED"};
    auto prepare = [] {
        setenv("LD_PRELOAD", "/nonexistent/inject.so", 1);
        setenv("NONO_DROPPED", "1", 1);
        silence(2);
    };
    CHECK(exit_status(plan, {"/bin/sh", "-c", R"(test -z "$LD_PRELOAD" && test -z "$NONO_DROPPED" && test "$NONO_SET" = yes)"}, {},
                      prepare) == 0);
    plan.env.keep = {"LD_PRELOAD"};
    CHECK(exit_status(plan, {"/bin/sh", "-c", R"(test -n "$LD_PRELOAD")"}, {}, prepare) == 0);
}

TEST_CASE("fails closed: exit 125 and the command is not run") {
    TempDir t;
    chmod(t.path.c_str(), 0777);
    auto plan = plan_of(system_paths());
    plan.paths.push_back({t.path, kRead | kWrite, 0, 0});
    plan.paths = landlock::merge_paths(plan.paths);
    const std::vector<std::string> touch = {"/usr/bin/touch", t / "ran"};
    REQUIRE(exit_status(plan, touch) == 0);  // the command itself works under the plan
    std::filesystem::remove(t / "ran");

    SUBCASE("a kernel without Landlock (landlock_create_ruleset fails with ENOSYS)") {
        auto no_landlock = [] {
            silence(2);
            sock_filter filter[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, landlock::kSysCreateRuleset, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
            };
            sock_fprog prog{4, filter};
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
                _exit(99);
        };
        int err[2];
        REQUIRE(pipe(err) == 0);
        CHECK(exit_status(plan, touch, {}, [&] {
                  no_landlock();
                  dup2(err[1], 2);
              }) == runtime::kExitSandboxFailed);
        close(err[1]);
        char buf[512] = {};
        CHECK(read(err[0], buf, sizeof buf - 1) > 0);
        close(err[0]);
        CHECK(std::string(buf) ==
              "nono: Landlock is not supported by the running kernel, so nothing would confine the command\n"
              "Hint: Landlock needs Linux 5.13 or newer with \"landlock\" in the lsm= boot parameter; nono never runs a "
              "command unconfined.\n");
        CHECK(exit_status(plan, touch, {true, {}, {}}, no_landlock) == runtime::kExitSandboxFailed);  // not even with allow_weaker
    }
    SUBCASE("the seccomp filter is refused by the kernel") {
        runtime::SandboxOptions bad_filter;
        bad_filter.seccomp_filter = {BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0)};  // jumps out of the program
        CHECK(exit_status(plan, touch, bad_filter, [] { silence(2); }) == runtime::kExitSandboxFailed);
    }
    SUBCASE("a descriptor to keep that is not open") {
        CHECK(exit_status(plan, touch, {false, {}, {42}}, [] { silence(2); }) == runtime::kExitSandboxFailed);
    }
    CHECK_FALSE(std::filesystem::exists(t / "ran"));
}

TEST_CASE("a working seccomp filter is installed after Landlock") {
    // Allows everything but getppid, which fails with EPERM: proof the filter is in place.
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    runtime::SandboxOptions options;
    options.seccomp_filter.assign(std::begin(filter), std::end(filter));
    CHECK(in_sandbox(plan_of({}), [] { return error_of(syscall(SYS_getppid)); }, options) == EPERM);
    CHECK(in_sandbox(plan_of({}), [] { return error_of(syscall(SYS_getppid)); }) == 0);
}
