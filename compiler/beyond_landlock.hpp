// What the sandbox refuses that Landlock does not see, one class a line, as `nonoc
// explain` and `nono exec --dry-run` show it: how each class is enforced by this policy.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"

namespace nono {

struct ClassEnforcement {
    std::string what;  // "SysV IPC (shmget)"
    std::string how;   // "seccomp: errno EPERM", "runtime: …", or "ALLOWED"
    std::string where; // the statements behind it ("base.nono:270"), or "built-in"
};

// One line per class, decided on `arch`'s syscall table by asking it the call an attack
// makes, or by the runtime (capabilities; with namespaces, the read-only view).
std::vector<ClassEnforcement> beyond_landlock(const OptimizedPolicy& policy, ir::Arch arch);
// The same as a titled block of aligned lines; empty when the policy has no table for `arch`.
std::string beyond_landlock_text(const OptimizedPolicy& policy, ir::Arch arch);

}  // namespace nono
