// Units for the metadata part of the mediation (runtime/mediate_metadata.hpp): its decision,
// which is Landlock's layout, and its share of the one filter, which must leave every
// syscall it does not mediate to the kernel's constant-action cache.
#include <doctest/doctest.h>

#include <linux/audit.h>
#include <linux/btrfs.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <cerrno>
#include <set>

#include "compiler/emitters/seccomp/interpret.hpp"
#include "compiler/syscalls.hpp"
#include "runtime/mediate_metadata.hpp"

using namespace nono;

TEST_CASE("metadata decision: only where the command's Landlock rules grant writing") {
    runtime::ConcreteRuleset landlock;
    landlock.handled_fs = landlock::kAllFsRights;
    const landlock::Access read = landlock::kAccessFsReadFile | landlock::kAccessFsReadDir | landlock::kAccessFsExecute;
    landlock.rules = {{"/", read, true},
                      {"/home/u/ws", landlock::kAllFsRights, true},
                      // A carve-out's expansion: .git's entries one by one, hooks read-only.
                      {"/home/u/ws2", read, true},
                      {"/home/u/ws2/src", landlock::kAllFsRights, true},
                      {"/home/u/ws2/.git/hooks", read, true},
                      {"/dev/null", landlock::kAccessFsWriteFile | landlock::kAccessFsReadFile, false},
                      {"/home/u/out", landlock::kAccessFsMakeReg, true}};
    CHECK(runtime::decide_metadata(landlock, "/home/u/ws/a.txt", false) == 0);
    CHECK(runtime::decide_metadata(landlock, "/home/u/ws", true) == 0);
    CHECK(runtime::decide_metadata(landlock, "/home/u/ws/src", true) == 0);
    CHECK(runtime::decide_metadata(landlock, "/home/u/.ssh/id_rsa", false) == EPERM);
    CHECK(runtime::decide_metadata(landlock, "/usr/bin/sudo", false) == EPERM);
    CHECK(runtime::decide_metadata(landlock, "/home/u/ws-other/x", false) == EPERM);  // a prefix is not a parent
    CHECK(runtime::decide_metadata(landlock, "/home/u/ws2/src/main.c", false) == 0);
    CHECK(runtime::decide_metadata(landlock, "/home/u/ws2", true) == EPERM);  // keeps only what all below it have
    CHECK(runtime::decide_metadata(landlock, "/home/u/ws2/.git/hooks/pre-commit", false) == EPERM);
    // A directory where files may only be created: its own metadata follows the directory's
    // rights; a file there needs write-file.
    CHECK(runtime::decide_metadata(landlock, "/home/u/out", true) == 0);
    CHECK(runtime::decide_metadata(landlock, "/home/u/out/f", false) == EPERM);
    // A right Landlock does not handle is not refused here either.
    landlock.handled_fs &= ~landlock::kAccessFsWriteFile;
    CHECK(runtime::decide_metadata(landlock, "/home/u/.ssh/id_rsa", false) == 0);
}

TEST_CASE("mediation filter: the metadata calls and inode-flag ioctls notify; every other syscall is a constant allow") {
    const std::vector<sock_filter> filter = runtime::mediation_filter({.metadata = true});
    REQUIRE(seccomp::check_program(filter).value_or("") == "");
    auto run = [&](std::uint32_t nr, std::uint64_t arg1) {
        seccomp_data data{};
        data.arch = AUDIT_ARCH_X86_64;
        data.nr = static_cast<int>(nr);
        data.args[1] = arg1;
        return seccomp::run_filter(filter, data).result;
    };
    const std::set<std::string> names = {"chmod",    "fchmod",       "fchmodat",    "fchmodat2",   "chown",
                                         "fchown",   "lchown",       "fchownat",    "utime",       "utimes",
                                         "futimesat", "utimensat",   "setxattr",    "lsetxattr",   "fsetxattr",
                                         "removexattr", "lremovexattr", "fremovexattr", "setxattrat", "removexattrat",
                                         "file_setattr"};
    std::set<std::uint32_t> mediated;
    for (const auto& [nr, name] : syscall_names(ir::Arch::X86_64))
        if (names.count(std::string(name))) mediated.insert(nr);
    CHECK(mediated.size() == names.size());
    for (std::uint32_t nr : mediated) {
        CHECK(run(nr, 0) == SECCOMP_RET_USER_NOTIF);
        CHECK_FALSE(seccomp::is_const_allow(filter, AUDIT_ARCH_X86_64, nr));
    }
    for (unsigned long command : {FS_IOC_SETFLAGS, FS_IOC32_SETFLAGS, FS_IOC_FSSETXATTR, FS_IOC_SETVERSION,
                                  BTRFS_IOC_SUBVOL_SETFLAGS, FS_IOC_ENABLE_VERITY, FS_IOC_SET_ENCRYPTION_POLICY})
        CHECK(run(SYS_ioctl, command) == SECCOMP_RET_USER_NOTIF);
    CHECK(run(SYS_ioctl, FS_IOC_SETFLAGS | (std::uint64_t{1} << 32)) == SECCOMP_RET_USER_NOTIF);  // the command is an int
    CHECK(run(SYS_ioctl, FS_IOC_GETFLAGS) == SECCOMP_RET_ALLOW);
    CHECK(run(SYS_ioctl, TIOCGWINSZ) == SECCOMP_RET_ALLOW);
    CHECK(run(SYS_connect, 0) == SECCOMP_RET_ALLOW);  // the network's only when the run mediates it
    unsigned constant = 0;
    for (const auto& [nr, name] : syscall_names(ir::Arch::X86_64)) {
        if (mediated.count(nr) || nr == SYS_ioctl) continue;
        INFO(name);
        CHECK(seccomp::is_const_allow(filter, AUDIT_ARCH_X86_64, nr));
        ++constant;
    }
    CHECK(constant > 300);
    // Both parts in one filter: one listener serves them.
    const std::vector<sock_filter> both = runtime::mediation_filter({.network = true, .metadata = true});
    REQUIRE(seccomp::check_program(both).value_or("") == "");
    seccomp_data data{};
    data.arch = AUDIT_ARCH_X86_64;
    data.nr = SYS_connect;
    CHECK(seccomp::run_filter(both, data).result == SECCOMP_RET_USER_NOTIF);
    data.nr = SYS_fchmodat;
    CHECK(seccomp::run_filter(both, data).result == SECCOMP_RET_USER_NOTIF);
    data.nr = SYS_pidfd_open;
    CHECK(seccomp::run_filter(both, data).result == SECCOMP_RET_ALLOW);  // only with pidfd_open mediated
    CHECK(seccomp::run_filter(runtime::mediation_filter({.metadata = true, .pidfd_open = true}), data).result ==
          SECCOMP_RET_USER_NOTIF);
    data.nr = SYS_sendto;
    data.args[3] = MSG_FASTOPEN;
    CHECK(seccomp::run_filter(both, data).result == (SECCOMP_RET_ERRNO | EOPNOTSUPP));
}
