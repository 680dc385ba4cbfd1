#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "compiler/emitters/compile_targets.hpp"
#include "plan/plan_file.hpp"

using namespace nono;

namespace {

const Target* target(const std::string& name) {
    const auto& all = targets();
    const auto found = std::find_if(all.begin(), all.end(), [&](const Target& t) { return t.name == name; });
    REQUIRE(found != all.end());
    return &*found;
}

CompileOptions bound(bool tmpdir) {
    CompileOptions options;
    options.bindings = {{"HOME", "/home/user"}, {"CWD", "/work/project"}, {"USER", "user"}, {"UID", "1000"}};
    if (tmpdir) options.bindings["TMPDIR"] = "/tmp";
    return options;
}

}  // namespace

TEST_CASE("compile_targets: each chosen target in order, a plan's $TMPDIR a placeholder unless bound") {
    for (const bool tmpdir_bound : {false, true}) {
        INFO(tmpdir_bound);
        SourceMap sources;
        Diagnostics diags;
        const CompiledTargets out = compile_targets("python-agent", {target("plan"), target("sbpl"), target("landlock")},
                                                    bound(tmpdir_bound), TargetOptions{}, sources, diags);
        REQUIRE(out.compiled);
        CHECK(out.error.empty());
        REQUIRE(out.outputs.size() == 3);
        CHECK(out.outputs[0].fidelity.target == "plan");
        CHECK(out.outputs[1].fidelity.target == "sbpl");
        CHECK(out.outputs[2].fidelity.target == "landlock");
        CHECK(out.outputs[0].artifacts.at(0).file_name == "python-agent.plan");
        const plan::CompiledPlan plan = plan::read_plan(out.outputs[0].artifacts.at(0).content);
        CHECK(plan.tmpdir == (tmpdir_bound ? "/tmp" : std::string(plan::kPlanTmpdir)));
        // The other targets are compiled with $TMPDIR as bound, not as the plan's placeholder.
        const std::string& landlock = out.outputs[2].artifacts.at(0).content;
        CHECK(landlock.find(plan::kPlanTmpdir) == std::string::npos);
        CHECK_FALSE(out.weaker());
    }
}

TEST_CASE("compile_targets: a profile with errors compiles for no target") {
    SourceMap sources;
    Diagnostics diags;
    const CompiledTargets out =
        compile_targets("no-such-profile-anywhere", {target("landlock")}, bound(true), TargetOptions{}, sources, diags);
    CHECK_FALSE(out.compiled);
    CHECK(out.outputs.empty());
    CHECK(diags.has_errors());
}
