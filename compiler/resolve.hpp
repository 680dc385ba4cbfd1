// Stage 2a: resolve. A profile's AST and its parents' become one flat list of facts with
// every name replaced by its value: parents found and merged, params and variables
// expanded, `on linux|macos` blocks selected for the target platform, syscall groups
// expanded and syscall names checked against libseccomp's tables, constants and errno
// names turned into numbers. Statement order and parent order carry no meaning, so the
// facts are a set; compiler/lower builds the IR from them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir.hpp"
#include "compiler/load_family.hpp"
#include "compiler/resolve_options.hpp"
#include "core/ast.hpp"
#include "core/diagnostics.hpp"
#include "plan/net_address.hpp"

namespace nono {

struct FsFact {
    ir::Effect effect = ir::Effect::Allow;
    ir::Rights rights = 0;
    std::string path;  // absolute, variables expanded, not yet canonical
    ir::Origin origin;
    bool literal = false;  // no wildcard of the profile's own text: `*` and `?` are plain characters
    bool directory = false;  // written with a trailing `/`: a directory (made when missing, see ir::PathRule)
    bool secret = false;     // `deny secret`: an `allow` of this very path takes its rights back
    bool protect = false;    // `protect`: not a deny of the trie, a path the runtime guards (ir::Policy::protect)
};

struct NetFact {
    ir::Effect effect = ir::Effect::Allow;
    ast::NetRule::Kind kind = ast::NetRule::Kind::Network;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> ports;  // ConnectTcp, BindTcp
    ir::Origin origin;
    std::vector<std::pair<net::HostPattern, std::pair<std::uint16_t, std::uint16_t>>> hosts{};  // ConnectTcp
    std::vector<std::string> paths{};  // UnixConnect: absolute, variables expanded
};

struct SyscallDefaultFact {
    ir::Action action;
    ir::Origin origin;
};

// One syscall statement, groups expanded. Each entry of `alternatives` is a conjunction
// of checks; the statement applies when any of them holds (`in {…}` multiplies them
// out). A statement without conditions has one empty alternative.
struct SyscallFact {
    ir::Effect effect = ir::Effect::Allow;
    std::vector<std::string> names;  // sorted, unique, each known on some architecture
    std::vector<std::vector<ir::ArgCheck>> alternatives;
    ir::Action action;
    ir::Origin origin;

    bool conditional() const { return !(alternatives.size() == 1 && alternatives[0].empty()); }
};

struct MacosFact {
    ir::Effect effect = ir::Effect::Allow;
    ast::MacosRule::Kind kind = ast::MacosRule::Kind::MachLookup;
    std::vector<std::string> names;
    ir::Origin origin;
};

struct EnvFact {
    ast::EnvRule::Kind kind = ast::EnvRule::Kind::Keep;
    std::vector<std::string> names;
    std::string value;  // Set only, expanded
    ir::Origin origin;
};

struct LimitFact {
    limits::Kind kind = limits::Kind::Memory;
    std::uint64_t amount = 0;
    ir::Origin origin;
};

struct ResolvedProfile {
    std::string name;
    std::string description;
    ir::Platform platform = ir::Platform::Linux;
    std::map<std::string, std::string> bindings;  // every variable used, with its value
    std::vector<FsFact> fs;
    std::vector<NetFact> net;
    std::vector<SyscallDefaultFact> syscall_defaults;
    std::vector<SyscallFact> syscalls;
    std::vector<MacosFact> macos;
    std::vector<EnvFact> env;
    std::vector<LimitFact> limits;
};

// Resolves the profile in the file `path`. Every problem is reported to `diags`; the
// result is meaningful only when no error was reported.
ResolvedProfile resolve_profile(const std::string& path, const ResolveOptions& options, const FileLoader& load,
                                const SourceMap& sources, Diagnostics& diags);

}  // namespace nono
