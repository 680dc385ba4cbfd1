// Stage 1b: what the .nono parser puts into the AST, where it says things are, and its
// limits (errors, never crashes or hangs).
#include <doctest/doctest.h>

#include <string>

#include "grammar/parse.hpp"

namespace {

using namespace nono;

struct Parsed {
    ast::File file;
    Diagnostics diags;
};

Parsed parse(const std::string& text) {
    Parsed p;
    p.file = parse_nono(text, "t.nono", p.diags);
    return p;
}

std::string first_error(const Parsed& p) { return p.diags.all().empty() ? "" : p.diags.all().front().message; }

}  // namespace

TEST_CASE("parse: profile header, statements and their locations") {
    const Parsed p = parse("# top\nprofile agent extends base, py {\n  allow read,write ~/src $HOME/x\n}\n");
    REQUIRE_FALSE(p.diags.has_errors());
    REQUIRE(p.file.profile);
    const ast::Profile& profile = *p.file.profile;
    CHECK(profile.name == "agent");
    CHECK(profile.loc == SourceLocation{"t.nono", 2, 1});
    REQUIRE(profile.parents.size() == 2);
    CHECK(profile.parents[1].name == "py");
    CHECK(profile.parents[1].loc == SourceLocation{"t.nono", 2, 29});
    REQUIRE(profile.comments.leading.size() == 1);
    CHECK(profile.comments.leading[0].text == " top");
    REQUIRE(profile.statements.size() == 1);
    const ast::Statement& s = profile.statements[0];
    CHECK(s.loc == SourceLocation{"t.nono", 3, 3});
    const auto& rule = std::get<ast::FsRule>(s.body);
    CHECK(rule.effect == ast::Effect::Allow);
    REQUIRE(rule.access.size() == 2);
    CHECK(rule.access[1].word == "write");
    CHECK(rule.access[1].loc == SourceLocation{"t.nono", 3, 14});
    REQUIRE(rule.paths.size() == 2);
    CHECK(rule.paths[0].loc == SourceLocation{"t.nono", 3, 20});
    CHECK(rule.paths[0].parts[0].tilde);
    CHECK(rule.paths[0].parts[1].text == "/src");
    CHECK(rule.paths[1].parts[0].kind == ast::PathPart::Kind::Variable);
    CHECK(rule.paths[1].parts[0].text == "HOME");
    CHECK(rule.paths[1].parts[0].loc == SourceLocation{"t.nono", 3, 26});
}

TEST_CASE("parse: variables and quoting in paths") {
    const Parsed p = parse("profile p {\n  deny \"/a \\\"b\\\" ${env:X:-/d}\" ${w}/c\n}\n");
    REQUIRE_FALSE(p.diags.has_errors());
    const auto& paths = std::get<ast::FsRule>(p.file.profile->statements[0].body).paths;
    CHECK(paths[0].quoted);
    CHECK(paths[0].parts[0].text == "/a \"b\" ");
    CHECK(paths[0].parts[1].kind == ast::PathPart::Kind::Env);
    CHECK(paths[0].parts[1].text == "X");
    CHECK(paths[0].parts[1].fallback == "/d");
    CHECK(paths[1].parts[0].braced);
    CHECK(paths[1].parts[0].text == "w");
}

TEST_CASE("parse: syscall rules, conditions and actions") {
    const Parsed p = parse(
        "profile p {\n"
        "  syscalls default errno ENOSYS\n"
        "  deny syscall kill @debug if arg1 & 0x10|FLAG == 0 && arg0 in {1, 2} kill-process\n"
        "}\n");
    REQUIRE_FALSE(p.diags.has_errors());
    const auto& statements = p.file.profile->statements;
    const auto& def = std::get<ast::SyscallDefault>(statements[0].body);
    CHECK(def.action.kind == ast::Action::Kind::Errno);
    CHECK(def.action.errno_value->terms[0].name == "ENOSYS");
    const auto& rule = std::get<ast::SyscallRule>(statements[1].body);
    REQUIRE(rule.names.size() == 2);
    CHECK(rule.names[0].name == "kill");  // the syscall: the action is `kill-process`
    CHECK(rule.names[1].group);
    REQUIRE(rule.conditions.size() == 2);
    CHECK(rule.conditions[0].arg == 1);
    CHECK(rule.conditions[0].op == ast::Condition::Op::MaskedEq);
    REQUIRE(rule.conditions[0].mask->terms.size() == 2);
    CHECK(rule.conditions[0].mask->terms[0].number == 16);
    CHECK(rule.conditions[0].mask->terms[1].name == "FLAG");
    CHECK(rule.conditions[0].values[0].terms[0].number == 0);
    CHECK(rule.conditions[1].op == ast::Condition::Op::In);
    CHECK(rule.conditions[1].values.size() == 2);
    CHECK(rule.conditions[1].loc == SourceLocation{"t.nono", 3, 56});
    CHECK(rule.action->kind == ast::Action::Kind::Kill);
}

TEST_CASE("parse: network, platform blocks, env, groups") {
    const Parsed p = parse(
        "syscall-group @io { read write }\n"
        "profile p {\n"
        "  allow bind tcp 8000-8099 22\n"
        "  on macos { allow mach-lookup com.apple.x }\n"
        "  env set LANG C.UTF-8\n"
        "}\n");
    REQUIRE_FALSE(p.diags.has_errors());
    REQUIRE(p.file.items.size() == 1);
    CHECK(p.file.profile_index == 1);
    const auto& group = std::get<ast::SyscallGroup>(p.file.items[0].body);
    CHECK(group.name == "io");
    CHECK(group.members.size() == 2);
    const auto& statements = p.file.profile->statements;
    const auto& net = std::get<ast::NetRule>(statements[0].body);
    CHECK(net.kind == ast::NetRule::Kind::BindTcp);
    REQUIRE(net.ports.size() == 2);
    CHECK(net.ports[0].first == 8000);
    CHECK(net.ports[0].last == 8099);
    CHECK(net.ports[1].first == 22);
    CHECK(net.ports[1].last == 22);
    const auto& block = std::get<ast::PlatformBlock>(statements[1].body);
    CHECK(block.platform == ast::Platform::Macos);
    CHECK(std::get<ast::MacosRule>(block.statements[0].body).names == std::vector<std::string>{"com.apple.x"});
    const auto& env = std::get<ast::EnvRule>(statements[2].body);
    CHECK(env.kind == ast::EnvRule::Kind::Set);
    CHECK(env.value->parts[0].text == "C.UTF-8");
}

TEST_CASE("parse: every error of a file is reported, with recovery at the next line") {
    const Parsed p = parse("profile p {\n  allow raed /x\n  allow udp junk\n  allow connect tcp 0\n  allow read /ok\n}\n");
    REQUIRE(p.diags.error_count() == 3);
    CHECK(p.diags.all()[0].loc.line == 2);
    CHECK(p.diags.all()[1].loc.line == 3);
    CHECK(p.diags.all()[2].loc.line == 4);
}

TEST_CASE("parse: limits are errors") {
    SUBCASE("file size") {
        const Parsed p = parse(std::string(kMaxProfileBytes + 1, '#'));
        CHECK(first_error(p).starts_with("file too large"));
    }
    SUBCASE("100,000 statements are fine; more than 500,000 are not") {
        std::string text = "profile p {\n";
        for (int i = 0; i < 100'000; ++i) text += "allow udp\n";
        CHECK_FALSE(parse(text + "}\n").diags.has_errors());
        for (int i = 100'000; i < 500'001; ++i) text += "allow udp\n";
        CHECK(first_error(parse(text + "}\n")) == "too many statements (more than 500000)");
    }
    SUBCASE("nesting deeper than the parser allows stops it, without exhausting the stack") {
        std::string text = "profile p {\n";
        for (int i = 0; i < 200'000; ++i) text += "on linux { ";
        const Parsed p = parse(text);
        CHECK(p.diags.has_errors());
        CHECK(p.diags.all().back().message == "blocks nested too deeply");
    }
    SUBCASE("at most 50 errors") {
        std::string text = "profile p {\n";
        for (int i = 0; i < 1000; ++i) text += "  bogus\n";
        const Parsed p = parse(text + "}\n");
        CHECK(p.diags.error_count() == 50);
    }
}
