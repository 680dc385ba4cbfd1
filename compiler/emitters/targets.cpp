#include "compiler/emitters/targets.hpp"

#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/emitters/plan/emit_plan.hpp"
#include "compiler/emitters/seccomp/seccomp_target.hpp"
#include "compiler/emitters/sbpl/emit_sbpl.hpp"

namespace nono {

// One line per back end.
const std::vector<Target>& targets() {
    static const std::vector<Target> table = {
        {"landlock", ir::Platform::Linux, emit_landlock},
        {"seccomp", ir::Platform::Linux, seccomp::emit_seccomp_target},
        {"sbpl", ir::Platform::Macos, sbpl::emit},
        {"plan", ir::Platform::Linux, emit_plan},
    };
    return table;
}

}  // namespace nono
