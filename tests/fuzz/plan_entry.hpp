// The property the plan-file fuzzer checks, shared by the libFuzzer target and the CI
// smoke test: any bytes are either refused as a plan (PlanFileError, with a reason) or
// load into a plan that writes back to exactly those bytes and that the runtime can lay
// out and judge. Anything else escapes as an exception or a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "plan/landlock_plan.hpp"
#include "plan/plan_file.hpp"
#include "runtime/sandbox.hpp"

namespace nono::fuzz {

inline std::optional<std::string> check_plan(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    plan::CompiledPlan plan;
    try {
        plan = plan::read_plan(bytes);
    } catch (const plan::PlanFileError&) {
        return std::nullopt;
    }
    if (plan::write_plan(plan) != bytes) return "a plan that loads does not write back to the same bytes";
    (void)landlock::lay_out(landlock::merge_paths(plan.landlock.paths));
    for (int abi = 0; abi <= landlock::kNewestKnownAbi; ++abi) (void)runtime::weaker_on(plan.landlock, abi);
    return std::nullopt;
}

}  // namespace nono::fuzz
