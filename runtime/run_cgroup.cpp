// Runtime: the run's own cgroup (see run_cgroup.hpp).
#include "runtime/run_cgroup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <utility>

#include "runtime/left_behind.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/text_file.hpp"

namespace nono::run_cgroup {

namespace {

using runtime::read_text;

bool lists_word(std::string_view text, std::string_view word) {
    std::istringstream in{std::string(text)};
    for (std::string w; in >> w;)
        if (w == word) return true;
    return false;
}

// A mountinfo field with its octal escapes (`\040` for a space) decoded.
std::string unescape(std::string_view field) {
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            const std::string digits(field.substr(i + 1, 3));
            if (digits.find_first_not_of("01234567") == std::string::npos) {
                out += static_cast<char>(std::stoi(digits, nullptr, 8));
                i += 3;
                continue;
            }
        }
        out += field[i];
    }
    return out;
}

bool write_text(int dir, const char* file, const std::string& text) {
    const int fd = openat(dir, file, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    return written;
}

// Waits (at most a few seconds) until no process is left in the cgroup open as `dir`.
void wait_until_empty(int dir) {
    const int events = openat(dir, "cgroup.events", O_RDONLY | O_CLOEXEC);
    if (events < 0) return;
    for (int round = 0; round < 50; ++round) {
        char text[256];
        const ssize_t n = pread(events, text, sizeof text - 1, 0);
        if (n <= 0) break;
        text[n] = '\0';
        if (std::strstr(text, "populated 0")) break;
        pollfd changed{events, POLLPRI, 0};
        poll(&changed, 1, 100);  // the kernel signals a change of "populated" as POLLPRI
    }
    close(events);
}

// Kills what is in the cgroup open as `dir` (named `name` in `parent`), then removes it.
void kill_and_remove(int parent, const char* name, int dir) {
    write_text(dir, "cgroup.kill", "1");
    wait_until_empty(dir);
    unlinkat(parent, name, AT_REMOVEDIR);
}

// Removes the run cgroups in `parent` that killed runs left (left_behind.hpp), with
// whatever processes are still in them.
void remove_abandoned(int parent) {
    DIR* listing = fdopendir(dup(parent));
    if (!listing) return;
    while (const dirent* entry = readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (!name.starts_with("nono-") || name.find_first_not_of("0123456789", 5) != std::string_view::npos) continue;
        const int dir = openat(parent, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir < 0) continue;
        if (runtime::left_by_a_gone_run(dir)) kill_and_remove(parent, entry->d_name, dir);
        close(dir);
    }
    closedir(listing);
}

}  // namespace

std::optional<std::string> cgroup2_mount(std::string_view mountinfo) {
    std::istringstream lines{std::string(mountinfo)};
    for (std::string line; std::getline(lines, line);) {
        // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS…] - FSTYPE SOURCE SUPER"
        std::istringstream fields(line);
        std::string id, parent, device, root, point, field;
        fields >> id >> parent >> device >> root >> point;
        while (fields >> field && field != "-") {
        }
        std::string type;
        fields >> type;
        if (type == "cgroup2" && root == "/") return unescape(point);
    }
    return std::nullopt;
}

std::optional<std::string> unified_cgroup(std::string_view text) {
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = text.substr(0, end);
        if (line.rfind("0::", 0) == 0) return std::string(line.substr(3));
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return std::nullopt;
}

Place find_place(std::string_view proc_self_cgroup, std::string_view mountinfo) {
    const std::optional<std::string> mount = cgroup2_mount(mountinfo);
    const std::optional<std::string> own = unified_cgroup(proc_self_cgroup);
    if (!mount || !own) return {{}, "no cgroup v2 hierarchy here (cgroup v1 only)"};
    const std::string relative = *own == "/" ? std::string() : own->substr(0, own->rfind('/'));
    Place place{*mount + relative, {}};
    if (access(place.parent.c_str(), W_OK) != 0 || access((place.parent + "/cgroup.procs").c_str(), W_OK) != 0)
        return {{}, place.parent + " is not delegated to this user (not writable)"};
    const std::string controllers = read_text(place.parent + "/cgroup.subtree_control");
    place.memory = lists_word(controllers, "memory");
    place.pids = lists_word(controllers, "pids");
    return place;
}

limits::Enforcement enforcement_at(const Place& place) {
    limits::Enforcement e;
    e.cgroup = place.parent;
    e.no_cgroup = place.reason;
    e.memory = place.memory;
    e.pids = place.pids;
    e.root = getuid() == 0;
    return e;
}

Place probe_place() { return find_place(read_text("/proc/self/cgroup"), read_text("/proc/self/mountinfo")); }

RunCgroup::RunCgroup(const Place& place, const limits::Limits& limits) {
    const int parent = open(place.parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    auto fail = [&](const std::string& what) {
        const std::string reason = what + ": " + std::strerror(errno);
        if (parent >= 0) close(parent);
        release();
        throw runtime::SandboxError(reason, "Hint: the cgroup " + place.parent + " changed under nono; run again.");
    };
    if (parent < 0) fail("Failed to open the cgroup " + place.parent);
    remove_abandoned(parent);
    // Named after its nono: `nono-PID`, which tells the user whose it is.
    const std::string name = "nono-" + std::to_string(getpid());
    path_ = place.parent + "/" + name;
    if (mkdirat(parent, name.c_str(), 0755) != 0) {
        path_.clear();
        fail("Failed to make the run's cgroup " + place.parent + "/" + name);
    }
    dir_ = openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir_ < 0 || flock(dir_, LOCK_EX) != 0) fail("Failed to open the run's cgroup " + path_);
    if (faccessat(dir_, "cgroup.kill", F_OK, 0) != 0) fail("This kernel has no cgroup.kill (Linux 5.14)");
    using limits::Kind;
    // The memory the run's processes hold together, swap included: a limit that swap
    // could stretch would not be the amount written.
    if (const auto& memory = limits[Kind::Memory]; memory && place.memory) {
        if (!write_text(dir_, "memory.max", std::to_string(*memory))) fail("Failed to set memory.max in " + path_);
        if (faccessat(dir_, "memory.swap.max", F_OK, 0) == 0 && !write_text(dir_, "memory.swap.max", "0"))
            fail("Failed to set memory.swap.max in " + path_);
    }
    if (const auto& processes = limits[Kind::Processes]; processes && place.pids)
        if (!write_text(dir_, "pids.max", std::to_string(*processes))) fail("Failed to set pids.max in " + path_);
    procs_ = openat(dir_, "cgroup.procs", O_WRONLY | O_CLOEXEC);
    if (procs_ < 0) fail("Failed to open " + path_ + "/cgroup.procs");
    close(parent);
}

RunCgroup::RunCgroup(RunCgroup&& other) noexcept
    : path_(std::exchange(other.path_, {})), dir_(std::exchange(other.dir_, -1)), procs_(std::exchange(other.procs_, -1)) {}

RunCgroup& RunCgroup::operator=(RunCgroup&& other) noexcept {
    if (this != &other) {
        release();
        path_ = std::exchange(other.path_, {});
        dir_ = std::exchange(other.dir_, -1);
        procs_ = std::exchange(other.procs_, -1);
    }
    return *this;
}

RunCgroup::~RunCgroup() { release(); }

void RunCgroup::release() {
    if (procs_ >= 0) close(procs_);
    procs_ = -1;
    if (dir_ >= 0 && !path_.empty()) {
        const std::string parent = path_.substr(0, path_.rfind('/'));
        const int parent_fd = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (parent_fd >= 0) {
            kill_and_remove(parent_fd, path_.c_str() + parent.size() + 1, dir_);
            close(parent_fd);
        }
    }
    if (dir_ >= 0) close(dir_);
    dir_ = -1;
    path_.clear();
}

void join(int procs_fd) {
    if (procs_fd < 0) return;
    if (write(procs_fd, "0", 1) != 1)
        throw runtime::SandboxError(std::string("Failed to join the run's cgroup: ") + std::strerror(errno),
                                    "Hint: the cgroup was removed or its delegation changed; run again.");
    close(procs_fd);
}

}  // namespace nono::run_cgroup
