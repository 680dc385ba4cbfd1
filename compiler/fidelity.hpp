// How faithfully a target enforces a profile: each emitter reports, per fact, whether the
// target enforces it exactly, more strictly than written, or not at all (weaker).
// A profile that a target enforces more weakly than written is refused unless the user
// passes --allow-weaker.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir.hpp"

namespace nono {

struct FidelityItem {
    enum class Level { Exact, Stricter, Weaker };
    Level level = Level::Exact;
    std::string what;  // one line a person reads: "UDP: refused by the seccomp filter"
    std::vector<ir::Origin> origins;
};

struct Fidelity {
    std::string target;  // "landlock", "seccomp", "sbpl"
    std::vector<FidelityItem> items;

    bool weaker() const {
        for (const auto& i : items)
            if (i.level == FidelityItem::Level::Weaker) return true;
        return false;
    }
};

}  // namespace nono
