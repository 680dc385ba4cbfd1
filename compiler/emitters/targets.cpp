#include "compiler/emitters/targets.hpp"

#include "compiler/emitters/sbpl/emit_sbpl.hpp"

namespace nono {

// One line per back end.
const std::vector<Target>& targets() {
    static const std::vector<Target> table = {
        {"sbpl", ir::Platform::Macos, sbpl::emit},
    };
    return table;
}

}  // namespace nono
