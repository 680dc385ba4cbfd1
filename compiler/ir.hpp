// Stage 2: the IR — one normalized allowlist, platform-neutral and deterministic.
//
// Built by compiler/lower from a resolved profile, rewritten by the optimizer passes
// (compiler/optimize_*.cpp), and read by the emitters (compiler/emitters/*), which never
// see the AST. Every fact keeps the source locations that produced it (`Origin`), so
// `nonoc explain` and `nonoc why` can name the statement behind any decision.
// Containers are ordered, so every output is byte-for-byte reproducible.
//
// Semantics (DESIGN.md): per right, the most specific path wins; on a tie, deny wins;
// what no statement allows is denied. A rule on a directory covers everything below it.
// A glob is as specific as the path it matches.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.hpp"
#include "plan/limits.hpp"
#include "plan/net_address.hpp"

namespace nono::ir {

// ---------------------------------------------------------------------------- rights

// Filesystem rights. The bit positions are Landlock's (a convenience for that emitter;
// the SBPL emitter maps each to Seatbelt operations).
enum Right : std::uint32_t {
    Execute = 1u << 0,
    WriteFile = 1u << 1,
    ReadFile = 1u << 2,
    ReadDir = 1u << 3,
    RemoveDir = 1u << 4,
    RemoveFile = 1u << 5,
    CreateChar = 1u << 6,
    CreateDir = 1u << 7,
    CreateFile = 1u << 8,
    CreateSocket = 1u << 9,
    CreateFifo = 1u << 10,
    CreateBlock = 1u << 11,
    CreateSymlink = 1u << 12,
    Refer = 1u << 13,
    Truncate = 1u << 14,
    IoctlDev = 1u << 15,
};
using Rights = std::uint32_t;

inline constexpr Rights kRead = ReadFile | ReadDir;
// `write` never includes device creation or device ioctls: those are named explicitly.
inline constexpr Rights kWrite = WriteFile | Truncate | CreateFile | CreateDir | CreateSymlink | CreateFifo |
                                 CreateSocket | RemoveFile | RemoveDir | Refer;
inline constexpr Rights kExec = Execute;
inline constexpr Rights kAllRights = (1u << 16) - 1;

// The rights an access word stands for ("read", "write", "exec", or a fine-grained word
// such as "create-file"); nullopt for an unknown word.
std::optional<Rights> rights_of_word(std::string_view word);
// The fine-grained word of one right ("read-file"), for printing.
std::string_view right_name(Right r);
// A readable list: "read, write" when whole groups are present, else fine-grained words.
std::string rights_to_string(Rights rights);

// ---------------------------------------------------------------------------- origins

// The statement a fact came from: where it was written and a short rendering of it
// ("deny read ~/**/.env"). Built-in facts (the default, a flag) have line == 0.
struct Origin {
    SourceLocation loc;
    std::string statement;
    auto operator<=>(const Origin&) const = default;
};

enum class Effect { Allow, Deny };

// ---------------------------------------------------------------------------- paths

struct PathRule {
    Effect effect = Effect::Allow;
    Rights rights = 0;
    Origin origin;
    // Written with a trailing `/`: the path is a directory. On an allow with a right
    // of `write`, the runtime makes it (mode 0700) when it is missing.
    bool directory = false;
};

// A node of the path trie: one canonical path component. The root is "/".
struct PathNode {
    std::vector<PathRule> rules;  // statements written for exactly this path
    std::map<std::string, PathNode, std::less<>> children;  // found by string_view too
};

// The rights `node` allows: per right, the verdict of its own rules (deny wins a tie), else
// what its parent allows (plan/precedence.hpp). Computed where it is read, walking down
// from the root (whose parent allows nothing): a pure function of the trie, so no stage can
// read it before it exists or after a pass changed the rules it comes from.
Rights effective_rights(const PathNode& node, Rights parent_effective);
// A node that allows less than its parent is a carve-out, which Landlock cannot state
// directly (its rules only add rights); its emitter expands it.
inline bool is_carve_out(Rights parent_effective, Rights effective) { return (parent_effective & ~effective) != 0; }

// Paths with glob characters (*, **, ?) cannot sit in the trie; they are kept apart and
// matched at query time and expanded at apply time. `pattern` is absolute and canonical.
struct GlobRule {
    std::string pattern;
    PathRule rule;
};

// ---------------------------------------------------------------------------- network

struct PortRange {
    std::uint16_t first = 0;
    std::uint16_t last = 0;
    Origin origin;
};

// `connect tcp HOST:PORTS`: a name is reached through the supervisor's proxy, an address
// or CIDR is decided per connect by the supervisor (DESIGN.md, "Network").
struct HostRule {
    net::HostRule rule;
    Origin origin;
    auto operator<=>(const HostRule&) const = default;
};

// What the profile allows; everything else is denied. An Origin is present when the
// capability is granted, and names the statement that granted it.
struct Network {
    std::vector<PortRange> tcp_connect;  // sorted, non-overlapping after optimization
    std::vector<PortRange> tcp_bind;
    std::optional<Origin> all;           // allow network: every family, type and port
    std::optional<Origin> udp;
    std::optional<Origin> unix_sockets;  // socket(AF_UNIX) (socketpair always works)
    std::optional<Origin> signal_outside;
    std::optional<Origin> abstract_socket_outside;
    std::vector<HostRule> tcp_connect_hosts;       // sorted; empty under `all`
    std::optional<Origin> loopback;                // bind, listen, connect on 127.0.0.0/8 and ::1
    std::map<std::string, Origin> unix_connect;    // absolute socket paths

    // Whether the supervisor must stand between the sandbox and the network.
    bool mediated() const { return !tcp_connect_hosts.empty() || loopback || !unix_connect.empty(); }
};

// ---------------------------------------------------------------------------- syscalls

enum class Arch { X86_64, I386, X32, Aarch64 };
inline constexpr Arch kAllArches[] = {Arch::X86_64, Arch::I386, Arch::X32, Arch::Aarch64};
std::string_view arch_name(Arch a);            // "x86_64", "i386", "x32", "aarch64"
std::optional<Arch> arch_from_name(std::string_view name);
std::uint32_t audit_arch(Arch a);              // AUDIT_ARCH_* (x32 shares x86_64's)
std::uint32_t syscall_number_bias(Arch a);     // 0x40000000 for x32, else 0
Arch host_arch();

struct Action {
    enum class Kind { Allow, Errno, KillProcess, KillThread, Trap, Log };
    Kind kind = Kind::Allow;
    std::uint16_t errno_value = 0;  // Errno only: 0..4095
    auto operator<=>(const Action&) const = default;
    // Whether the call runs (allowed, or allowed and logged).
    bool lets_through() const { return kind == Kind::Allow || kind == Kind::Log; }
};
std::string action_to_string(const Action& a);  // "allow", "errno EPERM", "kill", …

// One comparison on a syscall argument, with the full 64-bit semantics of
// seccomp_data.args (the emitter narrows it for 32-bit architectures).
struct ArgCheck {
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge, MaskedEq };
    std::uint8_t arg = 0;  // 0..5
    Op op = Op::Eq;
    std::uint64_t value = 0;
    std::uint64_t mask = ~0ull;  // MaskedEq: (arg & mask) == value
    auto operator<=>(const ArgCheck&) const = default;
};

// If every check holds, `action`. (A profile's `in {…}` becomes one CondRule per value.)
struct CondRule {
    std::vector<ArgCheck> checks;
    Action action;
    Origin origin;
};

// What happens to one syscall number: the first CondRule whose checks all hold decides;
// otherwise `otherwise`. A decision with no rules needs no argument loads, so the
// kernel's constant-action cache can answer it.
struct SyscallDecision {
    std::vector<CondRule> rules;
    Action otherwise;
    std::vector<Origin> origins;  // statements behind `otherwise`; empty for the default

    // Equal behaviour (origins ignored): what range coalescing compares.
    bool same_behaviour(const SyscallDecision& other) const;
};

// Contiguous syscall numbers with the same behaviour.
struct SyscallRange {
    std::uint32_t first = 0;
    std::uint32_t last = 0;  // inclusive
    SyscallDecision decision;
};

// A syscall table coalesced, the "ranges" pass's result (compiler/optimize_ranges.cpp,
// held by OptimizedPolicy): ranges covering [0, 0xffffffff] exactly, sorted, neighbours
// with different behaviour. The constructor throws std::invalid_argument for anything
// else, so ranges that leave a number out (or none at all) cannot exist.
class SyscallRanges {
public:
    explicit SyscallRanges(std::vector<SyscallRange> ranges);

    const std::vector<SyscallRange>& list() const { return ranges_; }
    std::size_t size() const { return ranges_.size(); }
    const SyscallRange& operator[](std::size_t i) const { return ranges_[i]; }
    const SyscallRange& front() const { return ranges_.front(); }
    const SyscallRange& back() const { return ranges_.back(); }
    auto begin() const { return ranges_.begin(); }
    auto end() const { return ranges_.end(); }

private:
    std::vector<SyscallRange> ranges_;
};

// A syscall of one architecture: its number (with the bias) and name.
struct SyscallName {
    std::uint32_t nr = 0;
    std::string_view name;
};

// The syscall policy for one architecture: a total map from number to decision.
struct SyscallTable {
    Arch arch = Arch::X86_64;
    Action default_action;  // for every syscall not in `decisions`
    Origin default_origin;
    // For the numbers no syscall of the architecture has in `names` (gaps, and above the
    // newest): a syscall newer than nono's tables could do anything, so lower refuses it
    // even under `syscalls default allow` (ENOSYS, as a kernel without it says).
    Action unknown_action;
    Origin unknown_origin;
    Action bad_arch_action{Action::Kind::KillProcess, 0};  // foreign architectures, x32 on x86_64
    std::map<std::uint32_t, SyscallDecision> decisions;  // numbers include the arch's bias
    // Every known syscall of the architecture, by number: a view of the static tables of
    // compiler/syscalls.hpp, so a policy holds no copy.
    std::span<const SyscallName> names;

    // The name of syscall `nr`, or "syscall NR" when the architecture has none.
    std::string name_of(std::uint32_t nr) const;
};

// ---------------------------------------------------------------------------- the rest

struct MacosExtras {
    std::map<std::string, Origin> mach_lookup;  // service name -> statement
    std::optional<Origin> sysctl_read;
};

// Environment handling for the runtime; variables that let a parent inject code into a
// child (LD_PRELOAD, …) are removed unless kept here.
struct Environment {
    std::map<std::string, Origin> keep;
    std::map<std::string, Origin> drop;
    std::map<std::string, std::pair<std::string, Origin>> set;
};

// One amount per limited kind: the smallest any statement of the profile or of a
// profile it extends states (see lower_limits).
struct Limit {
    std::uint64_t amount = 0;
    Origin origin;
};

enum class Platform { Linux, Macos };

struct Policy {
    std::string name;
    std::string description;
    Platform platform = Platform::Linux;
    std::map<std::string, std::string> bindings;  // every variable's value used to resolve

    PathNode root;                 // "/"
    std::vector<GlobRule> globs;
    Network network;
    std::vector<SyscallTable> syscalls;  // Linux: one per Arch compiled for (CompileOptions::arches), in that order
    MacosExtras macos;
    Environment env;
    std::map<limits::Kind, Limit> limits;
    // `protect`: canonical paths of files through which code runs later outside the sandbox.
    // Not rules of the trie (a deny there would cost the directory above its create rights):
    // the runtime binds them read-only where they exist inside a write grant, and checks the
    // rest when the run ends; Seatbelt denies writing the literal.
    std::map<std::string, Origin> protect;
};

// The syscall table for `arch`, or nullptr when the policy was not compiled for it.
const SyscallTable* syscall_table(const Policy& policy, Arch arch);

// Adds a rule for an absolute, canonical path ("/a/b", no ".", "..", "//" or trailing
// "/"); throws std::invalid_argument for anything else, so an invalid trie cannot exist.
void add_path_rule(Policy& policy, std::string_view path, PathRule rule);
// The node for an exact path, or nullptr.
const PathNode* find_node(const PathNode& root, std::string_view path);
// Splits a canonical absolute path into components ("/" -> {}).
std::vector<std::string> split_path(std::string_view path);

}  // namespace nono::ir
