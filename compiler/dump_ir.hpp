// A text dump of the IR, for `nonoc compile --dump-ir=after:PASS` and for reading tests'
// failures: every field, in a stable order.
#pragma once

#include <string>

#include "compiler/ir.hpp"

namespace nono {

std::string dump_ir(const ir::Policy& policy);
std::string origin_to_string(const ir::Origin& origin);  // "deny read ~/.ssh (file:3)"
std::string check_to_string(const ir::ArgCheck& check);   // "arg1 == 0x5412"

}  // namespace nono
