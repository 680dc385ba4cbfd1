// Beyond Landlock's rights: each class of escape that Landlock does not see, and the call
// that shows how this policy refuses it. The verdicts come from query.cpp's
// decide_syscall, the same answers the filter gives, so this cannot disagree with it.
#include "compiler/beyond_landlock.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "compiler/explain.hpp"
#include "compiler/query.hpp"
#include "compiler/syscalls.hpp"

namespace nono {

namespace {

struct AttackCall {
    const char* what;
    const char* syscall;
    std::array<std::uint64_t, 6> args;
};

constexpr std::uint64_t kAtFdcwd = static_cast<std::uint32_t>(AT_FDCWD);

// One call per class, with the arguments of the attack (pid 1 stands for any outside pid).
constexpr AttackCall kAttacks[] = {
    {"SysV IPC", "shmget", {0, 4096, 01000 | 0600}},
    {"POSIX message queues", "mq_open", {0, O_CREAT | O_RDWR, 0600, 0}},
    {"other processes by pid", "prlimit64", {1, 1, 0, 0}},
    {"setuid and setgid bits", "fchmodat", {kAtFdcwd, 0, 04755}},
    {"ownership", "fchownat", {kAtFdcwd, 0, 0, 0}},
    {"unix datagrams from socketpair()", "socketpair", {AF_UNIX, SOCK_DGRAM, 0, 0}},
    {"listen() without a bind grant", "listen", {3, 1}},
};

ClassEnforcement enforcement(const OptimizedPolicy& policy, ir::Arch arch, std::string what, std::uint32_t nr,
                             const std::array<std::uint64_t, 6>& args) {
    const SyscallVerdict v = decide_syscall(policy, arch, nr, args);
    const ir::SyscallTable* table = ir::syscall_table(policy.policy(), arch);
    std::vector<ir::Origin> origins = v.origins;
    if (origins.empty() && table) origins.push_back(table->default_origin);
    return {std::move(what), v.allowed ? "ALLOWED" : "seccomp: " + ir::action_to_string(v.action), origin_places(origins)};
}

}  // namespace

std::vector<ClassEnforcement> beyond_landlock(const OptimizedPolicy& policy, ir::Arch arch) {
    std::vector<ClassEnforcement> out;
    out.push_back({"capabilities", "runtime: cleared in every set, securebits locked", "built-in"});
    // The runtime's namespace mode (runtime/namespaces.hpp), wherever the kernel allows a user namespace.
    out.push_back({"namespaces", "runtime: user, mount, pid, ipc, uts of the run's own, where the kernel allows",
                   "built-in"});
    // Without namespaces, the supervisor's mediation (runtime/mediate_metadata.hpp).
    out.push_back({"metadata outside write grants (chmod, utimes, xattrs)",
                   "namespaces: read-only mounts; without: the supervisor decides each call (seccomp user notification), "
                   "or reported as weaker where it cannot",
                   "built-in"});
    // Without namespaces, runtime/mediate_pidfd.hpp.
    out.push_back({"pidfd_open of other processes",
                   "namespaces: a pid namespace of the run's own; without: the supervisor opens it for the run's "
                   "processes only",
                   "built-in"});
    out.push_back({"files run later (.git/hooks, .git/config in write grants)",
                   "namespaces: read-only binds; without: only a `deny write` (a carve-out)", "built-in"});
    const ir::Network& network = policy.policy().network;
    for (const AttackCall& attack : kAttacks) {
        const std::optional<std::uint32_t> nr = syscall_number(arch, attack.syscall);
        if (!nr) continue;
        out.push_back(enforcement(policy, arch, std::string(attack.what) + " (" + attack.syscall + ")", *nr, attack.args));
        // The filter lets listen() through to the supervisor, which decides on the bound address.
        if (std::string_view(attack.syscall) == "listen" && network.loopback && out.back().how == "ALLOWED")
            out.back() = {out.back().what, "supervisor: on loopback only (mediated)", origin_places({*network.loopback})};
    }
    const auto names = syscall_names(arch);
    const std::uint32_t newer = names.back().nr + 1;
    out.push_back(enforcement(policy, arch,
                              "syscalls newer than nono's tables (" + std::to_string(newer - ir::syscall_number_bias(arch)) + " and up)",
                              newer, {}));
    return out;
}

std::string beyond_landlock_text(const OptimizedPolicy& policy, ir::Arch arch) {
    if (!ir::syscall_table(policy.policy(), arch)) return "";
    const std::vector<ClassEnforcement> classes = beyond_landlock(policy, arch);
    std::size_t width = 0;
    for (const ClassEnforcement& c : classes) width = std::max(width, c.what.size());
    std::string out = "beyond Landlock (" + std::string(ir::arch_name(arch)) + "):\n";
    for (const ClassEnforcement& c : classes)
        out += "  " + c.what + std::string(width - c.what.size(), ' ') + "  " + c.how + "  " + c.where + "\n";
    return out;
}

}  // namespace nono
