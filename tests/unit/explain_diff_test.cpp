#include <doctest/doctest.h>

#include "compiler/diff.hpp"
#include "compiler/explain.hpp"
#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "semantics_helpers.hpp"

using namespace nono;
using namespace nono::test;

namespace {

bool contains(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

ResolvedProfile sample() {
    ResolvedProfile p;
    p.name = "sample";
    p.fs = {fs(ir::Effect::Allow, ir::kRead | ir::kWrite, "/w", 1), fs(ir::Effect::Deny, ir::kWrite, "/w/.git", 2),
            fs(ir::Effect::Allow, ir::kExec, "/usr/bin", 3), fs(ir::Effect::Deny, ir::kRead, "/w/**/.env", 4)};
    p.net = {{ir::Effect::Allow, ast::NetRule::Kind::ConnectTcp, {{443, 443}}, at(5)}};
    p.syscalls = {syscall(ir::Effect::Deny, {"open", "ptrace"}, kEperm, 6)};
    return p;
}

}  // namespace

TEST_CASE("explain names what may be read, written, executed, the carve-outs, and each line's source") {
    std::string text = explain_text(optimized(sample()));
    CHECK(contains(text, "read:\n  /w  t.nono:1\n"));
    CHECK(contains(text, "write:\n  /w  t.nono:1\n"));
    CHECK(contains(text, "exec:\n  /usr/bin  t.nono:3\n"));
    CHECK(contains(text, "  /w/.git: no write  t.nono:2\n"));
    CHECK(contains(text, "deny read /w/**/.env  t.nono:4"));
    CHECK(contains(text, "connect tcp 443  t.nono:5"));
    CHECK(contains(text, "errno EPERM: open ptrace  t.nono:6"));
    CHECK(contains(text, "not on aarch64: open"));
    std::string json = explain_json(optimized(sample()));
    CHECK(contains(json, "\"path\": \"/w/.git\", \"effective\": [\"read-file\", \"read-dir\"], \"carve_out\": true"));
}

TEST_CASE("diff is empty for policies that decide alike, however written") {
    ResolvedProfile a = sample();
    ResolvedProfile b = sample();
    b.fs.push_back(fs(ir::Effect::Allow, ir::kRead, "/w/sub", 9));  // implied by /w
    std::reverse(b.fs.begin(), b.fs.end());
    CHECK(policy_diff(optimized(a).policy(), optimized(b).policy()).empty());
}

TEST_CASE("diff reports what B allows that A does not, and the reverse, where it starts") {
    ResolvedProfile a = sample();
    ResolvedProfile b = sample();
    b.fs[1] = fs(ir::Effect::Deny, ir::kAllRights, "/w/.git", 2);  // B also takes read away
    b.fs.push_back(fs(ir::Effect::Allow, ir::kRead, "/etc", 8));
    b.net.push_back({ir::Effect::Allow, ast::NetRule::Kind::ConnectTcp, {{80, 81}}, at(9)});
    b.syscalls.clear();
    std::vector<std::string> lines = policy_diff(optimized(a).policy(), optimized(b).policy());
    CHECK(std::find(lines.begin(), lines.end(), "+ read /etc  (t.nono:8)") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "- read /w/.git  (t.nono:1)") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "+ connect tcp 80-81") != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "~ syscall ptrace: errno EPERM -> allow  [x86_64, i386, x32, aarch64]") !=
          lines.end());
    CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.find("/etc") != std::string::npos; }) == 1);
}
