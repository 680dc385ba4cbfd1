// Stage 1 output: the typed AST of one profile file, as written.
//
// Produced by grammar/ (the .nono form) and yaml/yaml_form (the YAML form); both
// must yield the same AST for the same profile. Nothing here knows about PEGTL or
// yaml-cpp. Nothing is resolved yet: variables, parents, groups and constants are names.
// Every node keeps the place it was written, so later stages can point at it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/source.hpp"
#include "plan/limits.hpp"

namespace nono::ast {

// The longest name (variable, constant, errno, group, …) either form of a profile
// accepts, so that every YAML profile converts to a .nono one.
inline constexpr std::size_t kMaxNameBytes = 128;
// What both forms say of a name of `bytes` bytes, over the limit.
inline std::string name_too_long(std::size_t bytes) {
    return "name too long (" + std::to_string(bytes) + " bytes; at most " + std::to_string(kMaxNameBytes) + ")";
}

// A comment kept for `nonoc fmt` and `nonoc convert`: the text after '#', without it.
struct Comment {
    std::string text;
    SourceLocation loc;
};

// Comments that belong to a statement: whole lines just above it, and one after it on
// the same line.
struct Comments {
    std::vector<Comment> leading;
    std::optional<Comment> trailing;
};

// One piece of a path as written: literal text, or a variable reference.
//   $HOME, ${HOME}          -> Variable{name="HOME"}
//   ${env:NAME}             -> Env{name="NAME"}
//   ${env:NAME:-fallback}   -> Env{name="NAME", fallback="fallback"}
//   ~ (first character)     -> Variable{name="HOME"}, with tilde=true for faithful printing
struct PathPart {
    enum class Kind { Text, Variable, Env };
    Kind kind = Kind::Text;
    std::string text;                     // literal bytes (Text) or the variable's name
    std::optional<std::string> fallback;  // Env only: the value after ":-"
    bool tilde = false;                   // Variable HOME written as a leading '~'
    bool braced = false;                  // written as ${NAME} rather than $NAME
    SourceLocation loc;
    bool literal = false;  // Text that is a value, not profile text (a `nono run` flag's path): never a glob
};

struct Path {
    std::vector<PathPart> parts;
    bool quoted = false;  // written as "…" (fmt quotes only where it must)
    SourceLocation loc;
};

enum class Effect { Allow, Deny };

// An access word as written: `read`, `write`, `exec`, or a fine-grained right such as
// `create-file`. Validated by the grammar against the known words.
struct AccessWord {
    std::string word;
    SourceLocation loc;
};

// allow read,write /a /b      deny ~/.ssh      (empty `access` with Deny = every right)
// deny secret ~/.codex/auth.json: every right, unless an `allow` names that very path (an
// agent's profile re-opens its own credentials, which base keeps from every other).
// protect ~/.claude/settings.json: a file through which code runs later outside the
// sandbox; read-only where it exists, checked at the end of the run where it does not
// (written `protect PATH…`: Deny, no access words).
struct FsRule {
    Effect effect = Effect::Allow;
    std::vector<AccessWord> access;
    std::vector<Path> paths;
    bool secret = false;   // Deny only, with no access words
    bool protect = false;  // Deny only, with no access words
};

struct PortRange {
    std::uint32_t first = 0;  // 0..65535, checked by the grammar
    std::uint32_t last = 0;   // == first for a single port
    SourceLocation loc;
};

// api.example.com:443 in `allow connect tcp`: the host as written (a name, `*.name`, an
// address or a CIDR, checked with plan/net_address) and its ports.
struct HostPorts {
    std::string host;
    PortRange ports;
    SourceLocation loc;
};

// allow connect tcp 443 80 api.example.com:443 | allow bind tcp 8000-8099 | allow udp |
// allow network | allow unix | allow signal outside | allow abstract-socket outside |
// allow loopback | allow unix connect PATH…
struct NetRule {
    enum class Kind { ConnectTcp, BindTcp, Udp, Network, Unix, SignalOutside, AbstractSocketOutside, Loopback, UnixConnect };
    Effect effect = Effect::Allow;
    Kind kind = Kind::Network;
    std::vector<PortRange> ports;  // ConnectTcp and BindTcp only: any address
    std::vector<HostPorts> hosts{};  // ConnectTcp only
    std::vector<Path> paths{};       // UnixConnect only
};

// A number, or a well-known constant name such as TIOCSTI or AF_UNIX, or several of
// them joined with '|' (CLONE_NEWUSER|CLONE_NEWNS). Constants are resolved later.
struct Value {
    struct Term {
        std::optional<std::uint64_t> number;
        std::string name;  // when not a number
        SourceLocation loc;
        std::string written;  // a number as written (0x5412, 0o644), kept by fmt; may be empty
    };
    std::vector<Term> terms;  // OR-ed together
    SourceLocation loc;
};

// argN OP value, argN & mask == value, argN in {v, v, …}
struct Condition {
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge, MaskedEq, In };
    unsigned arg = 0;  // 0..5
    Op op = Op::Eq;
    std::optional<Value> mask;  // MaskedEq only
    std::vector<Value> values;  // one, or several for In
    SourceLocation loc;
};

struct Action {
    enum class Kind { Allow, Errno, Kill, KillThread, Trap, Log };
    Kind kind = Kind::Allow;
    std::optional<Value> errno_value;  // Errno: EPERM or 1
    SourceLocation loc;
};

// A syscall name, or a group reference written @name (stored without the '@').
struct SyscallName {
    std::string name;
    bool group = false;
    SourceLocation loc;
    Comments comments;  // in a syscall-group body, where members may stand on their own lines
};

// syscalls default ACTION
struct SyscallDefault {
    Action action;
};

// allow|deny syscall NAMES [if COND && COND …] [ACTION]
struct SyscallRule {
    Effect effect = Effect::Allow;
    std::vector<SyscallName> names;
    std::vector<Condition> conditions;  // all must hold
    std::optional<Action> action;       // absent: allow for Allow, errno EPERM for Deny
};

// syscall-group @name { names… }  (members may reference other groups)
struct SyscallGroup {
    std::string name;
    std::vector<SyscallName> members;
    SourceLocation loc;
    std::vector<Comment> closing_comments;  // comments just before the closing '}'
};

// macOS-only statements; errors outside `on macos`.
//   allow mach-lookup NAME…   allow sysctl-read
struct MacosRule {
    enum class Kind { MachLookup, SysctlRead };
    Effect effect = Effect::Allow;
    Kind kind = Kind::MachLookup;
    std::vector<std::string> names;  // MachLookup: service names
};

// env keep NAME…  |  env drop NAME…  |  env set NAME "value"
struct EnvRule {
    enum class Kind { Keep, Drop, Set };
    Kind kind = Kind::Keep;
    std::vector<std::string> names;
    std::optional<Path> value;  // Set only; variables expand as in paths
};

// limit memory 4G | limit processes 512 | limit open-files 4096 | limit cpu-time 30m |
// limit file-size 10G  (the kinds and units of plan/limits.hpp)
struct Limit {
    limits::Kind kind = limits::Kind::Memory;
    std::uint64_t amount = 0;  // bytes, a count or seconds
    std::string written;       // the amount as written ("4096M"), kept by fmt
};
// The amount as the profile wrote it, or in its shortest form for a limit made by a flag.
inline std::string written_amount(const Limit& l) {
    return l.written.empty() ? limits::format_amount(l.kind, l.amount) : l.written;
}

struct Description {
    std::string text;
};

// param NAME = PATH-OR-VALUE
struct Param {
    std::string name;
    Path default_value;
};

enum class Platform { Linux, Macos };

struct Statement;

// on linux { … } | on macos { … }
struct PlatformBlock {
    Platform platform = Platform::Linux;
    std::vector<Statement> statements;  // vector of an incomplete type: allowed since C++17
    std::vector<Comment> closing_comments;  // comments just before the closing '}'
};

using StatementBody = std::variant<Description, Param, FsRule, NetRule, SyscallDefault, SyscallRule,
                                   SyscallGroup, MacosRule, EnvRule, Limit, PlatformBlock>;

struct Statement {
    StatementBody body;
    SourceLocation loc;  // the first token of the statement
    Comments comments;
    bool blank_line_before = false;  // kept by `nonoc fmt` (one blank line at most)
};

struct Parent {
    std::string name;
    SourceLocation loc;
};

struct Profile {
    std::string name;
    std::vector<Parent> parents;
    std::vector<Statement> statements;
    SourceLocation loc;
    Comments comments;
    std::vector<Comment> closing_comments;  // comments just before the closing '}'
};

// One file: an optional profile and top-level syscall-group definitions (the standard
// groups file has groups only), in written order.
struct File {
    std::string path;
    std::vector<Statement> items;       // top-level SyscallGroup statements
    std::optional<Profile> profile;
    std::size_t profile_index = 0;      // where the profile stands among `items`, for printing
    std::vector<Comment> trailing_comments;  // comments after the last item
};

// The access words the language knows, in canonical order; used by the grammar's
// validation, suggestions, and printing.
inline constexpr const char* kAccessWords[] = {
    "read",          "write",       "exec",        "read-file",   "read-dir",
    "write-file",    "truncate",    "create-file", "create-dir",  "create-symlink",
    "create-fifo",   "create-socket", "create-char", "create-block", "remove-file",
    "remove-dir",    "refer",       "ioctl-dev",
};

}  // namespace nono::ast
