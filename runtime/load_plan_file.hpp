// Runtime: reading a plan file (plan/plan_file.hpp's format) for `nono exec --plan`.
#pragma once

#include <string>

#include "plan/plan_file.hpp"

namespace nono::runtime {

// Reads and checks the plan file at `path`; throws plan::PlanFileError (unreadable, too large,
// or malformed).
plan::CompiledPlan load_plan_file(const std::string& path);

}  // namespace nono::runtime
