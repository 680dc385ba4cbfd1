// Runtime: pidfd_open mediated without namespaces (see mediate_pidfd.hpp).
#include "runtime/mediate_pidfd.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

// The parent of `pid` as /proc says it, or 0.
pid_t parent_of(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const std::size_t end_of_name = line.rfind(')');  // the name may hold spaces and parentheses
    if (end_of_name == std::string::npos) return 0;
    std::istringstream rest(line.substr(end_of_name + 1));
    char state;
    pid_t parent = 0;
    rest >> state >> parent;
    return parent;
}

// Whether `pid` descends from this process (nono): the run's processes are the reaper's
// tree, whose orphans the reaper, a subreaper, keeps.
bool of_this_run(pid_t pid) {
    for (int depth = 0; pid > 1 && depth < 4096; ++depth)
        if ((pid = parent_of(pid)) == getpid()) return true;
    return false;
}

}  // namespace

PidfdMediation::PidfdMediation(std::shared_ptr<Listener> listener) : listener_(std::move(listener)) {}

bool PidfdMediation::mediates(int nr) { return nr == SYS_pidfd_open; }

void PidfdMediation::handle(const seccomp_notif& r) {
    const pid_t pid = static_cast<pid_t>(r.data.args[0]);
    const UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, static_cast<unsigned>(r.data.args[1]))));
    const int error = errno;
    if (!listener_->still_valid(r.id)) return;  // the caller is gone, or its id is another's
    if (pidfd.fd < 0) return listener_->reply(r.id, -error);
    // Alive once its pidfd is open: the pid named that same process while its ancestry was read.
    if (!of_this_run(pid) || syscall(SYS_pidfd_send_signal, pidfd.fd, 0, nullptr, 0) != 0) {
        refusals_.count("pidfd_open of pid " + std::to_string(pid) + ": not a process of the run");
        return listener_->reply(r.id, -ESRCH);
    }
    seccomp_notif_addfd add{};
    add.id = r.id;
    add.flags = SECCOMP_ADDFD_FLAG_SEND;  // installed and returned as the call's result, at once
    add.srcfd = static_cast<std::uint32_t>(pidfd.fd);
    add.newfd_flags = O_CLOEXEC;  // as every pidfd
    if (ioctl(listener_->fd, SECCOMP_IOCTL_NOTIF_ADDFD, &add) < 0 && errno != ENOENT)
        listener_->reply(r.id, -errno);  // ENOENT: the call was interrupted; nothing waits
}

std::vector<std::string> PidfdMediation::refusals() const { return refusals_.lines(); }

}  // namespace nono::runtime
