// Runtime: the metadata part of the one mediation (see mediate_metadata.hpp): read the
// call, open its object, decide on what was opened, perform it there.
#include "runtime/mediate_metadata.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/btrfs.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

#include "runtime/namespaces.hpp"

namespace nono::runtime {

namespace {

// Newer than the C library's headers; one number on x86_64 and aarch64 alike.
constexpr long kFchmodat2 = 452;
constexpr long kSetxattrat = 463;
constexpr long kRemovexattrat = 466;
constexpr long kFileSetattr = 469;
constexpr unsigned kPidfdThread = O_EXCL;  // PIDFD_THREAD (Linux 6.9): the thread itself
constexpr std::size_t kXattrNameMax = 255;
constexpr std::size_t kXattrSizeMax = 65536;
constexpr std::size_t kXattrArgsSize = 16;  // struct xattr_args: value, size, flags
constexpr std::size_t kFileAttrSize = 24;   // struct file_attr, its first version
// ext4's own name for FS_IOC_SETVERSION, which it also answers.
constexpr std::uint32_t kExt4SetVersion = _IOW('f', 4, long);

// The ioctls that change an inode and that the supervisor performs, with the size of what
// their argument points to (as the kernel reads it: an int for the flags and the version,
// whatever the command's number says); and those it refuses whatever the object, whose
// arguments point further into the command's memory.
std::size_t ioctl_argument_size(std::uint32_t command) {
    switch (command) {
        case FS_IOC_FSSETXATTR: return sizeof(fsxattr);
        case BTRFS_IOC_SUBVOL_SETFLAGS: return sizeof(std::uint64_t);
        default: return sizeof(int);
    }
}
constexpr std::uint32_t kRefusedIoctls[] = {
    FS_IOC_ENABLE_VERITY,          // the file read-only for good, where the file system has verity
    FS_IOC_SET_ENCRYPTION_POLICY,  // an empty directory encrypted with a key the user may not hold
};

std::uint32_t low(std::uint64_t arg) { return static_cast<std::uint32_t>(arg); }
int as_fd(std::uint64_t arg) { return static_cast<int>(low(arg)); }

// ---- The command's memory, read once.

// A NUL-terminated string of at most `max` bytes, read a page at a time (the next page may
// be unmapped): nullopt when unreadable, `too_long` set when no NUL came within `max`.
std::optional<std::string> read_string(pid_t tid, std::uint64_t address, std::size_t max, bool& too_long) {
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::string out;
    too_long = false;
    while (out.size() <= max) {
        char chunk[4096];
        const std::size_t to_page_end = page - (address % page);
        const std::size_t n = std::min({to_page_end, sizeof chunk, max + 1 - out.size()});
        if (!read_command_memory(tid, address, chunk, n)) return std::nullopt;
        if (const void* nul = std::memchr(chunk, '\0', n)) {
            out.append(chunk, static_cast<const char*>(nul) - chunk);
            return out;
        }
        out.append(chunk, n);
        address += n;
    }
    too_long = true;
    return out;
}

// ---- The call.

// What a call changes.
enum class Change { Mode, Owner, Times, SetXattr, RemoveXattr, FileAttr, Ioctl };

// One metadata call as the command made it, its memory copied.
struct Call {
    const char* name = "";
    Change change = Change::Mode;
    int fd = AT_FDCWD;                 // the descriptor a path starts from, or the call's object
    std::optional<std::string> path;   // nullopt: the object is `fd` itself
    bool follow = true;                // a last symlink is followed
    bool empty_path = false;           // AT_EMPTY_PATH: "" names `fd` itself
    bool on_description = false;       // fchmod, fchown, f*xattr, ioctl, futimens: not an O_PATH descriptor
    std::uint64_t first = 0, second = 0;  // mode; uid and gid; xattr flags; ioctl command
    std::string name_copy;             // the xattr's name
    std::string data;                  // the xattr's value, the times, struct file_attr, the ioctl's argument
    bool times_now = false;            // utime*(…, NULL): both to now
    int error = 0;                     // what reading the call found wrong: the kernel's errno for it
};

// The path argument at `address`, or the errno the kernel gives for it.
void read_path(pid_t tid, std::uint64_t address, Call& c) {
    bool too_long = false;
    auto path = read_string(tid, address, PATH_MAX - 1, too_long);
    if (!path) c.error = EFAULT;
    else if (too_long) c.error = ENAMETOOLONG;
    else c.path = std::move(*path);
}

void read_xattr_name(pid_t tid, std::uint64_t address, Call& c) {
    bool too_long = false;
    auto name = read_string(tid, address, kXattrNameMax, too_long);
    if (!name) c.error = EFAULT;
    else if (too_long || name->empty()) c.error = ERANGE;
    else c.name_copy = std::move(*name);
}

void read_xattr_value(pid_t tid, std::uint64_t address, std::uint64_t size, std::uint64_t flags, Call& c) {
    if (size > kXattrSizeMax) {
        c.error = E2BIG;
        return;
    }
    c.data.resize(size);
    if (!read_command_memory(tid, address, c.data.data(), size)) c.error = EFAULT;
    c.first = flags;
}

// The two times at `address` in the command's memory, as `Time` (utimbuf, timeval, timespec),
// copied as timespecs; a null address: both to now.
template <typename Time>
void read_times(pid_t tid, std::uint64_t address, Call& c) {
    if (address == 0) {
        c.times_now = true;
        return;
    }
    std::array<timespec, 2> times{};
    if constexpr (std::is_same_v<Time, utimbuf>) {
        utimbuf u{};
        if (!read_command_memory(tid, address, &u, sizeof u)) c.error = EFAULT;
        times = {timespec{u.actime, 0}, timespec{u.modtime, 0}};
    } else if constexpr (std::is_same_v<Time, timeval>) {
        timeval tv[2]{};
        if (!read_command_memory(tid, address, tv, sizeof tv)) c.error = EFAULT;
        for (int i = 0; i < 2; ++i) {
            if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000) c.error = EINVAL;
            times[i] = {tv[i].tv_sec, tv[i].tv_usec * 1000};
        }
    } else {
        if (!read_command_memory(tid, address, times.data(), sizeof times)) c.error = EFAULT;
    }
    c.data.assign(reinterpret_cast<const char*>(times.data()), sizeof times);
}

Call call(const char* name, Change change) {
    Call c;
    c.name = name;
    c.change = change;
    return c;
}

// The object of an *at call: `dirfd` and `path`, with AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH in `flags`.
void read_at(pid_t tid, std::uint64_t dirfd, std::uint64_t path, std::uint64_t flags, Call& c) {
    c.fd = as_fd(dirfd);
    if (low(flags) & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) c.error = EINVAL;
    c.follow = !(low(flags) & AT_SYMLINK_NOFOLLOW);
    c.empty_path = low(flags) & AT_EMPTY_PATH;
    read_path(tid, path, c);
}

// The object of a call on a descriptor.
void read_fd(std::uint64_t fd, Call& c) {
    c.fd = as_fd(fd);
    c.on_description = true;
}

// The object of a call on a path, the last symlink followed or not.
void read_named(pid_t tid, std::uint64_t path, bool follow, Call& c) {
    read_path(tid, path, c);
    c.follow = follow;
}

Call read_call(const seccomp_notif& r) {
    const pid_t tid = static_cast<pid_t>(r.pid);
    const auto& a = r.data.args;
    Call c;
    switch (r.data.nr) {
#ifdef SYS_chmod
        case SYS_chmod: c = call("chmod", Change::Mode); read_named(tid, a[0], true, c); c.first = a[1]; break;
        case SYS_chown: c = call("chown", Change::Owner); read_named(tid, a[0], true, c); c.first = a[1]; c.second = a[2]; break;
        case SYS_lchown: c = call("lchown", Change::Owner); read_named(tid, a[0], false, c); c.first = a[1]; c.second = a[2]; break;
        case SYS_utime: c = call("utime", Change::Times); read_named(tid, a[0], true, c); read_times<utimbuf>(tid, a[1], c); break;
        case SYS_utimes: c = call("utimes", Change::Times); read_named(tid, a[0], true, c); read_times<timeval>(tid, a[1], c); break;
        case SYS_futimesat:  // a null path: the descriptor itself
            c = call("futimesat", Change::Times);
            a[1] ? read_at(tid, a[0], a[1], 0, c) : read_fd(a[0], c);
            read_times<timeval>(tid, a[2], c);
            break;
#endif
        case SYS_fchmod: c = call("fchmod", Change::Mode); read_fd(a[0], c); c.first = a[1]; break;
        case SYS_fchmodat: c = call("fchmodat", Change::Mode); read_at(tid, a[0], a[1], 0, c); c.first = a[2]; break;
        case kFchmodat2: c = call("fchmodat2", Change::Mode); read_at(tid, a[0], a[1], a[3], c); c.first = a[2]; break;
        case SYS_fchown: c = call("fchown", Change::Owner); read_fd(a[0], c); c.first = a[1]; c.second = a[2]; break;
        case SYS_fchownat:
            c = call("fchownat", Change::Owner);
            read_at(tid, a[0], a[1], a[4], c);
            c.first = a[2];
            c.second = a[3];
            break;
        case SYS_utimensat:  // a null path: the descriptor itself (futimens)
            c = call("utimensat", Change::Times);
            if (a[1]) read_at(tid, a[0], a[1], a[3], c);
            else if (as_fd(a[0]) == AT_FDCWD) c.error = EFAULT;
            else read_fd(a[0], c);
            read_times<timespec>(tid, a[2], c);
            break;
        case SYS_setxattr: c = call("setxattr", Change::SetXattr); read_named(tid, a[0], true, c); break;
        case SYS_lsetxattr: c = call("lsetxattr", Change::SetXattr); read_named(tid, a[0], false, c); break;
        case SYS_fsetxattr: c = call("fsetxattr", Change::SetXattr); read_fd(a[0], c); break;
        case SYS_removexattr: c = call("removexattr", Change::RemoveXattr); read_named(tid, a[0], true, c); break;
        case SYS_lremovexattr: c = call("lremovexattr", Change::RemoveXattr); read_named(tid, a[0], false, c); break;
        case SYS_fremovexattr: c = call("fremovexattr", Change::RemoveXattr); read_fd(a[0], c); break;
        case kSetxattrat: {
            c = call("setxattrat", Change::SetXattr);
            read_at(tid, a[0], a[1], a[2], c);
            read_xattr_name(tid, a[3], c);
            struct {
                std::uint64_t value;
                std::uint32_t size, flags;
            } args{};
            if (a[5] < kXattrArgsSize) c.error = EINVAL;
            else if (!read_command_memory(tid, a[4], &args, sizeof args)) c.error = EFAULT;
            else read_xattr_value(tid, args.value, args.size, args.flags, c);
            break;
        }
        case kRemovexattrat:
            c = call("removexattrat", Change::RemoveXattr);
            read_at(tid, a[0], a[1], a[2], c);
            read_xattr_name(tid, a[3], c);
            break;
        case kFileSetattr:
            c = call("file_setattr", Change::FileAttr);
            read_at(tid, a[0], a[1], a[4], c);
            c.data.resize(kFileAttrSize);
            if (a[3] < kFileAttrSize) c.error = EINVAL;
            else if (!read_command_memory(tid, a[2], c.data.data(), kFileAttrSize)) c.error = EFAULT;
            break;
        case SYS_ioctl:
            c = call("ioctl", Change::Ioctl);
            read_fd(a[0], c);
            c.first = low(a[1]);
            c.data.resize(ioctl_argument_size(low(a[1])));
            if (std::find(std::begin(kRefusedIoctls), std::end(kRefusedIoctls), low(a[1])) != std::end(kRefusedIoctls))
                c.error = EPERM;
            else if (!read_command_memory(tid, a[2], c.data.data(), c.data.size()))
                c.error = EFAULT;
            break;
        default: c.error = ENOSYS;
    }
    // The classic xattr calls: (object, name, value, size, flags) and (object, name).
    if (r.data.nr == SYS_setxattr || r.data.nr == SYS_lsetxattr || r.data.nr == SYS_fsetxattr ||
        r.data.nr == SYS_removexattr || r.data.nr == SYS_lremovexattr || r.data.nr == SYS_fremovexattr) {
        read_xattr_name(tid, a[1], c);
        if (c.change == Change::SetXattr) read_xattr_value(tid, a[2], a[3], a[4], c);
    }
    if (c.path && c.path->empty() && !c.empty_path && !c.error) c.error = ENOENT;
    return c;
}

// ---- The object, opened by the supervisor.

// The command's descriptor `fd`, taken from the calling thread (its own table, should it
// have unshared it); -1 and errno on failure.
int take_fd(pid_t tid, int fd) {
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, tid, kPidfdThread));
    if (pidfd < 0 && errno == EINVAL) pidfd = static_cast<int>(syscall(SYS_pidfd_open, tid, 0));  // before Linux 6.9
    if (pidfd < 0) return -1;
    const int taken = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0));
    const int error = errno;
    close(pidfd);
    errno = error;
    return taken;
}

// For as long as it lives, the calling thread acts without its effective capabilities, as
// the command does (nono's uid and groups, every capability cleared): the kernel's
// permission checks on what the supervisor opens and changes are the command's.
class AsTheCommand {
public:
    AsTheCommand() {
        if (syscall(SYS_capget, &header_, saved_) != 0) return;
        if (!saved_[0].effective && !saved_[1].effective) {
            ok_ = true;
            return;
        }
        __user_cap_data_struct none[2] = {saved_[0], saved_[1]};
        none[0].effective = none[1].effective = 0;
        ok_ = cleared_ = syscall(SYS_capset, &header_, none) == 0;
    }
    ~AsTheCommand() {
        if (cleared_) syscall(SYS_capset, &header_, saved_);
    }
    AsTheCommand(const AsTheCommand&) = delete;
    AsTheCommand& operator=(const AsTheCommand&) = delete;
    bool ok() const { return ok_; }

private:
    __user_cap_header_struct header_{_LINUX_CAPABILITY_VERSION_3, 0};  // pid 0: this thread
    __user_cap_data_struct saved_[2]{};
    bool ok_ = false, cleared_ = false;
};

// Where the call starts from in the calling thread: the command's descriptor itself for a
// call on one, else the directory a relative path starts from (its working directory or
// the call's descriptor); AT_FDCWD for an absolute path. -1 and errno on failure.
int starting_point(pid_t tid, const Call& c) {
    if (!c.path) return take_fd(tid, c.fd);
    if (c.path->starts_with("/")) return AT_FDCWD;
    if (c.fd == AT_FDCWD) return open(("/proc/" + std::to_string(tid) + "/cwd").c_str(), O_PATH | O_CLOEXEC);
    return take_fd(tid, c.fd);
}

// What the call names, opened from `start`: the command's description itself, or an O_PATH
// descriptor of where its path leads. `/proc/self` and `/proc/thread-self` are the calling
// thread's, not the supervisor's. -1 and errno on failure.
int open_object(pid_t tid, const Call& c, int start) {
    if (!c.path || c.path->empty()) return fcntl(start, F_DUPFD_CLOEXEC, 0);  // the descriptor; AT_EMPTY_PATH
    std::string path = *c.path;
    for (const std::string_view self : {"/proc/self", "/proc/thread-self"})
        if (path.starts_with(self) && (path.size() == self.size() || path[self.size()] == '/'))
            path = "/proc/" + std::to_string(tid) + path.substr(self.size());
    return openat(start, path.c_str(), O_PATH | O_CLOEXEC | (c.follow ? 0 : O_NOFOLLOW));
}

// Performs the call on `object` with the copied arguments: the call's result, or -errno.
int perform(const Call& c, int object) {
    if (c.on_description && (fcntl(object, F_GETFL) & O_PATH)) return -EBADF;  // as the kernel answers those
    const std::string at = "/proc/self/fd/" + std::to_string(object);  // the object itself, whatever its type
    int result = -1;
    switch (c.change) {
        case Change::Mode: result = chmod(at.c_str(), static_cast<mode_t>(c.first)); break;
        case Change::Owner: result = chown(at.c_str(), low(c.first), low(c.second)); break;
        case Change::Times:
            result = utimensat(AT_FDCWD, at.c_str(), c.times_now ? nullptr : reinterpret_cast<const timespec*>(c.data.data()), 0);
            break;
        case Change::SetXattr:
            result = setxattr(at.c_str(), c.name_copy.c_str(), c.data.data(), c.data.size(), static_cast<int>(low(c.first)));
            break;
        case Change::RemoveXattr: result = removexattr(at.c_str(), c.name_copy.c_str()); break;
        case Change::FileAttr:
            result = static_cast<int>(syscall(kFileSetattr, AT_FDCWD, at.c_str(), c.data.data(), c.data.size(), 0));
            break;
        case Change::Ioctl: result = ioctl(object, static_cast<unsigned long>(c.first), c.data.data()); break;
    }
    return result < 0 ? -errno : result;
}

}  // namespace

int decide_metadata(const ConcreteRuleset& landlock, std::string_view path, bool directory) {
    landlock::Access granted = ~landlock.handled_fs;  // a right Landlock does not handle is allowed
    for (const ConcreteRule& rule : landlock.rules)
        if (landlock::at_or_below(path, rule.path)) granted |= rule.access;
    const landlock::Access needed = directory ? kRefusedByReadOnlyMount : landlock::kAccessFsWriteFile;
    return granted & needed ? 0 : EPERM;
}

std::string unmediated_metadata(const std::string& why) {
    return "without a user namespace, and with no mediation here (" + why +
           "), a file's owner may change its mode, timestamps, user.* xattrs and inode flags outside the write "
           "grants (chmod, utimes, setxattr), and pidfd_open reaches processes outside the run";
}

MetadataMediation::MetadataMediation(const ConcreteRuleset& landlock, std::shared_ptr<Listener> listener)
    : landlock_(landlock), listener_(std::move(listener)) {}

int MetadataMediation::decide(int object, bool by_name, std::string& shown) const {
    struct stat st;
    char link[PATH_MAX];
    const ssize_t n = readlink(("/proc/self/fd/" + std::to_string(object)).c_str(), link, sizeof link);
    if (fstat(object, &st) != 0 || n <= 0 || n == sizeof link) return EPERM;  // nothing to decide on: refused
    shown.assign(link, static_cast<std::size_t>(n));
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return EPERM;  // a device's mode and owner are the machine's
    // A pipe, a socket: no file of the file system, the kernel's to decide when the command
    // holds it. By a name, only through a magic link such as /dev/fd/N, which the supervisor
    // would follow to its own descriptors.
    if (shown.front() != '/') return by_name ? EPERM : 0;
    if (shown.ends_with(" (deleted)")) return st.st_nlink == 0 ? 0 : EPERM;  // no name left, or one elsewhere
    return decide_metadata(landlock_, shown, S_ISDIR(st.st_mode));
}

void MetadataMediation::handle(const seccomp_notif& r) {
    const Call call = read_call(r);
    if (call.error) return listener_->reply(r.id, -call.error);
    const pid_t tid = static_cast<pid_t>(r.pid);
    // Taken with the supervisor's rights, as the network's socket is; walked and changed
    // with the command's.
    const int start_fd = starting_point(tid, call);
    const int start_error = errno;
    const UniqueFd start(start_fd == AT_FDCWD ? -1 : start_fd);
    AsTheCommand as_the_command;
    if (!as_the_command.ok()) return listener_->reply(r.id, -EPERM);
    const UniqueFd object(start_fd == -1 ? -1 : open_object(tid, call, start_fd));
    const int error = start_fd == -1 ? start_error : errno;
    if (!listener_->still_valid(r.id)) return;  // the thread is gone, or its id is another's
    if (object.fd < 0) return listener_->reply(r.id, -error);
    std::string shown;
    if (const int verdict = decide(object.fd, call.path && !call.path->empty(), shown)) {
        refusals_.count(std::string(call.name) + " " + (shown.empty() ? "(unknown)" : shown) + ": outside the write grants");
        return listener_->reply(r.id, -verdict);
    }
    listener_->reply(r.id, perform(call, object.fd));
}

std::vector<std::uint32_t> MetadataMediation::syscalls() {
    std::vector<long> numbers = {SYS_fchmod,       SYS_fchmodat,      SYS_fchown,    SYS_fchownat,   SYS_utimensat,
                                 SYS_setxattr,     SYS_lsetxattr,     SYS_fsetxattr, SYS_removexattr, SYS_lremovexattr,
                                 SYS_fremovexattr, kFchmodat2,        kSetxattrat,   kRemovexattrat, kFileSetattr};
#ifdef SYS_chmod  // the calls that newer architectures (aarch64) never had
    for (long nr : {SYS_chmod, SYS_chown, SYS_lchown, SYS_utime, SYS_utimes, SYS_futimesat}) numbers.push_back(nr);
#endif
    std::vector<std::uint32_t> out(numbers.begin(), numbers.end());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::uint32_t> MetadataMediation::ioctls() {
    std::vector<std::uint32_t> out = {FS_IOC_SETFLAGS,     FS_IOC32_SETFLAGS, FS_IOC_FSSETXATTR,        FS_IOC_SETVERSION,
                                      FS_IOC32_SETVERSION, kExt4SetVersion,   BTRFS_IOC_SUBVOL_SETFLAGS};
    out.insert(out.end(), std::begin(kRefusedIoctls), std::end(kRefusedIoctls));
    return out;
}

bool MetadataMediation::mediates(int nr) {
    static const std::vector<std::uint32_t> numbers = syscalls();
    return nr == SYS_ioctl || std::binary_search(numbers.begin(), numbers.end(), static_cast<std::uint32_t>(nr));
}

std::vector<std::string> MetadataMediation::refusals() const { return refusals_.lines(); }

}  // namespace nono::runtime
