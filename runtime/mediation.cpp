// Runtime: the one mediation (see mediation.hpp): its filter, the listener's way to the
// supervisor, and the loop that hands each call to its part.
#include "runtime/mediation.hpp"

#include <fcntl.h>
#include <linux/audit.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>
#include <utility>

#include "runtime/mediate_metadata.hpp"
#include "runtime/mediate_network.hpp"
#include "runtime/mediate_pidfd.hpp"
#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kHostAudit = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kHostAudit = AUDIT_ARCH_AARCH64;
#else
#error "nono mediates on x86_64 and aarch64"
#endif

// The low word of argument i (little-endian): flags and ioctl commands are ints.
constexpr std::uint32_t arg_low(int i) { return static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * i); }

// A forward-only BPF program whose jumps name the block they go to; the offsets are
// counted once every block is placed.
class Program {
public:
    enum Block { kSyscall, kNotify, kFastOpenArg3, kFastOpenArg2, kNoFastOpen, kIoctl, kIoctlNotify };

    void load(std::uint32_t offset) { code_.push_back({BPF_LD | BPF_W | BPF_ABS, 0, 0, offset}); }
    void ret(std::uint32_t action) { code_.push_back({BPF_RET | BPF_K, 0, 0, action}); }
    // Goes to `block` when the accumulator equals `k` (or, with BPF_JSET, has a bit of it); else on.
    void jump_if(std::uint32_t k, Block block, std::uint16_t test = BPF_JEQ) {
        jumps_.emplace_back(code_.size(), block);
        code_.push_back({static_cast<std::uint16_t>(BPF_JMP | test | BPF_K), 0, 0, k});
    }
    void place(Block block) { blocks_[block] = code_.size(); }

    // BPF jumps forward only, at most 255 instructions: a block placed before its jump, or
    // too far, is a mistake in mediation_filter.
    std::vector<sock_filter> finish() {
        for (const auto& [at, block] : jumps_) {
            const std::size_t to = blocks_.at(block);
            if (to <= at || to - at - 1 > 255) throw std::logic_error("mediation_filter: a jump backwards or too far");
            code_[at].jt = static_cast<std::uint8_t>(to - at - 1);
        }
        return std::move(code_);
    }

private:
    std::vector<sock_filter> code_;
    std::vector<std::pair<std::size_t, Block>> jumps_;
    std::map<Block, std::size_t> blocks_;
};

// One byte with room for one descriptor beside it (SCM_RIGHTS).
struct FdMessage {
    char byte = 0;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    FdMessage() {
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
    }
    FdMessage(const FdMessage&) = delete;  // points into itself
};

void send_fd(int channel, int fd) {
    FdMessage m;
    cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    if (sendmsg(channel, &m.msg, MSG_NOSIGNAL) != 1)
        throw SandboxError("Failed to hand the mediation to the supervisor: " + std::string(std::strerror(errno)), "");
}

int receive_fd(int channel) {
    FdMessage m;
    if (recvmsg(channel, &m.msg, MSG_CMSG_CLOEXEC) != 1) return -1;
    const cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
    if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) return -1;
    int fd;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

int install_listener_filter(const std::vector<sock_filter>& filter) {
    sock_fprog program{static_cast<unsigned short>(filter.size()), const_cast<sock_filter*>(filter.data())};
    return static_cast<int>(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program));
}

}  // namespace

bool read_command_memory(pid_t tid, std::uint64_t address, void* out, std::size_t size) {
    iovec local{out, size};
    iovec remote{reinterpret_cast<void*>(address), size};
    return size == 0 || process_vm_readv(tid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(size);
}

Listener::~Listener() {
    if (fd >= 0) close(fd);
}

void Listener::reply(std::uint64_t id, int result_or_errno_negative) const {
    seccomp_notif_resp resp{};
    resp.id = id;
    if (result_or_errno_negative < 0) resp.error = result_or_errno_negative;
    else resp.val = result_or_errno_negative;
    ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);  // ENOENT: the call was interrupted; nothing waits
}

void Listener::let_continue(std::uint64_t id) const {
    seccomp_notif_resp resp{};
    resp.id = id;
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

bool Listener::still_valid(std::uint64_t id) const {
    std::uint64_t copy = id;
    return ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &copy) == 0;
}

std::vector<sock_filter> mediation_filter(Mediated what) {
    const std::uint32_t allow = SECCOMP_RET_ALLOW;
    Program p;
    p.load(offsetof(seccomp_data, arch));
    p.jump_if(kHostAudit, Program::kSyscall);
    p.ret(allow);  // another architecture: the profile's filter kills it
    p.place(Program::kSyscall);
    p.load(offsetof(seccomp_data, nr));
    if (what.network) {
        for (long nr : {SYS_connect, SYS_bind, SYS_listen}) p.jump_if(static_cast<std::uint32_t>(nr), Program::kNotify);
        p.jump_if(SYS_sendto, Program::kFastOpenArg3);
        p.jump_if(SYS_sendmmsg, Program::kFastOpenArg3);
        p.jump_if(SYS_sendmsg, Program::kFastOpenArg2);
    }
    if (what.metadata) {
        for (std::uint32_t nr : MetadataMediation::syscalls()) p.jump_if(nr, Program::kNotify);
        p.jump_if(SYS_ioctl, Program::kIoctl);
    }
    if (what.pidfd_open) p.jump_if(SYS_pidfd_open, Program::kNotify);
    p.ret(allow);  // everything else, from (arch, nr) alone
    p.place(Program::kNotify);
    p.ret(SECCOMP_RET_USER_NOTIF);
    if (what.network) {
        p.place(Program::kFastOpenArg3);  // sendto, sendmmsg: flags
        p.load(arg_low(3));
        p.jump_if(MSG_FASTOPEN, Program::kNoFastOpen, BPF_JSET);
        p.ret(allow);
        p.place(Program::kFastOpenArg2);  // sendmsg: flags
        p.load(arg_low(2));
        p.jump_if(MSG_FASTOPEN, Program::kNoFastOpen, BPF_JSET);
        p.ret(allow);
        p.place(Program::kNoFastOpen);
        p.ret(SECCOMP_RET_ERRNO | EOPNOTSUPP);
    }
    if (what.metadata) {
        p.place(Program::kIoctl);
        p.load(arg_low(1));
        for (std::uint32_t command : MetadataMediation::ioctls()) p.jump_if(command, Program::kIoctlNotify);
        p.ret(allow);  // every other ioctl
        p.place(Program::kIoctlNotify);
        p.ret(SECCOMP_RET_USER_NOTIF);
    }
    return p.finish();
}

void hand_over_listener(int channel, Mediated what) {
    const int listener = install_listener_filter(mediation_filter(what));
    if (listener < 0) {
        const int error = errno;
        close(channel);
        throw SandboxError("Failed to install the mediation (seccomp user notification): " + std::string(std::strerror(error)),
                           "Hint: this machine refuses seccomp user notification (some container runtimes do); "
                           "nono checks this before it runs, so this should not happen.");
    }
    try {
        send_fd(channel, listener);
    } catch (...) {
        close(listener);
        close(channel);
        throw;
    }
    close(listener);
    close(channel);
}

std::optional<std::string> mediation_unavailable() {
    // A child installs a listener (user notification); nono takes it with pidfd_getfd, the
    // two things the mediation needs and a container's seccomp profile may refuse.
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    const pid_t child = fork();
    if (child < 0) return std::string("fork: ") + std::strerror(errno);
    if (child == 0) {
        // Dumpable, as the command is after its exec: a copy of a supervisor that is not
        // would refuse pidfd_getfd to a caller without CAP_SYS_PTRACE.
        prctl(PR_SET_DUMPABLE, 1);
        close(ready[0]);
        int listener = -1;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
            listener = install_listener_filter({{BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW}});
        const int answer[2] = {listener, listener < 0 ? errno : 0};
        if (write(ready[1], answer, sizeof answer) != sizeof answer) _exit(1);
        pause();
        _exit(0);
    }
    close(ready[1]);
    int answer[2] = {-1, EIO};
    const bool told = read(ready[0], answer, sizeof answer) == sizeof answer;
    close(ready[0]);
    std::optional<std::string> why;
    if (!told || answer[0] < 0) {
        why = std::string("seccomp user notification is refused: ") + std::strerror(answer[1]);
    } else {
        const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, child, 0));
        const int taken = pidfd < 0 ? -1 : static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, answer[0], 0));
        if (taken < 0) why = std::string("pidfd_getfd is refused: ") + std::strerror(errno);
        if (taken >= 0) close(taken);
        if (pidfd >= 0) close(pidfd);
    }
    kill(child, SIGKILL);
    while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
    return why;
}

struct Mediator::State {
    int channel[2] = {-1, -1};
    int stop = -1;
    std::shared_ptr<Listener> listener = std::make_shared<Listener>();
    std::unique_ptr<NetworkMediation> network;
    std::unique_ptr<MetadataMediation> metadata;
    std::unique_ptr<PidfdMediation> pidfd_open;
    std::thread thread;

    void serve() {
        pollfd start[2] = {{channel[0], POLLIN, 0}, {stop, POLLIN, 0}};
        while (poll(start, 2, -1) < 0 && errno == EINTR) {
        }
        if (start[1].revents || (listener->fd = receive_fd(channel[0])) < 0) return;
        for (;;) {
            pollfd events[2] = {{listener->fd, POLLIN, 0}, {stop, POLLIN, 0}};
            if (poll(events, 2, -1) < 0) {
                if (errno == EINTR) continue;
                return;
            }
            if (events[1].revents) return;
            if (events[0].revents & (POLLHUP | POLLERR)) return;  // no process of the run is left
            seccomp_notif request{};
            if (ioctl(listener->fd, SECCOMP_IOCTL_NOTIF_RECV, &request) != 0) continue;
            if (network && NetworkMediation::mediates(request.data.nr)) network->handle(request);
            else if (metadata && MetadataMediation::mediates(request.data.nr)) metadata->handle(request);
            else if (pidfd_open && PidfdMediation::mediates(request.data.nr)) pidfd_open->handle(request);
            else listener->reply(request.id, -ENOSYS);  // not the filter's: cannot happen
        }
    }
};

Mediator::Mediator() : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.stop = eventfd(0, EFD_CLOEXEC);
    if (s.stop < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s.channel) != 0)
        throw SandboxError(std::string("Failed to set up the mediation: ") + std::strerror(errno), "");
}

Mediator::~Mediator() {
    State& s = *state_;
    if (s.thread.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto ignored = write(s.stop, &one, sizeof one);
        s.thread.join();
    }
    for (int fd : {s.channel[0], s.channel[1], s.stop})
        if (fd >= 0) close(fd);
}

void Mediator::mediate_network(MediationRules rules) {
    state_->network = std::make_unique<NetworkMediation>(std::move(rules), state_->listener);
}

void Mediator::mediate_metadata(const ConcreteRuleset& landlock) {
    state_->metadata = std::make_unique<MetadataMediation>(landlock, state_->listener);
}

void Mediator::mediate_pidfd_open() { state_->pidfd_open = std::make_unique<PidfdMediation>(state_->listener); }

Mediated Mediator::what() const {
    return {state_->network != nullptr, state_->metadata != nullptr, state_->pidfd_open != nullptr};
}

int Mediator::command_end() const { return state_->channel[1]; }

void Mediator::start() {
    close(state_->channel[1]);
    state_->channel[1] = -1;
    if (what().any()) state_->thread = std::thread([s = state_.get()] { s->serve(); });
}

std::vector<std::string> Mediator::refusals() const {
    std::vector<std::string> out = state_->network ? state_->network->refusals() : std::vector<std::string>{};
    for (std::vector<std::string> more : {state_->metadata ? state_->metadata->refusals() : std::vector<std::string>{},
                                          state_->pidfd_open ? state_->pidfd_open->refusals() : std::vector<std::string>{}})
        for (std::string& line : more) out.push_back(std::move(line));
    return out;
}

}  // namespace nono::runtime
