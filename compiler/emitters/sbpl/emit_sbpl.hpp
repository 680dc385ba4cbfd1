// Stage 3 (SBPL back end): the optimized IR → a Seatbelt profile for macOS's
// sandbox_init(3) / sandbox-exec(1).
//
// Seatbelt decides one operation by the last rule that matches it, and a rule on a leaf
// operation (file-read-data) beats one on its wildcard (file-read*) whatever their order.
// The IR decides per right by the most specific path, deny winning a tie. The emitter
// realizes the second with the first: it uses leaf operations only, and orders the path
// rules by the depth of the path they match, shallow first, allows before denies at one
// depth — so the last match is the most specific one.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/emitters/targets.hpp"
#include "compiler/ir.hpp"

namespace nono::sbpl {

// A path, pattern or name that cannot be written into an SBPL string: control characters
// (Seatbelt's reader would turn some into other bytes) or bytes that are not UTF-8.
class UnrepresentableString : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A double-quoted SBPL string: `\` and `"` escaped. Throws UnrepresentableString.
std::string quote(std::string_view text);

// One path operation and the IR rights it needs: Seatbelt allows the operation only where
// the IR allows every one of them (so merging rights into one operation can only deny more).
struct PathOperation {
    std::string_view name;
    ir::Rights rights;
};
std::span<const PathOperation> path_operations();

// The per-user values --symbolic leaves as (param "NAME"), in the order they are tried
// (longest binding value first decides); params of the profile are added by name.
inline constexpr std::string_view kSymbolicVariables[] = {"HOME", "CWD", "TMPDIR"};

// The parameter that carries the port of the run's proxy on localhost, for a profile that
// names hosts: known only when the run starts it (`nono exec` passes it; a compiled .sb needs
// `sandbox-exec -D NONO_PROXY_PORT=PORT`).
inline constexpr std::string_view kProxyPortParam = "NONO_PROXY_PORT";

// Renders the profile. Throws UnrepresentableString for a path that SBPL cannot carry.
TargetOutput emit(const OptimizedPolicy& optimized, const TargetOptions& options);

}  // namespace nono::sbpl
