// One answer in three places: what `nonoc why` says (decide_path over the optimized IR, and
// what this machine's file system makes of it),
// the Landlock rules the runtime lays out for the same policy, and what a sandboxed child
// gets from the kernel, for every file and directory of a small tree under random profiles.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../unit/semantics_helpers.hpp"
#include "compiler/emitters/landlock/emit_landlock.hpp"
#include "compiler/query.hpp"
#include "core/paths.hpp"
#include "harness.hpp"
#include "runtime/unmet_grants.hpp"

using namespace nono;
using namespace nono::test;

namespace {

struct Check {
    std::string path;
    ir::Rights right;             // the one right asked
    landlock::Access access;      // the Landlock right the kernel checks for it
    int flags;                    // how the child tries it
    const char* what;
};

// The rights the layout's rules give `path`: Landlock grants what any rule on the path or
// on a directory above it grants.
landlock::Access laid_out(const runtime::ConcreteRuleset& ruleset, const std::string& path) {
    landlock::Access access = 0;
    for (const runtime::ConcreteRule& rule : ruleset.rules)
        if (path == rule.path || path.starts_with(rule.path + "/")) access |= rule.access;
    return access;
}

}  // namespace

TEST_CASE("why, the Landlock layout and the kernel agree on random profiles") {
    TempDir t;
    const std::vector<std::string> dirs = {"a", "a/b", "a/b/c", "d"};
    const std::vector<std::string> files = {"f", "a/f", "a/g", "a/b/f", "a/b/c/f", "d/f", "d/.env"};
    for (const std::string& d : dirs) t.dir(d);
    for (const std::string& f : files) t.file(f);

    std::vector<Check> checks;
    for (const std::string& f : files) {
        checks.push_back({t / f, ir::ReadFile, landlock::kAccessFsReadFile, O_RDONLY, "read"});
        checks.push_back({t / f, ir::WriteFile, landlock::kAccessFsWriteFile, O_WRONLY, "write"});
    }
    for (const std::string& d : dirs)
        checks.push_back({t / d, ir::ReadDir, landlock::kAccessFsReadDir, O_RDONLY | O_DIRECTORY, "list"});
    REQUIRE(checks.size() < 31);  // one bit each in the child's answer

    const std::vector<std::string> targets = {"", "a", "a/b", "a/b/c", "d", "a/f", "a/b/f", "d/.env"};
    const ir::Rights rights[] = {ir::kRead, ir::kWrite, ir::ReadFile, ir::WriteFile, ir::kRead | ir::kWrite, ir::kAllRights};
    std::mt19937 rng(20261207);
    int mismatches = 0;
    for (int round = 0; round < 40 && mismatches < 5; ++round) {
        ResolvedProfile profile;
        std::ostringstream written;
        const int rules = 1 + static_cast<int>(rng() % 5);
        for (int i = 0; i < rules; ++i) {
            const std::string& target = targets[rng() % targets.size()];
            const std::string path = target.empty() ? t.path : t / target;
            const ir::Effect effect = rng() % 3 ? ir::Effect::Allow : ir::Effect::Deny;
            const ir::Rights r = rights[rng() % std::size(rights)];
            profile.fs.push_back(fs(effect, r, path, static_cast<unsigned>(i + 1)));
            written << (effect == ir::Effect::Allow ? "allow " : "deny ") << ir::rights_to_string(r) << " " << path << "\n";
        }
        const ir::Policy policy = optimized(profile).policy();
        const landlock::Plan plan = landlock_plan(policy);
        const runtime::ConcreteRuleset ruleset = runtime::resolve_ruleset(plan, landlock::probe_abi());
        const int kernel = in_sandbox(plan, [&] {
            int granted = 0;
            for (std::size_t i = 0; i < checks.size(); ++i)
                if (open_error(checks[i].path, checks[i].flags) == 0) granted |= 1 << i;
            return granted;
        });
        for (std::size_t i = 0; i < checks.size(); ++i) {
            const Check& c = checks[i];
            const PathDecision decision = decide_path(policy, c.path, c.right);
            const std::optional<std::string> grant = granted_at(decision);
            const bool why =
                decision.allowed && !(grant && runtime::on_this_machine(plan, canonical_path(c.path), *grant, c.right).refused);
            const bool layout = (laid_out(ruleset, c.path) & c.access) != 0;
            const bool got = (kernel >> i) & 1;
            if (why == layout && layout == got) continue;
            ++mismatches;
            FAIL_CHECK(std::string(c.what) << " " << c.path << ": why says " << why << ", the layout " << layout << ", the kernel "
                              << got << "\nprofile:\n" << written.str());
        }
    }
}
