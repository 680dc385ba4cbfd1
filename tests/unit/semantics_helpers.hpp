// Small builders for resolved facts, shared by the semantics units.
#pragma once

#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "compiler/resolve.hpp"

namespace nono::test {

inline ir::Origin at(unsigned line, std::string statement = "") {
    return ir::Origin{{"t.nono", line, 1}, std::move(statement)};
}

inline FsFact fs(ir::Effect effect, ir::Rights rights, std::string path, unsigned line) {
    return FsFact{effect, rights, std::move(path), at(line)};
}

inline SyscallFact syscall(ir::Effect effect, std::vector<std::string> names, ir::Action action, unsigned line,
                           std::vector<std::vector<ir::ArgCheck>> alternatives = {{}}) {
    return SyscallFact{effect, std::move(names), std::move(alternatives), action, at(line)};
}

// Lowered and optimized, as the pipeline does.
inline OptimizedPolicy optimized(const ResolvedProfile& p) { return optimize(lower(p)); }

inline const ir::Action kAllow{ir::Action::Kind::Allow, 0};
inline const ir::Action kEperm{ir::Action::Kind::Errno, 1};
inline const ir::Action kKill{ir::Action::Kind::KillProcess, 0};

}  // namespace nono::test
