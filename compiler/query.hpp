// Decisions over the optimized IR: what `nonoc why` prints, and what the tests (and the
// emitters' tests) compare against. Every answer names the rules that made it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"

namespace nono {

// A path rule as it applied to the queried path.
struct AppliedRule {
    std::string path;    // the node's path, or the glob pattern
    bool glob = false;
    std::size_t depth = 0;  // components of the path it matched: its specificity
    ir::PathRule rule;
};

struct PathDecision {
    bool allowed = false;           // every asked right is allowed
    ir::Rights allowed_rights = 0;  // which of the asked rights are
    std::vector<AppliedRule> deciding;    // the most specific rules for the asked rights
    std::vector<AppliedRule> overridden;  // less specific rules they outrank (or allows a deny tied)
};

// Per right: the most specific rule wins (a glob counts as specific as the path it
// matches); on a tie, deny wins; no rule: denied (plan/precedence.hpp). `path` is made
// canonical first; it must be absolute.
PathDecision decide_path(const ir::Policy& policy, std::string_view path, ir::Rights rights);
// The path of the statement (not a glob) that allows the access `d` answers, where this
// machine's file system can still leave the grant unmet (runtime/unmet_grants.hpp's
// on_this_machine, which `nonoc why` asks); nullopt when it is denied or only globs allow it.
std::optional<std::string> granted_at(const PathDecision& d);

// The `protect` statement whose path is `path` or a directory above it, or nullptr.
// `path` is made canonical first; it must be absolute.
const std::pair<const std::string, ir::Origin>* protecting(const ir::Policy& policy, std::string_view path);

struct SyscallVerdict {
    ir::Action action;
    bool allowed = false;           // allow or log
    const ir::CondRule* rule = nullptr;  // the conditional rule that decided, if any
    std::vector<ir::Origin> origins;     // the statements behind the action; empty: the default
    bool is_default = false;
};

// `nr` includes the architecture's bias (x32). Answered from the coalesced ranges, as the
// filter is: a number no syscall has takes the table's unknown-number action.
SyscallVerdict decide_syscall(const OptimizedPolicy& policy, ir::Arch arch, std::uint32_t nr,
                              const std::array<std::uint64_t, 6>& args);
// The decision of the range that holds `nr` (ranges hold every number).
const ir::SyscallDecision& find_decision(const ir::SyscallRanges& ranges, std::uint32_t nr);
bool check_holds(const ir::ArgCheck& check, const std::array<std::uint64_t, 6>& args);

struct NetVerdict {
    bool allowed = false;
    std::optional<ir::Origin> origin;  // the statement that allows it
};

NetVerdict decide_connect_tcp(const ir::Policy& policy, std::uint16_t port);
NetVerdict decide_bind_tcp(const ir::Policy& policy, std::uint16_t port);
// A TCP connect to `host` (a name, or an address such as `10.0.0.1` or `[::1]`) on `port`:
// allowed by a host rule, by `allow loopback` for a loopback address, or by a port rule
// (any address).
NetVerdict decide_connect_host(const ir::Policy& policy, std::string_view host, std::uint16_t port);
NetVerdict decide_udp(const ir::Policy& policy);
NetVerdict decide_unix(const ir::Policy& policy);

}  // namespace nono
