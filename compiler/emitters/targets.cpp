#include "compiler/emitters/targets.hpp"

#include "compiler/emitters/landlock/emit_landlock.hpp"

namespace nono {

// One line per back end.
const std::vector<Target>& targets() {
    static const std::vector<Target> table = {
        {"landlock", ir::Platform::Linux, emit_landlock},
    };
    return table;
}

}  // namespace nono
