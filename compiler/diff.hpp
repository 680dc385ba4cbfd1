// `nonoc diff A B`: what B allows that A does not ("+" lines) and what A allows that B
// does not ("-" lines), over optimized IRs, in the terms of `nonoc explain`.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir.hpp"

namespace nono {

// Empty when the two policies decide alike.
std::vector<std::string> policy_diff(const ir::Policy& a, const ir::Policy& b);

}  // namespace nono
