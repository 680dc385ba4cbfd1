// Runtime: the supervisor's one mediation through seccomp user notification (DESIGN.md,
// "Network" and "Beyond Landlock's rights"). The kernel gives a filter tree one listener
// only, so one small filter sends every mediated call to the supervisor, and one loop there
// hands each to its part by syscall number: connect, bind and listen to the network's
// (mediate_network.hpp); in a run without namespaces, the metadata calls to the metadata's
// (mediate_metadata.hpp) and pidfd_open to mediate_pidfd.hpp. The command installs the filter, besides the profile's, and
// hands the listener over a socketpair before exec.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nono::runtime {

struct ConcreteRuleset;
struct MediationRules;

// What one run's mediation carries; the command builds its filter from it.
struct Mediated {
    bool network = false;   // connect, bind, listen (and no TCP Fast Open)
    bool metadata = false;    // mode, owner, times, xattrs and inode flags (mediate_metadata.hpp)
    bool pidfd_open = false;  // only of the run's own processes (mediate_pidfd.hpp)
    bool any() const { return network || metadata || pidfd_open; }
};

// The filter for the host architecture: user notification for the calls `what` names,
// EOPNOTSUPP for a TCP Fast Open send (a connect inside sendto/sendmsg) with the network,
// allow for the rest, every syscall that is not mediated without loading an argument, so
// that the kernel's constant-action cache keeps serving it. Foreign architectures are the
// profile filter's to kill.
std::vector<sock_filter> mediation_filter(Mediated what);

// In the command, after no_new_privs and before the profile's filter: installs the
// mediation filter and sends its listener over `channel`, then closes both. Throws SandboxError.
void hand_over_listener(int channel, Mediated what);

// Why this machine cannot mediate (seccomp user notification or pidfd_getfd refused, as
// some container runtimes do), or nullopt when it can. Probes with a child process.
std::optional<std::string> mediation_unavailable();

// Copies `size` bytes at `address` in the memory of the command's thread `tid` (a call's
// argument, read once and decided on as copied); false when they cannot all be read.
bool read_command_memory(pid_t tid, std::uint64_t address, void* out, std::size_t size);

// The listener, shared by the loop and the threads that finish a blocking connect.
struct Listener {
    int fd = -1;
    ~Listener();
    // Answers the call with a result (>= 0) or an errno (negative).
    void reply(std::uint64_t id, int result_or_errno_negative) const;
    // Lets the call go on in the command, for the kernel and Landlock to decide.
    void let_continue(std::uint64_t id) const;
    // Whether the call still waits: false once its process is gone or its pid is another's.
    bool still_valid(std::uint64_t id) const;
};

class NetworkMediation;
class MetadataMediation;
class PidfdMediation;

class Mediator {
public:
    // The channel the listener comes back on; what it mediates is added before the fork.
    // Throws SandboxError.
    Mediator();
    ~Mediator();
    Mediator(const Mediator&) = delete;
    Mediator& operator=(const Mediator&) = delete;

    void mediate_network(MediationRules rules);
    // `landlock`: the ruleset the command gets (resolve_ruleset, without binds).
    void mediate_metadata(const ConcreteRuleset& landlock);
    void mediate_pidfd_open();
    Mediated what() const;

    // The command's end of the channel (for hand_over_listener); nono closes its copy in start().
    int command_end() const;
    // After the fork: receives the listener and serves on a thread of its own; with nothing
    // to mediate, only closes its copy of the command's end.
    void start();
    // One line per refused call and reason, with counts; read after the run.
    std::vector<std::string> refusals() const;

    struct State;

private:
    std::unique_ptr<State> state_;
};

}  // namespace nono::runtime
