// The Linux constants and errno names compiler/constants.cpp keeps in the repository
// (linux_constants.inc, linux_errnos.inc), so that nonoc compiles the same filter on any
// build host: equal to this Linux's headers. UPDATE=1 rewrites both files from them. Only
// on x86_64, whose values the tables hold (a few O_* flags differ on aarch64).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

#include "compiler/constants.hpp"

namespace {

#define NONO_CONSTANT(name) {#name, static_cast<std::uint64_t>(name)}

const std::map<std::string, std::uint64_t> kFromHeaders = {
        // Terminal ioctls that inject input or reach the console.
        NONO_CONSTANT(TIOCSTI), NONO_CONSTANT(TIOCLINUX), NONO_CONSTANT(TIOCSCTTY), NONO_CONSTANT(TIOCSETD),
        NONO_CONSTANT(TIOCCONS), NONO_CONSTANT(FIONREAD), NONO_CONSTANT(FIONBIO), NONO_CONSTANT(FIOCLEX),
        NONO_CONSTANT(FIONCLEX), NONO_CONSTANT(TIOCGWINSZ), NONO_CONSTANT(TIOCSWINSZ), NONO_CONSTANT(TCGETS),
        NONO_CONSTANT(TCSETS),
        // Socket families and types.
        NONO_CONSTANT(AF_UNSPEC), NONO_CONSTANT(AF_UNIX), NONO_CONSTANT(AF_LOCAL), NONO_CONSTANT(AF_INET),
        NONO_CONSTANT(AF_INET6), NONO_CONSTANT(AF_NETLINK), NONO_CONSTANT(AF_PACKET), NONO_CONSTANT(AF_BLUETOOTH),
        NONO_CONSTANT(AF_CAN), NONO_CONSTANT(AF_TIPC), NONO_CONSTANT(AF_VSOCK), NONO_CONSTANT(AF_ALG),
        NONO_CONSTANT(AF_XDP), NONO_CONSTANT(AF_KEY), NONO_CONSTANT(AF_APPLETALK), NONO_CONSTANT(AF_X25),
        NONO_CONSTANT(SOCK_STREAM), NONO_CONSTANT(SOCK_DGRAM), NONO_CONSTANT(SOCK_RAW), NONO_CONSTANT(SOCK_RDM),
        NONO_CONSTANT(SOCK_SEQPACKET), NONO_CONSTANT(SOCK_PACKET), NONO_CONSTANT(SOCK_NONBLOCK),
        NONO_CONSTANT(SOCK_CLOEXEC),
        // clone() and unshare() flags.
        NONO_CONSTANT(CLONE_VM), NONO_CONSTANT(CLONE_FS), NONO_CONSTANT(CLONE_FILES), NONO_CONSTANT(CLONE_SIGHAND),
        NONO_CONSTANT(CLONE_PIDFD), NONO_CONSTANT(CLONE_PTRACE), NONO_CONSTANT(CLONE_VFORK),
        NONO_CONSTANT(CLONE_PARENT), NONO_CONSTANT(CLONE_THREAD), NONO_CONSTANT(CLONE_NEWNS),
        NONO_CONSTANT(CLONE_SYSVSEM), NONO_CONSTANT(CLONE_SETTLS), NONO_CONSTANT(CLONE_PARENT_SETTID),
        NONO_CONSTANT(CLONE_CHILD_CLEARTID), NONO_CONSTANT(CLONE_UNTRACED), NONO_CONSTANT(CLONE_CHILD_SETTID),
        NONO_CONSTANT(CLONE_NEWCGROUP), NONO_CONSTANT(CLONE_NEWUTS), NONO_CONSTANT(CLONE_NEWIPC),
        NONO_CONSTANT(CLONE_NEWUSER), NONO_CONSTANT(CLONE_NEWPID), NONO_CONSTANT(CLONE_NEWNET), NONO_CONSTANT(CLONE_IO),
        NONO_CONSTANT(CLONE_NEWTIME),
        // mmap() and mprotect().
        NONO_CONSTANT(PROT_NONE), NONO_CONSTANT(PROT_READ), NONO_CONSTANT(PROT_WRITE), NONO_CONSTANT(PROT_EXEC),
        NONO_CONSTANT(MAP_SHARED), NONO_CONSTANT(MAP_PRIVATE), NONO_CONSTANT(MAP_FIXED), NONO_CONSTANT(MAP_ANONYMOUS),
        // open() flags.
        NONO_CONSTANT(O_RDONLY), NONO_CONSTANT(O_WRONLY), NONO_CONSTANT(O_RDWR), NONO_CONSTANT(O_ACCMODE),
        NONO_CONSTANT(O_CREAT), NONO_CONSTANT(O_EXCL), NONO_CONSTANT(O_NOCTTY), NONO_CONSTANT(O_TRUNC),
        NONO_CONSTANT(O_APPEND), NONO_CONSTANT(O_NONBLOCK), NONO_CONSTANT(O_DSYNC), NONO_CONSTANT(O_SYNC),
        NONO_CONSTANT(O_DIRECTORY), NONO_CONSTANT(O_NOFOLLOW), NONO_CONSTANT(O_CLOEXEC), NONO_CONSTANT(O_PATH),
        NONO_CONSTANT(O_TMPFILE), NONO_CONSTANT(O_DIRECT), NONO_CONSTANT(O_LARGEFILE), NONO_CONSTANT(O_NOATIME),
        // prctl() options a profile may want to pin.
        NONO_CONSTANT(PR_SET_DUMPABLE), NONO_CONSTANT(PR_SET_NO_NEW_PRIVS), NONO_CONSTANT(PR_SET_SECCOMP),
        NONO_CONSTANT(PR_SET_PTRACER), NONO_CONSTANT(PR_CAP_AMBIENT), NONO_CONSTANT(PR_SET_NAME),
    };

#undef NONO_CONSTANT

std::map<std::string, std::uint16_t> errnos_from_libc() {
    std::map<std::string, std::uint16_t> out;
    for (int e = 1; e < 4096; ++e)
        if (const char* name = strerrorname_np(e)) out.emplace(name, static_cast<std::uint16_t>(e));
    return out;
}

template <typename Map>
void write_table(const char* file, const Map& table) {
    std::ofstream out(std::string(NONO_REPO_DIR) + "/compiler/" + file, std::ios::binary);
    out << "// Linux's values (x86_64), written by tests/unit/linux_constants_test.cpp (UPDATE=1) from\n"
           "// the headers of a Linux build host; compiler/constants.cpp includes it.\n";
    for (const auto& [name, value] : table) out << "{\"" << name << "\", " << value << "},\n";
}

}  // namespace

#if defined(__x86_64__)
TEST_CASE("constants: the repository's Linux tables equal this Linux's headers") {
    const auto errnos = errnos_from_libc();
    if (std::getenv("UPDATE")) {
        write_table("linux_constants.inc", kFromHeaders);
        write_table("linux_errnos.inc", errnos);
    }
    CHECK(nono::constant_names().size() == kFromHeaders.size());
    for (const auto& [name, value] : kFromHeaders) {
        CAPTURE(name);
        CHECK(nono::constant_value(name) == value);
    }
    CHECK(nono::errno_names().size() == errnos.size());
    for (const auto& [name, value] : errnos) {
        CAPTURE(name);
        CHECK(nono::errno_value(name) == value);
        CHECK(nono::errno_name(value) == name);
    }
}
#endif
