// The constant tables behind syscall conditions and `errno NAME`. Values come from the
// headers of the build host; flags whose values differ between architectures (a few
// O_* flags on aarch64) take the host's value.
#include "compiler/constants.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <cstring>
#include <map>

namespace nono {

namespace {

#define NONO_CONSTANT(name) {#name, static_cast<std::uint64_t>(name)}

const std::map<std::string, std::uint64_t>& constants() {
    static const std::map<std::string, std::uint64_t> table = {
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
    return table;
}

#undef NONO_CONSTANT

const std::map<std::string, std::uint16_t>& errnos() {
    static const std::map<std::string, std::uint16_t> table = [] {
        std::map<std::string, std::uint16_t> t;
        for (int e = 1; e < 4096; ++e)
            if (const char* name = strerrorname_np(e)) t.emplace(name, static_cast<std::uint16_t>(e));
        return t;
    }();
    return table;
}

template <typename Map>
std::vector<std::string> keys(const Map& m) {
    std::vector<std::string> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
}

}  // namespace

std::optional<std::uint64_t> constant_value(const std::string& name) {
    auto it = constants().find(name);
    if (it == constants().end()) return std::nullopt;
    return it->second;
}

const std::vector<std::string>& constant_names() {
    static const std::vector<std::string> names = keys(constants());
    return names;
}

std::optional<std::uint16_t> errno_value(const std::string& name) {
    auto it = errnos().find(name);
    if (it == errnos().end()) return std::nullopt;
    return it->second;
}

const std::vector<std::string>& errno_names() {
    static const std::vector<std::string> names = keys(errnos());
    return names;
}

}  // namespace nono
