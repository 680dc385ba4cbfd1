// The language's precedence for paths, in the lowest layer so that every stage asks the
// same function: the IR's effective rights (ir::effective_rights), `nonoc why`
// (compiler/query.cpp, globs included) and the runtime's layout (plan/landlock_plan.cpp).
//
// Per right, the most specific path wins; on a tie, deny wins; no rule: denied. Walking a
// path from the root, each depth's rules (a glob's match counts at the depth of the path it
// matches) decide the rights they mention and leave the others as inherited.
#pragma once

namespace nono {

// The rights at one depth of a path: `allowed_here` and `denied_here` are what the rules
// at exactly this depth allow and deny, `inherited` what the depth above has.
template <typename Rights>
constexpr Rights rights_after(Rights inherited, Rights allowed_here, Rights denied_here) {
    return (inherited & ~(allowed_here | denied_here)) | (allowed_here & ~denied_here);
}

}  // namespace nono
