// Runtime: the namespace mode (see namespaces.hpp): plan the view, clone into the
// namespaces, lay the view out with the new mount API.
#include "runtime/namespaces.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <optional>

#include "runtime/git_config.hpp"
#include "runtime/protected_files.hpp"
#include "runtime/sandbox.hpp"

namespace nono::runtime {

namespace {

// How far the search for git repositories goes below each write grant: a repository's
// `.git` up to this many directories down, and no more directories listed per run than
// the budget, so that a write grant on a whole home directory costs milliseconds, not a walk.
constexpr int kGitSearchDepth = 3;
constexpr int kGitSearchBudget = 512;

constexpr const char* kHint = "Hint: nono sets up the namespaces before anything runs; nothing was run.";

std::string errno_text() { return std::strerror(errno); }

bool at_or_below(const std::string& path, const std::string& dir) {
    return path.compare(0, dir.size(), dir) == 0 && (path.size() == dir.size() || dir == "/" || path[dir.size()] == '/');
}

bool is_directory(const std::string& path) {
    struct stat st;
    return lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool is_file_or_directory(const std::string& path) {
    struct stat st;
    return lstat(path.c_str(), &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
}

// A directory or a regular file: what a bind may be put on.
bool file_or_directory(const PathFact& fact) { return fact.directory() || (fact.exists() && S_ISREG(fact.mode)); }

// Whether `path` is a directory or a regular file that no symlink leads to: one that a
// bind may be put on.
bool bindable(const std::string& path, PathFacts& facts) {
    bool through_symlink = false;
    std::string prefix;
    landlock::for_each_component(path, [&](std::string_view name) {
        prefix += "/";
        prefix += name;
        through_symlink = through_symlink || facts.of(prefix).symlink();
    });
    return !through_symlink && file_or_directory(facts.of(path));
}

// The text of a file of a few pages at most (a git configuration); nothing if unreadable.
std::optional<std::string> small_file(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string text(1 << 16, '\0');
    std::size_t size = 0;
    for (ssize_t n; size < text.size() && (n = read(fd, text.data() + size, text.size() - size)) > 0;) size += n;
    close(fd);
    text.resize(size);
    return text;
}

// ---- The git repositories in the write grants.

class GitSearch {
public:
    // `writable`: the write grants; `home`: the user's, for a `~/` in a configuration.
    GitSearch(std::vector<Bind>& binds, std::vector<std::string>& missing, PathFacts& facts,
              const std::vector<std::string>& writable, std::string home)
        : binds_(binds), missing_(missing), facts_(facts), writable_(writable), home_(std::move(home)) {}

    // Every `.git` up to kGitSearchDepth directories below `top`, the shallower first: a deep
    // tree (node_modules, a build directory) spends the budget only after what lies above it.
    void search(const std::string& top) {
        std::deque<std::pair<std::string, int>> pending{{top, 0}};  // a directory and its depth
        while (!pending.empty() && budget_ > 0) {
            const auto [dir, depth] = std::move(pending.front());
            pending.pop_front();
            --budget_;
            DIR* listing = opendir(dir.c_str());
            if (!listing) continue;
            while (const dirent* d = readdir(listing)) {
                const std::string_view name = d->d_name;
                if (name == "." || name == ".." || d->d_type == DT_LNK) continue;
                const std::string path = landlock::child_path(dir, name);
                if (name == ".git") repository(path);
                else if (depth < kGitSearchDepth && (d->d_type == DT_DIR || (d->d_type == DT_UNKNOWN && is_directory(path))))
                    pending.emplace_back(path, depth + 1);
            }
            closedir(listing);
        }
    }

    int found() const { return found_; }
    bool exhausted() const { return budget_ == 0; }

private:
    // A work tree's `.git`: its git directory, or a file naming one elsewhere (a
    // submodule's, a linked worktree's), which is bound read-only itself so that it
    // cannot be pointed at a directory the sandbox made.
    void repository(const std::string& dot_git) {
        ++found_;
        if (is_directory(dot_git)) git_directory(dot_git);
        else if (is_file_or_directory(dot_git)) binds_.push_back({dot_git, Bind::kReadOnly, "git repository", {}});
    }

    // A git directory pinned in place, its hooks and configuration read-only (what of them is
    // missing, checked when the run ends; config.worktree is read only where the bound config
    // says so); then those of its submodules (modules/NAME, nested as deep as they go) and
    // linked worktrees.
    void git_directory(const std::string& dir) {
        binds_.push_back({dir, Bind::kPinned, "git directory", {}});
        for (const char* name : {"hooks", "config", "commondir", "config.worktree"}) {
            const std::string path = dir + "/" + name;
            if (is_file_or_directory(path)) binds_.push_back({path, Bind::kReadOnly, "git repository", {}});
            else if (std::string_view(name) != "config.worktree") missing_.push_back(path);
        }
        for (const char* name : {"config", "config.worktree"}) named_in_configuration(dir, dir + "/" + name);
        for_each_subdirectory(dir + "/modules", [&](const std::string& module) { git_directory(module); });
        for_each_subdirectory(dir + "/worktrees", [&](const std::string& worktree) {
            for (const char* name : {"commondir", "config.worktree"}) {
                const std::string path = worktree + "/" + name;
                if (is_file_or_directory(path)) binds_.push_back({path, Bind::kReadOnly, "git repository", {}});
            }
        });
    }

    // What a configuration names outside the git directory (git_config.hpp): bound where it
    // lies below a write grant and is there, reached through no symlink. A hooks path is
    // relative to the work tree, known here for a `.git` directory only.
    void named_in_configuration(const std::string& git_dir, const std::string& config) {
        const std::optional<std::string> text = small_file(config);
        if (!text) return;
        const std::string work_tree = git_dir.ends_with("/.git") ? git_dir.substr(0, git_dir.size() - 5) : "";
        for (const GitConfigPath& named : git_config_paths(*text, git_dir, work_tree, home_)) {
            const bool below_a_grant = std::any_of(writable_.begin(), writable_.end(), [&](const std::string& w) {
                return named.path != w && at_or_below(named.path, w);
            });
            if (below_a_grant && bindable(named.path, facts_))
                binds_.push_back({named.path, Bind::kReadOnly, named.what, {}});
        }
    }

    template <class F>
    void for_each_subdirectory(const std::string& dir, F f) {
        DIR* listing = opendir(dir.c_str());
        if (!listing) return;
        std::vector<std::string> found;
        while (const dirent* d = readdir(listing)) {
            const std::string path = dir + "/" + d->d_name;
            if (d->d_name[0] != '.' && is_directory(path)) found.push_back(path);
        }
        closedir(listing);
        for (const std::string& path : found) f(path);
    }

    std::vector<Bind>& binds_;
    std::vector<std::string>& missing_;
    PathFacts& facts_;
    const std::vector<std::string>& writable_;
    const std::string home_;
    int budget_ = kGitSearchBudget;
    int found_ = 0;
};

// ---- Laying the view out.

void write_file(const char* path, const std::string& text) {
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    const bool written = fd >= 0 && write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int err = errno;
    if (fd >= 0) close(fd);
    errno = err;
    if (!written) throw SandboxError(std::string("Failed to write \"") + path + "\": " + errno_text(), kHint);
}

// The object at `path`, reached through no symlink: the plan's paths name files already, so
// a symlink found now was put there since (by a run in a writable place) to aim a bind elsewhere.
UniqueFd open_path(const std::string& path) {
    UniqueFd at(open_layout_path(path, O_PATH));
    if (at.fd < 0) throw SandboxError("Failed to open \"" + path + "\" to bind it: " + errno_text(), kHint);
    return at;
}

// A detached copy of the mounts at and below `path`, as they are now.
UniqueFd clone_tree(const std::string& path) {
    UniqueFd tree(open_tree(open_path(path).fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH));
    if (tree.fd < 0) throw SandboxError("Failed to bind \"" + path + "\": " + errno_text(), kHint);
    return tree;
}

void make_read_only(int dfd, const char* path, unsigned flags, const std::string& what) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(dfd, path, flags | AT_RECURSIVE, &attr, sizeof attr) != 0)
        throw SandboxError("Failed to make \"" + what + "\" read-only: " + errno_text(), kHint);
}

// When /tmp shows the private directory, its own path (TMPDIR, TMP and TEMP name it so)
// leads into it, and there it names the directory again: a symlink, a name of which the
// sandbox may change only its own TMPDIR.
void name_private_tmp_again(const std::string& private_tmp) {
    std::vector<std::string> names;
    landlock::for_each_component(std::string_view(private_tmp).substr(4),
                                 [&](std::string_view name) { names.emplace_back(name); });
    std::string made = "/tmp", up = ".";
    for (std::size_t i = 0; i + 1 < names.size(); ++i) {
        made += "/" + names[i];
        up = i == 0 ? ".." : up + "/..";
        if (mkdir(made.c_str(), S_IRWXU) != 0 && errno != EEXIST)
            throw SandboxError("Failed to create \"" + made + "\" in the private /tmp: " + errno_text(), kHint);
    }
    made += "/" + names.back();
    if (symlink(up.c_str(), made.c_str()) != 0)
        throw SandboxError("Failed to create \"" + made + "\" in the private /tmp: " + errno_text(), kHint);
}

void attach(const UniqueFd& tree, const std::string& path) {
    if (move_mount(tree.fd, "", open_path(path).fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
        throw SandboxError("Failed to bind \"" + path + "\": " + errno_text(), kHint);
}

// The covers of hidden paths: an empty directory and an empty file, mode 0, on a small file
// system of their own that is never attached, so that nothing in the sandbox reaches them
// by another name to fill them.
class Covers {
public:
    Covers() : root_(mount_root()) {
        if (mkdirat(root_.fd, "directory", 0) != 0) fail("directory");
        const UniqueFd file(openat(root_.fd, "file", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0));
        if (file.fd < 0) fail("file");
    }

    // A read-only bind of the cover for the object at `path`.
    UniqueFd cover(const std::string& path) const {
        struct stat st;
        if (fstat(open_path(path).fd, &st) != 0) throw SandboxError("Failed to hide \"" + path + "\": " + errno_text(), kHint);
        UniqueFd tree(open_tree(root_.fd, S_ISDIR(st.st_mode) ? "directory" : "file", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
        if (tree.fd < 0) throw SandboxError("Failed to hide \"" + path + "\": " + errno_text(), kHint);
        make_read_only(tree.fd, "", AT_EMPTY_PATH, path);
        return tree;
    }

private:
    static UniqueFd mount_root() {
        const UniqueFd fs(fsopen("tmpfs", FSOPEN_CLOEXEC));
        if (fs.fd < 0 || fsconfig(fs.fd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) fail("file system");
        UniqueFd root(fsmount(fs.fd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
        if (root.fd < 0) fail("file system");
        return root;
    }
    [[noreturn]] static void fail(const std::string& what) {
        throw SandboxError("Failed to make the covers' " + what + ": " + errno_text(), kHint);
    }

    UniqueFd root_;
};

}  // namespace

int probe_namespaces() {
    // A child that only exits: whatever refuses namespaces (a seccomp filter, a sysctl, an
    // LSM) refuses this clone the same way.
    const pid_t child = static_cast<pid_t>(syscall(SYS_clone, kNamespaceFlags | SIGCHLD, nullptr, nullptr, nullptr, 0));
    if (child < 0) return errno;
    if (child == 0) _exit(0);
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return 0;
}

NamespacePlan plan_namespaces(const landlock::Plan& plan, const std::string& private_tmp, PathFacts& facts) {
    NamespacePlan out;
    out.uid = geteuid();
    out.gid = getegid();
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) throw SandboxError("Failed to get the working directory: " + errno_text(), kHint);
    out.cwd = cwd;
    const std::vector<landlock::PathEntry> files = files_named(plan, facts);
    auto inside = [](const std::string& path, const std::vector<std::string>& places) {
        return std::any_of(places.begin(), places.end(), [&](const std::string& p) { return at_or_below(path, p); });
    };
    // A write grant on a file or directory that exists: what a read-write bind is put on.
    auto grants_write = [&](const landlock::PathEntry& e) {
        return ((e.allow & ~e.deny) & kRefusedByReadOnlyMount) && file_or_directory(facts.of(e.path));
    };
    // Write grants, but the paths an outer grant's bind already carries (`files` are in path
    // order: the grants above a path come before it).
    std::vector<std::string> writable;
    for (const landlock::PathEntry& e : files)
        if (!inside(e.path, writable) && grants_write(e)) writable.push_back(e.path);
    for (const std::string& w : writable) {
        if (w == "/") out.root_writable = true;
        else out.binds.push_back({w, Bind::kWritable, "write grant", {}});
    }
    // Inside a write grant, a file or directory that exists is bound read-only where the
    // profile denies every right a read-only mount refuses (a path that does not exist yet
    // stays a Landlock carve-out) or protects it (the supervisor checks the rest when the
    // run ends: protected_files.hpp).
    auto bind_read_only = [&](const std::string& path, const char* why) {
        if (inside(path, writable) && std::find(writable.begin(), writable.end(), path) == writable.end() &&
            file_or_directory(facts.of(path)))
            out.binds.push_back({path, Bind::kReadOnly, why, {}});
    };
    for (const landlock::PathEntry& e : files)
        if ((e.deny & kRefusedByReadOnlyMount) == kRefusedByReadOnlyMount) bind_read_only(e.path, "deny write");
    for (const std::string& p : protected_names(plan.protect)) bind_read_only(p, "protect");
    // A write grant whose nearest bind above it is one of those (`allow write ~/.cache/box/
    // mine/` under `deny write ~/.cache/box` under a workspace at HOME) is bound read-write
    // again, on top: the binds are made in the order of their paths. In path order, so that a
    // grant below one bound again needs none of its own.
    for (const landlock::PathEntry& e : files) {
        const Bind* nearest = nullptr;
        for (const Bind& b : out.binds)
            if (at_or_below(e.path, b.path) && e.path != b.path && (!nearest || b.path.size() > nearest->path.size())) nearest = &b;
        if (nearest && nearest->kind == Bind::kReadOnly && grants_write(e)) {
            writable.push_back(e.path);
            out.binds.push_back({e.path, Bind::kWritable, "write grant below a read-only bind", {}});
        }
    }
    // Hidden: what the profile denies every right on, outside the write grants (where a
    // mount point could not be removed or renamed), with nothing allowed below it and not on
    // the way to the working directory; not in /proc, which the view mounts anew. A spelling
    // through a symlink (a deny is kept under every name) is covered under the file's own.
    for (const landlock::PathEntry& e : files) {
        const auto allows_below = [&](const landlock::PathEntry& f) { return (f.allow & ~f.deny) && at_or_below(f.path, e.path); };
        if ((e.deny & landlock::kAllFsRights) == landlock::kAllFsRights && e.path != "/" && !at_or_below(e.path, "/proc") &&
            !inside(e.path, writable) && !at_or_below(out.cwd, e.path) && bindable(e.path, facts) &&
            std::none_of(files.begin(), files.end(), allows_below) &&
            std::none_of(plan.peers.unix_connect.begin(), plan.peers.unix_connect.end(),
                         [&](const std::string& socket) { return at_or_below(socket, e.path); }))
            out.binds.push_back({e.path, Bind::kHidden, "denied: its names, sizes and times not seen either", {}});
    }
    // The private directory at /tmp (over a grant of /tmp itself), and at its own path.
    // Not where the profile grants a path below /tmp or names a unix socket there (the ssh
    // agent's), or the command starts there: shown inside the private directory, it would
    // be below it for Landlock too, and get its rights; a socket would not be found where
    // the profile names it. /tmp then stays the machine's, read-only but for the write grants.
    auto machines_below_tmp = [&](const std::string& path) {
        return at_or_below(path, "/tmp") && path != "/tmp" && !at_or_below(path, private_tmp);
    };
    const bool below_tmp = at_or_below(out.cwd, "/tmp") && !at_or_below(out.cwd, private_tmp);
    const bool private_tmp_at_tmp =
        !below_tmp && std::none_of(files.begin(), files.end(), [&](const landlock::PathEntry& e) { return e.allow && machines_below_tmp(e.path); }) &&
        std::none_of(plan.peers.unix_connect.begin(), plan.peers.unix_connect.end(), machines_below_tmp);
    // The grant the command starts in first, so that a large cache or home directory cannot
    // spend the budget before the workspace is searched. Not below the machine's /tmp where
    // the private directory covers it: what lies there is not in the command's view.
    std::vector<std::string> searched = writable;
    std::stable_partition(searched.begin(), searched.end(), [&](const std::string& w) { return at_or_below(out.cwd, w); });
    const char* home = std::getenv("HOME");
    GitSearch git(out.binds, out.checked_at_end, facts, writable, home ? home : "");
    for (const std::string& w : searched)
        if (w != private_tmp && !(private_tmp_at_tmp && at_or_below(w, "/tmp")) && facts.of(w).directory()) git.search(w);
    out.git_search_stopped = git.exhausted();
    out.git_search = "git repositories searched " + std::to_string(kGitSearchDepth) +
                     " directories deep below each write grant: " + std::to_string(git.found()) + " found" +
                     (git.exhausted() ? ", stopped after " + std::to_string(kGitSearchBudget) + " directories" : "");
    if (private_tmp_at_tmp) {
        // The cover carries what lies in the directory; at its own path, it is a symlink.
        std::erase_if(out.binds, [&](const Bind& b) { return at_or_below(b.path, "/tmp"); });
        out.private_tmp = private_tmp;
        facts.forget_below("/tmp");  // the command's view shows another directory there
        out.binds.push_back({"/tmp", Bind::kWritable, "the run's private directory", private_tmp});
    } else if (!inside(private_tmp, writable)) {
        out.binds.push_back({private_tmp, Bind::kWritable, "the run's private directory", {}});
    }
    // A deny inside a pinned directory and the same path found by the search: one bind.
    std::stable_sort(out.binds.begin(), out.binds.end(), [](const Bind& a, const Bind& b) { return a.path < b.path; });
    auto same = [](const Bind& a, const Bind& b) { return a.path == b.path && a.kind == b.kind && a.from == b.from; };
    out.binds.erase(std::unique(out.binds.begin(), out.binds.end(), same), out.binds.end());
    return out;
}

std::vector<std::string> read_only_binds(const NamespacePlan& plan) {
    std::vector<std::string> out;
    for (const Bind& b : plan.binds)
        if (b.kind == Bind::kReadOnly) out.push_back(b.path);
    return out;
}

void enter_namespaces(const NamespacePlan& plan) {
    // Unprivileged, a process may map only its own ids, and its gid only once setgroups is
    // refused. Its /proc files are its own only while it is dumpable, which nono is not
    // (and this process, nono's copy, neither): dumpable for as long as it writes them,
    // before any process of the sandbox exists.
    if (prctl(PR_SET_DUMPABLE, 1) != 0) throw SandboxError("Failed to become dumpable: " + errno_text(), kHint);
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", std::to_string(plan.uid) + " " + std::to_string(plan.uid) + " 1");
    write_file("/proc/self/gid_map", std::to_string(plan.gid) + " " + std::to_string(plan.gid) + " 1");
    if (prctl(PR_SET_DUMPABLE, 0) != 0) throw SandboxError("Failed to stop being dumpable: " + errno_text(), kHint);
    // Nothing mounted outside reaches the view later, and nothing here goes out.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        throw SandboxError("Failed to make the mounts private: " + errno_text(), kHint);

    // Copies of what is shown as it was, taken before everything turns read-only.
    std::vector<UniqueFd> copies;
    for (const Bind& b : plan.binds)
        if (b.kind == Bind::kWritable) copies.push_back(clone_tree(b.from.empty() ? b.path : b.from));
    if (!plan.root_writable) make_read_only(AT_FDCWD, "/", 0, "/");
    auto copy = copies.begin();
    std::optional<Covers> covers;  // made for the first path to hide
    for (const Bind& b : plan.binds) {
        if (b.kind == Bind::kWritable) {
            attach(*copy++, b.path);
            continue;
        }
        if (b.kind == Bind::kHidden) {
            if (!covers) covers.emplace();
            attach(covers->cover(b.path), b.path);
            continue;
        }
        const UniqueFd tree = clone_tree(b.path);
        if (b.kind == Bind::kReadOnly) make_read_only(tree.fd, "", AT_EMPTY_PATH, b.path);
        attach(tree, b.path);
    }
    if (!plan.private_tmp.empty() && at_or_below(plan.private_tmp, "/tmp")) name_private_tmp_again(plan.private_tmp);
    // This process is the pid namespace's init: the new proc shows its processes only.
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        throw SandboxError("Failed to mount /proc for the pid namespace: " + errno_text(), kHint);
    if (chdir(plan.cwd.c_str()) != 0)
        throw SandboxError("Failed to enter the working directory \"" + plan.cwd + "\" in the view: " + errno_text(), kHint);
}

std::string describe_namespaces(const NamespacePlan* plan, const std::string& why_none) {
    if (!plan) return "namespaces: none (" + why_none + "); Landlock and the seccomp filter alone\n";
    std::string out = "namespaces: user (uid " + std::to_string(plan->uid) + ", gid " + std::to_string(plan->gid) +
                      " mapped to themselves), mount, pid, ipc, uts\n";
    out += plan->root_writable ? "  /: read-write (a write grant)\n" : "  /: read-only but for the binds below\n";
    out += "  /proc: a new proc of the pid namespace\n";
    if (plan->private_tmp.empty())
        out += "  /tmp: the machine's (the profile grants a path below it, or the command starts there)\n";
    for (const Bind& b : plan->binds) {
        out += std::string("  ") +
               (b.kind == Bind::kWritable ? "read-write: "
                : b.kind == Bind::kPinned ? "kept in place: "
                : b.kind == Bind::kHidden ? "hidden: "
                                          : "read-only: ") +
               b.path + (b.from.empty() ? "" : " = " + b.from) + " (" + b.why + ")\n";
    }
    for (const std::string& path : plan->checked_at_end)
        out += "  checked when the run ends: " + path + " (git repository: missing at start)\n";
    out += "  " + plan->git_search + "\n";
    return out;
}

std::vector<std::string> weaker_without_namespaces() {
    return {"without a user namespace, .git/hooks and .git/config in write grants stay writable unless the profile "
            "protects them (protect-git: checked when the run ends, and moved aside if the run made or changed them), "
            "and so do the hooks path and the files .git/config includes",
            "without a user namespace, the names, sizes and times of denied paths can be looked up (stat, readlink, "
            "getxattr, inotify): Landlock refuses opening them, not looking them up"};
}

}  // namespace nono::runtime
