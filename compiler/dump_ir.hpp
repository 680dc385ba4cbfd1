// A text dump of the IR, for `nonoc compile --dump-ir=after:PASS` and for reading tests'
// failures: every field, in a stable order.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"

namespace nono {

std::string dump_ir(const ir::Policy& policy);
// The same with each syscall table's ranges.
std::string dump_ir(const OptimizedPolicy& optimized);
// The parts of the dump that differ between two dumps ("paths", "network", "syscalls
// x86_64", "syscalls x86_64 ranges", …), in the order `after` shows them, then the parts
// only `before` has: what a pass changed.
std::vector<std::string> changed_parts(const std::string& before, const std::string& after);
std::string origin_to_string(const ir::Origin& origin);  // "deny read ~/.ssh (file:3)"
std::string check_to_string(const ir::ArgCheck& check);   // "arg1 == 0x5412"

}  // namespace nono
