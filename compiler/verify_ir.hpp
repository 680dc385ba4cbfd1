// Between passes, in debug and test builds (NONO_VERIFY_IR): the IR's invariants after each
// stage, so that a pass that breaks one fails where it did it, not in an emitter or in what
// the kernel is given. A failure is a compiler bug, never the profile's fault.
#pragma once

#include <stdexcept>
#include <string_view>

#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"

namespace nono {

struct InvalidIr : std::logic_error {
    using std::logic_error::logic_error;
};

// Throws InvalidIr naming the first broken invariant. `after` is "lower" or a pass's name,
// for the message. The invariants: the trie's names and the globs are canonical, rights
// are known rights, port ranges are 1-65535, sorted and disjoint, nothing else is granted
// beside `allow network`, conditions name arg0-arg5, errnos are at most 4095.
void verify_ir(const ir::Policy& policy, std::string_view after);
// The same, and every table's ranges agree with its decisions (verify_ranges). That the
// tables are coalesced at all is the type's promise, not a check.
void verify_ir(const OptimizedPolicy& optimized, std::string_view after);
// Throws InvalidIr when the range that holds a number of `table.decisions` behaves
// otherwise than its decision.
void verify_ranges(const ir::SyscallTable& table, const ir::SyscallRanges& ranges, std::string_view after);

// Throws InvalidIr naming the first path (of either trie) whose effective rights differ
// between `before` and `after` the pass `pass`: a pass optimizes, it never changes what a
// path is allowed.
void verify_same_rights(const ir::PathNode& before, const ir::PathNode& after, std::string_view pass);

}  // namespace nono
