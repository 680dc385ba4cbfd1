// The agents that run their commands in a sandbox of their own, one that needs what nono
// does not give (a user namespace for bubblewrap, a container engine's socket): detected from
// the command line and the agent's own settings, so that nono can say at start how to turn it
// off and be the agent's sandbox, instead of every command failing with a reason only the
// model sees.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace nono::cli {

// One line on what to set (in the agent's own configuration) for `command`, or nothing when
// its own sandbox is off or it is not such an agent.
std::optional<std::string> nested_sandbox_hint(const std::vector<std::string>& command);

}  // namespace nono::cli
