#!/usr/bin/env python3
"""Lists what a source file uses of Linux alone: a Linux-only header it includes, itself or
through the repository's own headers, and a Linux-only function, constant or type its code
(or one of those headers') names. tests/cli/macos_sources.sh runs it on every file a macOS
build compiles (cmake/sources.cmake).

    linux_only_uses.py REPO FILE...    one line per use; exit 1 when there is any

A header of the repository is read like a source file, whatever it is included as: the
copies of Linux's uapi headers in compiler/linux_uapi are the repository's own (data
definitions, which the compiler needs on macOS too, where CMake puts them on the include
path), so <linux/filter.h> is allowed where that copy exists, and the names such a header
defines (SECCOMP_RET_ALLOW, struct sock_fprog) or a function the repository defines under a
Linux name (a test's `syscall(...)` fact) are theirs, not Linux's, in the files that reach
them. Comments, string and character literals are left out, so a name in a message or a
comment is no use. Preprocessor conditions are not evaluated: nono keeps a system's code in
that system's files, not behind #ifdef.
"""
import os
import re
import sys

# Headers macOS does not have, or has with another API under the same name.
LINUX_HEADERS = [
    (r"linux/.*", "Linux's uapi"),
    (r"asm/.*|asm-generic/.*", "Linux's uapi"),
    (r"sys/prctl\.h", "prctl"),
    (r"sys/signalfd\.h", "signalfd (macOS: kqueue's EVFILT_SIGNAL)"),
    (r"sys/epoll\.h", "epoll (macOS: kqueue)"),
    (r"sys/eventfd\.h", "eventfd"),
    (r"sys/inotify\.h", "inotify"),
    (r"sys/timerfd\.h", "timerfd"),
    (r"sys/fanotify\.h", "fanotify"),
    (r"sys/capability\.h", "capabilities"),
    (r"sys/fsuid\.h", "setfsuid"),
    (r"sys/personality\.h", "personality"),
    (r"sys/sysmacros\.h", "glibc's major/minor"),
    (r"sys/vfs\.h|sys/statfs\.h", "Linux's statfs"),
    (r"sys/sendfile\.h", "Linux's sendfile"),
    (r"sys/auxv\.h", "getauxval"),
    (r"sys/klog\.h|sys/reboot\.h|sys/swap\.h|sys/quota\.h", "Linux's"),
    (r"sys/syscall\.h", "Linux's syscall numbers (macOS's are others, and syscall() is deprecated there)"),
    (r"sys/mount\.h", "Linux's mount API (macOS's header is statfs and another mount)"),
    (r"sys/xattr\.h", "Linux's xattr calls (macOS's take other arguments)"),
    (r"seccomp\.h", "libseccomp"),
    (r"mntent\.h|pty\.h|error\.h|endian\.h|byteswap\.h|malloc\.h|link\.h|elf\.h|features\.h", "glibc's"),
    (r"gnu/.*|bits/.*", "glibc's"),
]

# Names of Linux's calls (used as NAME(...)) and of its constants and types (any use).
LINUX_CALLS = """
    syscall prctl signalfd epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait eventfd
    eventfd_read eventfd_write close_range openat2 pidfd_open pidfd_getfd pidfd_send_signal clone
    clone3 unshare setns pivot_root umount2 inotify_init inotify_init1 inotify_add_watch
    timerfd_create memfd_create getrandom pipe2 accept4 dup3 execvpe fexecve get_current_dir_name
    secure_getenv sched_getaffinity sched_setaffinity gettid getdents64 statx renameat2
    copy_file_range splice vmsplice fallocate posix_fallocate posix_fadvise sigtimedwait
    sigwaitinfo ppoll clock_nanosleep timer_create mremap capget capset personality prlimit
    getauxval malloc_usable_size strchrnul memrchr mempcpy qsort_r euidaccess open_tree move_mount
    fsopen fsmount fsconfig mount_setattr strerrorname_np strerrordesc_np sigabbrev_np sigdescr_np
""".split()
LINUX_NAMES = [
    r"O_PATH", r"O_TMPFILE", r"O_NOATIME", r"O_LARGEFILE", r"O_DIRECT",
    r"AT_EMPTY_PATH", r"AT_NO_AUTOMOUNT", r"AT_RECURSIVE",
    r"RESOLVE_\w+", r"SYS_\w+", r"__NR_\w+", r"CLONE_\w+",
    r"MNT_DETACH", r"MNT_EXPIRE", r"UMOUNT_NOFOLLOW",
    r"MS_(?:BIND|REC|PRIVATE|SLAVE|SHARED|RDONLY|REMOUNT|NOSUID|NODEV|NOEXEC|MOVE|STRICTATIME)",
    r"MOVE_MOUNT_\w+", r"OPEN_TREE_\w+", r"MOUNT_ATTR_\w+", r"FSOPEN_\w+", r"FSCONFIG_\w+",
    r"PR_\w+", r"SECCOMP_\w+", r"SECBIT_\w+", r"_LINUX_CAPABILITY_\w+", r"__user_cap_\w+",
    r"SOCK_CLOEXEC", r"SOCK_NONBLOCK", r"MSG_NOSIGNAL", r"SO_PEERCRED", r"SCM_CREDENTIALS",
    r"F_SETPIPE_SZ", r"F_GETPIPE_SZ", r"F_ADD_SEALS", r"F_OFD_\w+",
    r"SFD_\w+", r"EFD_\w+", r"EPOLL\w+", r"IN_CLOEXEC", r"TFD_\w+", r"MFD_\w+",
    r"PTRACE_\w+", r"TEMP_FAILURE_RETRY", r"program_invocation_(?:short_)?name",
    r"RLIMIT_(?:RTPRIO|RTTIME|MSGQUEUE|NICE|SIGPENDING|LOCKS)",
    r"signalfd_siginfo", r"clone_args", r"open_how", r"epoll_event", r"sock_fprog",
]

CALL_RE = re.compile(r"(?<![\w.>])(?:::)?(" + "|".join(LINUX_CALLS) + r")\s*\(")
NAME_RE = re.compile(r"(?<![\w])(" + "|".join(LINUX_NAMES) + r")(?!\w)")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
# Comments, then string and character literals (raw strings first), as whole tokens.
CODE_NOISE_RE = re.compile(
    r'//[^\n]*|/\*.*?\*/|R"(?P<d>[^(\s]*)\(.*?\)(?P=d)"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
# What a file defines: macros, structs, and functions (a return type, then the name).
DEFINED_RES = [
    re.compile(r"^\s*#\s*define\s+(\w+)", re.M),
    re.compile(r"\b(?:struct|union|enum)\s+(\w+)\s*\{"),
    re.compile(r"^[ \t]*(?:(?:inline|static|constexpr|extern)\s+)*(?!(?:return|else|throw|case|new|delete)\b)"
               r"[\w:<>,]+[\s*&]+(\w+)\s*\(", re.M),
]


def code_of(text):
    """The text with comments and literals blanked out, line numbers kept."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return CODE_NOISE_RE.sub(blank, text)


class Checker:
    def __init__(self, repo):
        self.repo = repo
        self.uapi = os.path.join(repo, "compiler/linux_uapi")
        self.seen = {}  # file -> what it uses, the repository's headers it includes, what it defines

    def resolve(self, kind, name, including):
        """The repository's file an include names, or None for a system header."""
        places = [os.path.dirname(including), self.repo] if kind == '"' else [self.repo]
        places.append(self.uapi)
        for place in places:
            path = os.path.normpath(os.path.join(place, name))
            if path.startswith(self.repo + os.sep) and os.path.isfile(path):
                return path
        return None

    def read(self, path):
        """What `path` itself uses (name or None, message), includes of the repository, defines."""
        text = open(path, encoding="utf-8").read()
        rel = os.path.relpath(path, self.repo)
        uses, headers = [], []
        for m in INCLUDE_RE.finditer(text):
            kind, name = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            found = self.resolve(kind, name, path)
            if found:
                headers.append(found)
                continue
            for pattern, why in LINUX_HEADERS:
                if re.fullmatch(pattern, name):
                    uses.append((None, f"{rel}:{line}: includes <{name}>: {why}"))
        code = code_of(text)
        defined = {m.group(1) for r in DEFINED_RES for m in r.finditer(code)}
        code = re.sub(r"^\s*#\s*include[^\n]*", "", code, flags=re.M)
        for number, line in enumerate(code.split("\n"), 1):
            for m in CALL_RE.finditer(line):
                uses.append((m.group(1), f"{rel}:{number}: calls {m.group(1)}(), Linux's"))
            for m in NAME_RE.finditer(line):
                uses.append((m.group(1), f"{rel}:{number}: names {m.group(1)}, Linux's"))
        return uses, headers, defined

    def uses(self, path):
        """Every use in `path` and in the repository's headers it reaches, less what they define."""
        found, defined, pending, done = [], set(), [os.path.abspath(path)], set()
        while pending:
            current = pending.pop()
            if current in done:
                continue
            done.add(current)
            if current not in self.seen:
                self.seen[current] = self.read(current)
            own, headers, names = self.seen[current]
            found.extend(own)
            defined |= names
            pending.extend(headers)
        return [message for name, message in found if name not in defined]


def main():
    repo = os.path.abspath(sys.argv[1])
    checker = Checker(repo)
    found = False
    for source in sys.argv[2:]:
        for use in checker.uses(os.path.join(repo, source)):
            print(f"{source}: {use}")
            found = True
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
