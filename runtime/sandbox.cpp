// Runtime: the loader — Landlock ruleset, seccomp filter, environment, descriptors, exec.
#include "runtime/sandbox.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>

#include "runtime/glob_expand.hpp"
#include "plan/glob_match.hpp"
#include "runtime/landlock_syscalls.hpp"
#include "runtime/mediation.hpp"
#include "runtime/namespaces.hpp"

namespace nono::runtime {

using landlock::Access;

namespace {

std::string errno_text(int err) { return std::strerror(err); }

constexpr const char* kHintFilesystem =
    "Hint: a path of the profile (or an entry of a directory it expands) could not be read; "
    "check its permissions, or remove it from the profile.";
constexpr const char* kHintKernel =
    "Hint: the kernel refused a Landlock call; check that Landlock is enabled (lsm= boot parameter).";

// The descriptors of the rules' paths and of expanded directories' entries, closed in
// batches once their rules are added: one close_range per run of consecutive numbers
// instead of one close per path, in directories of 100,000 entries where every syscall
// counts.
class DeferredClose {
public:
    // Half the usual soft RLIMIT_NOFILE (1024); running out anyway (EMFILE) closes early.
    static constexpr std::size_t kBatch = 512;

    DeferredClose() { fds_.reserve(kBatch); }  // so that adding never allocates (or throws)
    DeferredClose(const DeferredClose&) = delete;
    DeferredClose& operator=(const DeferredClose&) = delete;
    ~DeferredClose() { close_all(); }

    // Opens a descriptor with `open_fd` and keeps it for the next batch; when out of
    // descriptors (EMFILE), closes the batch first and tries again. -1 and errno on failure.
    template <typename Open>
    int open(Open open_fd) {
        if (fds_.size() == kBatch) close_all();  // adding to a full batch would allocate
        int fd = open_fd();
        if (fd < 0 && errno == EMFILE && !fds_.empty()) {
            close_all();
            fd = open_fd();
        }
        if (fd >= 0) fds_.push_back(fd);
        return fd;
    }

    // Descriptors come lowest-free first, so ours are mostly one ascending run; only
    // numbers we opened are ever closed.
    void close_all() {
        for (std::size_t first = 0, end = 0; first < fds_.size(); first = end) {
            for (end = first + 1; end < fds_.size() && fds_[end] == fds_[end - 1] + 1;) ++end;
            // Only a kernel older than 5.9 (a dry run: it has no Landlock) or a seccomp
            // filter lacks close_range: one by one then.
            if (syscall(SYS_close_range, fds_[first], fds_[end - 1], 0) != 0)
                for (std::size_t i = first; i < end; ++i) close(fds_[i]);
        }
        fds_.clear();
    }

private:
    std::vector<int> fds_;
};

// A path that cannot be opened because it, or a directory on the way, is missing or out
// of reach is skipped: the sandbox then grants nothing there, which is the safe side.
bool skippable(int err) { return err == ENOENT || err == ENOTDIR || err == EACCES || err == ELOOP; }

Access fs_handled_on(const landlock::Plan& plan, int abi) {
    return plan.handled_fs & landlock::kFsRightsByAbi[std::min(abi, landlock::kNewestKnownAbi)];
}
Access net_handled_on(const landlock::Plan& plan, int abi) {
    return plan.handle_tcp && abi >= 4 ? landlock::kAccessNetBindTcp | landlock::kAccessNetConnectTcp : 0;
}
Access scoped_on(const landlock::Plan& plan, int abi) { return abi >= 6 ? plan.scoped : 0; }

// What stat said of a path the plan states, before the layout: 0 and whether it is a
// directory, or the errno.
struct PathStat {
    int error = 0;
    bool directory = false;
};
using PathStats = std::map<std::string, PathStat, std::less<>>;

// What stat says of `path`, from what lstat said where the path holds no symlink (a path
// moved to its file holds one only where following it failed).
PathStat stat_of(const std::string& path, PathFacts& facts) {
    const PathFact& fact = facts.of(path);
    if (!fact.symlink()) return {fact.error, fact.directory()};
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return {errno, false};
    return {0, S_ISDIR(st.st_mode)};
}

// ---- Paths mean files (DESIGN.md): a rule applies to the object its path names.

// Rights that change the file system: a place granted one can hold a symlink that an
// earlier run of the sandbox planted.
constexpr Access kChangingRights =
    landlock::kAllFsRights & ~(landlock::kAccessFsExecute | landlock::kAccessFsReadFile | landlock::kAccessFsReadDir);

// Where a stated path leads: its symlinks followed, as the kernel would, except one that
// lies inside a place in `writable` (it is returned as `planted`, and not followed). A
// missing part is kept as written; a loop leaves the path as stated, which the no-symlink
// open then refuses.
struct Destination {
    std::string path;
    std::string planted;
};

Destination follow(const std::string& stated, const std::vector<std::string>& writable, PathFacts& facts) {
    std::vector<std::string> pending;  // the components still to walk, the next one last
    auto push = [&](std::string_view path) {
        std::vector<std::string> parts;
        landlock::for_each_component(path, [&](std::string_view c) {
            if (!c.empty() && c != ".") parts.emplace_back(c);
        });
        pending.insert(pending.end(), parts.rbegin(), parts.rend());
    };
    push(stated);
    std::string real = "/";
    for (int links = 0; !pending.empty();) {
        const std::string name = std::move(pending.back());
        pending.pop_back();
        if (name == "..") {
            real = real.substr(0, std::max<std::size_t>(real.rfind('/'), 1));
            continue;
        }
        const std::string next = landlock::child_path(real, name);
        const PathFact& fact = facts.of(next);
        if (!fact.symlink()) {
            real = next;
            continue;
        }
        for (const std::string& place : writable)
            if (next != place && landlock::at_or_below(next, place)) return {stated, next};
        if (fact.target.empty() || ++links > 40) return {stated, {}};
        if (fact.target.front() == '/') real = "/";
        push("/" + fact.target);
    }
    return {real, {}};
}

// The plan's paths moved to the objects they name. A deny holds under its own spelling and
// at its destination, so that no other name by which the profile reaches the object opens
// it; an allow moves to its destination, except through a symlink in a place an allow
// before it lets the sandbox write (shorter paths go first, so a workspace is known before
// the paths in it). An allow that reaches a denied object by another name than the deny
// spells is refused: which of the two the profile means cannot be told.
std::vector<landlock::PathEntry> applied_to_files(std::vector<landlock::PathEntry> stated, std::vector<std::string>& skipped,
                                                  std::vector<std::string>& resolved, PathFacts& facts) {
    auto depth = [](const landlock::PathEntry& e) { return std::count(e.path.begin(), e.path.end(), '/'); };
    std::stable_sort(stated.begin(), stated.end(), [&](const auto& a, const auto& b) { return depth(a) < depth(b); });
    struct Moved {
        std::string stated, file;
        Access rights;
    };
    std::vector<Moved> denies, allows;
    std::vector<std::string> writable;
    std::vector<landlock::PathEntry> out;
    auto note = [&](const std::string& from, const std::string& to) {
        if (from != to) resolved.push_back(from + " -> " + to);
    };
    for (const landlock::PathEntry& e : stated) {
        if (e.deny || e.sealed) {
            const Destination d = follow(e.path, {}, facts);
            out.push_back({e.path, 0, e.deny, e.sealed});
            if (d.path != e.path) out.push_back({d.path, 0, e.deny, e.sealed});
            note(e.path, d.path);
            denies.push_back({e.path, d.path, e.deny});
        }
        if (!e.allow) continue;
        const Destination d = follow(e.path, writable, facts);
        if (!d.planted.empty()) {
            skipped.push_back(e.path + ": " + d.planted + " is a symlink in a place the sandbox can write; not followed");
            continue;
        }
        out.push_back({d.path, e.allow, 0, 0});
        note(e.path, d.path);
        allows.push_back({e.path, d.path, e.allow});
        if (e.allow & kChangingRights) writable.push_back(d.path);
    }
    for (const Moved& allow : allows)
        for (const Moved& deny : denies)
            if ((allow.rights & deny.rights) && landlock::at_or_below(allow.file, deny.file) && !landlock::at_or_below(allow.stated, deny.stated))
                throw SandboxError("\"" + allow.stated + "\" is \"" + allow.file + "\", which the profile denies as \"" +
                                       deny.stated + "\"",
                                   "Hint: a path the profile allows names a file it denies by another name; allow it "
                                   "by the name the deny uses, or drop one of the two rules.");
    std::sort(resolved.begin(), resolved.end());
    resolved.erase(std::unique(resolved.begin(), resolved.end()), resolved.end());
    return landlock::merge_paths(std::move(out));
}

// The plan's paths with the globs expanded, moved to the files they name.
std::vector<landlock::PathEntry> moved_to_files(const landlock::Plan& plan, std::vector<std::string>& skipped,
                                                std::vector<std::string>& resolved, PathFacts& facts) {
    std::vector<landlock::PathEntry> paths = plan.paths;
    for (landlock::PathEntry& e : landlock::expand_globs(plan.globs, skipped)) paths.push_back(std::move(e));
    return applied_to_files(landlock::merge_paths(std::move(paths)), skipped, resolved, facts);
}

// The plan's paths with the globs expanded and moved to the files they name, ready to lay
// out, and what stat said of each. On an existing non-directory, read-dir means nothing;
// dropping it there lets the directories above a denied file stay listable. A path bound
// read-only (`read_only_binds`) keeps of its deny only what a read-only mount does not
// refuse: the rest the kernel refuses there already, and as a deny it would take from the
// directories above it every create right.
std::vector<landlock::PathEntry> concrete_paths(const landlock::Plan& plan, const std::vector<std::string>& read_only_binds,
                                                std::vector<std::string>& skipped, std::vector<std::string>& resolved,
                                                PathFacts& facts, PathStats& stats) {
    std::vector<landlock::PathEntry> paths = moved_to_files(plan, skipped, resolved, facts);
    for (landlock::PathEntry& e : paths) {
        if (std::find(read_only_binds.begin(), read_only_binds.end(), e.path) != read_only_binds.end())
            e.deny &= ~kRefusedByReadOnlyMount;
        PathStat& known = stats[e.path] = stat_of(e.path, facts);
        if (known.error != 0) continue;
        if (!known.directory) {
            e.allow &= ~landlock::kAccessFsReadDir;
            e.deny &= ~landlock::kAccessFsReadDir;
        }
    }
    return paths;
}

// Calls `add` for every rule the plan amounts to on this file system, with an O_PATH
// descriptor for it, the access (limited to `handled`, and to file rights on a
// non-directory) and whether it is a directory. Rules left with no access are dropped.
using RuleSink = std::function<void(const std::string& path, int fd, Access access, bool directory)>;

void for_each_rule(const landlock::Plan& plan, Access handled, const std::vector<std::string>& read_only_binds,
                   PathFacts& facts, std::vector<std::string>& skipped, std::vector<std::string>& resolved,
                   const RuleSink& add) {
    auto add_opened = [&](const std::string& path, int fd, Access access, bool directory) {
        access &= handled & (directory ? landlock::kAllFsRights : landlock::kFileRights);
        if (access) add(path, fd, access, directory);
    };
    auto is_directory = [](const std::string& path, int fd) {
        struct stat st;
        if (fstat(fd, &st) != 0) throw SandboxError("Failed to stat \"" + path + "\": " + errno_text(errno), kHintFilesystem);
        return S_ISDIR(st.st_mode);
    };

    PathStats stats;
    DeferredClose rule_fds;
    const landlock::Layout layout = landlock::lay_out(concrete_paths(plan, read_only_binds, skipped, resolved, facts, stats));
    for (const landlock::PathRule& rule : layout.rules) {
        // A stated path is opened as stat saw it, so its answer stands, saving a syscall
        // per rule. Should the path change in between, the rule only ever gets less: a
        // path created since is skipped, a directory's rights on a file make add_rule fail
        // (and the sandbox with it), a file's rights on a directory are the plan's own.
        const auto known = rule.anchor == rule.path ? stats.find(rule.path) : stats.end();
        if (known != stats.end() && known->second.error != 0 && skippable(known->second.error)) {
            skipped.push_back(rule.path + ": " + errno_text(known->second.error));
            continue;
        }
        const int fd = rule_fds.open([&] { return open_layout_path(rule.path, O_PATH); });
        if (fd < 0) {
            if (!skippable(errno)) throw SandboxError("Failed to open \"" + rule.path + "\": " + errno_text(errno), kHintFilesystem);
            skipped.push_back(rule.path + ": " + errno_text(errno));
            continue;
        }
        const bool directory =
            known != stats.end() && known->second.error == 0 ? known->second.directory : is_directory(rule.path, fd);
        add_opened(rule.path, fd, rule.access, directory);
    }
    rule_fds.close_all();
    for (const landlock::Expansion& expansion : layout.expansions) {
        int dir_fd = open_layout_path(expansion.directory, O_RDONLY | O_DIRECTORY);
        if (dir_fd < 0) {
            if (!skippable(errno))
                throw SandboxError("Failed to open \"" + expansion.directory + "\": " + errno_text(errno), kHintFilesystem);
            skipped.push_back(expansion.directory + ": " + errno_text(errno));
            continue;
        }
        std::unique_ptr<DIR, int (*)(DIR*)> dir(fdopendir(dir_fd), closedir);
        if (!dir) {
            close(dir_fd);
            throw SandboxError("Failed to list \"" + expansion.directory + "\": " + errno_text(errno), kHintFilesystem);
        }
        std::string path = expansion.directory == "/" ? "/" : expansion.directory + "/";  // + each name in turn
        const std::size_t prefix_size = path.size();
        DeferredClose opened;
        for (;;) {
            errno = 0;  // readdir reports an error only through errno
            const dirent* d = readdir(dir.get());
            if (!d) {
                if (errno != 0)
                    throw SandboxError("Failed to list \"" + expansion.directory + "\": " + errno_text(errno), kHintFilesystem);
                break;
            }
            std::string_view name = d->d_name;
            // Landlock checks a symlink's target, never the link: nothing to grant on it.
            if (name == "." || name == ".." || d->d_type == DT_LNK ||
                std::binary_search(expansion.except.begin(), expansion.except.end(), name))
                continue;
            // O_NOFOLLOW: an entry swapped for a symlink after readdir yields the link itself,
            // so the grant cannot reach its target. The type comes from readdir (one syscall
            // less per entry, which counts in directories of 100,000 entries); a directory
            // swapped for a file makes add_rule fail, and the sandbox with it.
            path.resize(prefix_size);
            path += name;
            const int fd = opened.open([&] { return openat(dirfd(dir.get()), d->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC); });
            if (fd < 0) {
                if (errno == ENOENT) continue;  // removed since readdir
                throw SandboxError("Failed to open \"" + path + "\": " + errno_text(errno), kHintFilesystem);
            }
            add_opened(path, fd, expansion.access, d->d_type == DT_UNKNOWN ? is_directory(path, fd) : d->d_type == DT_DIR);
        }
    }
}

template <class F>
void for_each_port(const std::vector<landlock::PortRange>& ranges, F f) {
    for (const landlock::PortRange& r : ranges)
        for (std::uint32_t port = r.first; port <= r.last; ++port) f(port);
}

void install_seccomp(const std::vector<sock_filter>& filter) {
    if (filter.empty()) return;
    sock_fprog program{static_cast<unsigned short>(filter.size()), const_cast<sock_filter*>(filter.data())};
    if (filter.size() > BPF_MAXINSNS)
        throw SandboxError("The seccomp filter has " + std::to_string(filter.size()) + " instructions, more than the kernel's limit of " +
                               std::to_string(BPF_MAXINSNS),
                           "Hint: simplify the profile's syscall rules.");
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &program) != 0)
        throw SandboxError("Failed to install the seccomp filter: " + errno_text(errno),
                           "Hint: the kernel needs CONFIG_SECCOMP_FILTER.");
}

// Every securebit that keeps capabilities away from this process and what it executes,
// each locked so that it cannot be undone: uid 0 gains none at exec, changing uids does
// not bring them back, and no ambient capability can be raised.
constexpr unsigned long kLockedSecurebits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                            SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                                            SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;

bool capability_effective(int cap) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    return syscall(SYS_capget, &header, data) == 0 && (data[cap / 32].effective >> (cap % 32)) & 1;
}

// Clears every capability set (ambient, bounding, effective, permitted, inheritable) and
// locks the securebits, so that a sandbox run as root cannot set the clock or the
// hostname, chown, mknod, read the kernel log or change network devices. Without
// CAP_SETPCAP (an ordinary user) the bounding set and the securebits cannot be changed;
// they matter only for what an exec could gain, and no_new_privs already stops that.
void drop_capabilities() {
    const char* hint = "Hint: nono never runs a command with capabilities it could not drop.";
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
        throw SandboxError("Failed to clear the ambient capabilities: " + errno_text(errno), hint);
    if (capability_effective(CAP_SETPCAP)) {
        // Up to the first number the kernel does not know (EINVAL): one call per capability.
        unsigned long cap = 0;
        while (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) ++cap;
        if (errno != EINVAL || cap == 0)
            throw SandboxError("Failed to drop capability " + std::to_string(cap) + " from the bounding set: " +
                                   errno_text(errno),
                               hint);
        if (prctl(PR_SET_SECUREBITS, kLockedSecurebits, 0, 0, 0) != 0)
            throw SandboxError("Failed to lock the securebits: " + errno_text(errno), hint);
    }
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (syscall(SYS_capset, &header, data) != 0)
        throw SandboxError("Failed to clear the capabilities: " + errno_text(errno), hint);
    // Read back: a set that kept a bit would be a sandbox with a way out.
    if (syscall(SYS_capget, &header, data) != 0 ||
        std::any_of(std::begin(data), std::end(data), [](const __user_cap_data_struct& d) {
            return d.effective || d.permitted || d.inheritable;
        }))
        throw SandboxError("The capabilities are not clear after clearing them", hint);
}

}  // namespace

std::vector<std::string> weaker_on(const landlock::Plan& plan, int abi) {
    std::vector<std::string> weaker;
    for (const landlock::AbiNeed& need : landlock::abi_needs(plan))
        if (abi < need.abi && !need.stricter_without)
            weaker.push_back(need.what + " (needs ABI " + std::to_string(need.abi) + ")");
    for (const landlock::GlobEntry& g : plan.globs)
        if (g.deny && landlock::wildcard_in_directory(g.pattern))
            weaker.push_back(g.pattern + ": a match created later, in a directory that held none, is not denied");
    return weaker;
}

int open_layout_path(const std::string& path, int flags) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_NO_SYMLINKS;
    const int fd = static_cast<int>(syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how));
    if (fd >= 0 || errno != ENOSYS) return fd;
    // Without openat2 (before Linux 5.6, or refused by a seccomp filter: base's own refuses
    // it, so a nono run inside nono comes here), the same walk one component at a time, each
    // opened from the last without following a symlink.
    int at = open("/", (path == "/" ? flags : O_PATH | O_DIRECTORY) | O_CLOEXEC);
    std::string_view rest(path);
    while (at >= 0 && rest.size() > 1) {
        rest.remove_prefix(1);
        const std::size_t slash = std::min(rest.find('/'), rest.size());
        const std::string name(rest.substr(0, slash));
        rest.remove_prefix(slash);
        const bool last = rest.empty();
        const int next = openat(at, name.c_str(), (last ? flags : O_PATH) | O_NOFOLLOW | O_CLOEXEC);
        close(at);
        struct stat st;
        if (next >= 0 && fstat(next, &st) == 0 && S_ISLNK(st.st_mode)) {  // O_PATH opens the link itself
            close(next);
            errno = ELOOP;
            return -1;
        }
        at = next;
    }
    return at;
}


std::vector<landlock::PathEntry> files_named(const landlock::Plan& plan, PathFacts& facts) {
    std::vector<std::string> skipped, resolved;
    return moved_to_files(plan, skipped, resolved, facts);
}

ConcreteRuleset resolve_ruleset(const landlock::Plan& plan, int abi, const std::vector<std::string>& read_only_binds) {
    ConcreteRuleset out;
    out.abi = abi;
    out.handled_fs = fs_handled_on(plan, abi);
    out.handled_net = net_handled_on(plan, abi);
    out.scoped = scoped_on(plan, abi);
    out.weaker = weaker_on(plan, abi);
    PathFacts facts;
    for_each_rule(plan, out.handled_fs, read_only_binds, facts, out.skipped, out.resolved,
                  [&](const std::string& path, int, Access access, bool directory) { out.rules.push_back({path, access, directory}); });
    return out;
}

std::string describe(const landlock::Plan& plan, const ConcreteRuleset& r) {
    std::string out = "Landlock ABI " + std::to_string(r.abi) + "\n";
    out += "handled filesystem rights: " + landlock::fs_access_to_string(r.handled_fs) + "\n";
    out += std::string("handled network rights: ") + (r.handled_net ? "bind tcp, connect tcp" : "none") + "\n";
    out += "scoped: ";
    out += r.scoped == 0 ? "nothing"
           : r.scoped == (landlock::kScopeAbstractUnixSocket | landlock::kScopeSignal) ? "abstract unix sockets, signals"
           : r.scoped == landlock::kScopeSignal ? "signals"
                                                : "abstract unix sockets";
    out += "\n";
    for (const ConcreteRule& rule : r.rules)
        out += "allow " + landlock::fs_access_to_string(rule.access) + " " + rule.path + (rule.directory ? "/" : "") + "\n";
    auto ports = [&](const char* what, const std::vector<landlock::PortRange>& ranges) {
        if (!r.handled_net) return;
        for (const landlock::PortRange& p : ranges)
            out += std::string("allow ") + what + " tcp " + std::to_string(p.first) +
                   (p.last != p.first ? "-" + std::to_string(p.last) : "") + "\n";
    };
    ports("connect", plan.tcp_connect);
    ports("bind", plan.tcp_bind);
    for (const net::HostRule& h : plan.peers.hosts) out += "allow connect tcp " + net::to_string(h) + " (supervisor)\n";
    if (plan.peers.loopback) out += "allow loopback (supervisor)\n";
    for (const std::string& path : plan.peers.unix_connect) out += "allow unix connect " + path + " (supervisor)\n";
    for (const std::string& s : r.resolved) out += "resolved: " + s + "\n";
    out += limits::describe(plan.limits, r.limits);
    for (const std::string& s : r.skipped) out += "skipped: " + s + "\n";
    for (const std::string& w : r.weaker) out += "weaker than the profile: " + w + "\n";
    return out;
}

void sandbox_self(const landlock::Plan& plan, const SandboxOptions& options) {
    // Without no_new_privs, an unprivileged process may not restrict itself, and a setuid
    // program it executes would run with more rights than the sandbox meant.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw SandboxError("Failed to restrict privileges: " + errno_text(errno), kHintFilesystem);

    const int abi = landlock::probe_abi();
    if (abi <= 0)
        throw SandboxError("Landlock is not supported by the running kernel, so nothing would confine the command",
                           "Hint: Landlock needs Linux 5.13 or newer with \"landlock\" in the lsm= boot parameter; "
                           "nono never runs a command unconfined.");
    // The caller has listed what is weaker; here only the refusal is checked again.
    std::vector<std::string> weaker = weaker_on(plan, abi);
    limits::Enforcement enforcement = options.limits;
    enforcement.root = getuid() == 0;
    for (std::string& w : limits::weaker_than_written(plan.limits, enforcement)) weaker.push_back(std::move(w));
    if (!weaker.empty() && !options.allow_weaker)
        throw SandboxError("On this kernel (Landlock ABI " + std::to_string(abi) + ") the sandbox would be weaker than the profile: " +
                               weaker.front() + (weaker.size() > 1 ? " and " + std::to_string(weaker.size() - 1) + " more" : ""),
                           "Hint: run on a newer kernel (or, for a limit, where the run can have a cgroup), or pass "
                           "--allow-weaker to run with what this machine enforces.");

    landlock::RulesetAttr attr{fs_handled_on(plan, abi), net_handled_on(plan, abi), scoped_on(plan, abi)};
    // The kernel accepts a larger struct than it knows when the fields it lacks are zero.
    UniqueFd ruleset(landlock::create_ruleset(&attr, sizeof attr, 0));
    if (ruleset.fd < 0)
        throw SandboxError("Failed to create a ruleset: " + errno_text(errno), kHintFilesystem);

    std::vector<std::string> skipped, resolved;
    const auto& binds = options.read_only_binds;
    PathFacts own_facts;
    PathFacts& facts = options.path_facts ? *options.path_facts : own_facts;
    for_each_rule(plan, attr.handled_access_fs, binds, facts, skipped, resolved, [&](const std::string& path, int fd, Access access, bool) {
        landlock::PathBeneathAttr rule{access, fd};
        if (landlock::add_rule(ruleset.fd, landlock::kRulePathBeneath, &rule, 0) != 0)
            throw SandboxError("Failed to update the ruleset with \"" + path + "\": " + errno_text(errno), kHintFilesystem);
    });
    if (attr.handled_access_net) {
        auto add_ports = [&](const std::vector<landlock::PortRange>& ranges, Access access) {
            for_each_port(ranges, [&](std::uint32_t port) {
                landlock::NetPortAttr rule{access, port};
                if (landlock::add_rule(ruleset.fd, landlock::kRuleNetPort, &rule, 0) != 0)
                    throw SandboxError("Failed to update the ruleset with TCP port " + std::to_string(port) + ": " +
                                           errno_text(errno),
                                       kHintKernel);
            });
        };
        add_ports(plan.tcp_connect, landlock::kAccessNetConnectTcp);
        add_ports(plan.tcp_bind, landlock::kAccessNetBindTcp);
    }
    if (landlock::restrict_self(ruleset.fd, 0) != 0)
        throw SandboxError("Failed to enforce the ruleset: " + errno_text(errno), kHintFilesystem);

    // Before the profile's filter, which may refuse seccomp(), and before the channel is
    // closed with the other inherited descriptors.
    if (options.mediation_channel >= 0 && options.mediated.any())
        hand_over_listener(options.mediation_channel, options.mediated);
    // Before seccomp, whose filter may not allow close_range: an open descriptor to a
    // denied file would bypass every path rule.
    close_inherited_fds(options.keep_fds);
    // After the rules, whose descriptors an open-files limit must not cut short; before
    // seccomp, whose filter may not allow setrlimit.
    limits::apply_rlimits(plan.limits);
    // Before seccomp too, whose filter may refuse capset and prctl.
    drop_capabilities();
    install_seccomp(options.seccomp_filter);
}

void run_sandboxed(const landlock::Plan& plan, const SandboxOptions& options, const PreparedCommand& command) {
    try {
        sandbox_self(plan, options);
    } catch (const SandboxError& e) {
        std::fprintf(stderr, "nono: %s\n", e.what());
        std::fprintf(stderr, "%s\n", e.hint.c_str());
        _exit(kExitSandboxFailed);
    }
    command.exec();
}

}  // namespace nono::runtime
