// The YAML form: YAML → AST for every statement kind, print → parse round trips, the
// string syntax inside YAML values, errors with their exact text and place, and the JSON
// Schema checked against the key tables parse_yaml uses.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "grammar/parse.hpp"
#include "grammar/print_nono.hpp"
#include "yaml/yaml_form.hpp"

using namespace nono;

namespace {

struct Parsed {
    ast::File file;
    std::string errors;  // rendered diagnostics, without colour
    bool ok = false;
};

Parsed parse(const std::string& text, const std::string& path = "p.yaml") {
    Diagnostics diags;
    Parsed out;
    out.file = parse_yaml(text, path, diags);
    SourceMap sources;
    sources.add(path, text);
    std::ostringstream rendered;
    diags.render(rendered, sources, false);
    out.errors = rendered.str();
    out.ok = !diags.has_errors();
    return out;
}

const ast::Profile& profile_of(const Parsed& p) {
    REQUIRE_MESSAGE(p.ok, p.errors);
    REQUIRE(p.file.profile.has_value());
    return *p.file.profile;
}

template <typename T>
const T& body(const ast::Statement& s) {
    REQUIRE(std::holds_alternative<T>(s.body));
    return std::get<T>(s.body);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// tests/yaml/canonical.yaml holds every statement kind, written as print_yaml writes it.
std::string canonical() { return read_file(std::string(NONO_TEST_DATA) + "/yaml/canonical.yaml"); }

}  // namespace

TEST_CASE("yaml: every statement kind becomes the AST the .nono form would give") {
    Parsed p = parse(canonical());
    const ast::Profile& prof = profile_of(p);
    CHECK(prof.name == "python-agent");
    REQUIRE(prof.parents.size() == 2);
    CHECK(prof.parents[1].name == "python");
    CHECK(prof.parents[1].loc.str() == "p.yaml:3:17");
    CHECK(prof.loc.str() == "p.yaml:2:1");

    const auto& st = prof.statements;
    REQUIRE(st.size() == 23);
    CHECK(body<ast::Description>(st[0]).text == "Python agent: project read/write, secrets off-limits");

    const auto& workspace = body<ast::Param>(st[1]);
    CHECK(workspace.name == "workspace");
    REQUIRE(workspace.default_value.parts.size() == 1);
    CHECK(workspace.default_value.parts[0].kind == ast::PathPart::Kind::Variable);
    CHECK(workspace.default_value.parts[0].text == "CWD");
    CHECK_FALSE(workspace.default_value.parts[0].braced);
    const auto& cache = body<ast::Param>(st[2]).default_value;
    REQUIRE(cache.parts.size() == 2);
    CHECK(cache.parts[0].kind == ast::PathPart::Kind::Env);
    CHECK(cache.parts[0].text == "XDG_CACHE_HOME");
    CHECK(cache.parts[0].fallback == "/tmp/c");
    CHECK(cache.parts[1].text == "/pip");

    const auto& read = body<ast::FsRule>(st[3]);
    CHECK(read.effect == ast::Effect::Allow);
    REQUIRE(read.access.size() == 1);
    CHECK(read.access[0].word == "read");
    REQUIRE(read.paths.size() == 3);
    CHECK(read.paths[2].parts[0].tilde);
    CHECK(read.paths[2].parts[0].text == "HOME");
    CHECK(read.paths[2].parts[1].text == "/.pyenv");
    CHECK(read.paths[1].loc.str() == "p.yaml:10:19");

    const auto& rw = body<ast::FsRule>(st[4]);
    CHECK(rw.access.size() == 2);
    CHECK(rw.paths[0].parts[0].braced);
    CHECK(rw.paths[2].parts[0].text == "/srv/with space");

    const auto& deny_all = body<ast::FsRule>(st[5]);
    CHECK(deny_all.effect == ast::Effect::Deny);
    CHECK(deny_all.access.empty());
    const auto& glob = body<ast::FsRule>(st[6]);
    CHECK(glob.paths[1].parts.size() == 1);
    CHECK(glob.paths[1].parts[0].text == "/a$b");

    const auto& connect = body<ast::NetRule>(st[7]);
    CHECK(connect.kind == ast::NetRule::Kind::ConnectTcp);
    REQUIRE(connect.ports.size() == 2);
    CHECK(connect.ports[0].first == 443);
    CHECK(connect.ports[0].last == 443);
    const auto& bind = body<ast::NetRule>(st[8]);
    CHECK(bind.kind == ast::NetRule::Kind::BindTcp);
    CHECK(bind.ports[0].first == 8000);
    CHECK(bind.ports[0].last == 8099);
    CHECK(body<ast::NetRule>(st[9]).kind == ast::NetRule::Kind::Udp);
    CHECK(body<ast::NetRule>(st[10]).effect == ast::Effect::Deny);
    CHECK(body<ast::NetRule>(st[10]).kind == ast::NetRule::Kind::Network);
    CHECK(body<ast::NetRule>(st[11]).kind == ast::NetRule::Kind::Unix);
    CHECK(body<ast::NetRule>(st[12]).kind == ast::NetRule::Kind::SignalOutside);
    CHECK(body<ast::NetRule>(st[13]).kind == ast::NetRule::Kind::AbstractSocketOutside);

    const auto& def = body<ast::SyscallDefault>(st[14]);
    CHECK(def.action.kind == ast::Action::Kind::Errno);
    CHECK(def.action.errno_value->terms[0].name == "EPERM");

    const auto& groups = body<ast::SyscallRule>(st[15]);
    REQUIRE(groups.names.size() == 2);
    CHECK(groups.names[0].group);
    CHECK(groups.names[0].name == "debug");
    CHECK(groups.names[0].loc.str() == "p.yaml:31:15");
    const auto& ioctl = body<ast::SyscallRule>(st[16]);
    CHECK_FALSE(ioctl.names[0].group);
    REQUIRE(ioctl.conditions.size() == 1);
    CHECK(ioctl.conditions[0].arg == 1);
    CHECK(ioctl.conditions[0].op == ast::Condition::Op::Eq);
    CHECK(ioctl.conditions[0].values[0].terms[0].name == "TIOCSTI");
    CHECK(ioctl.action->kind == ast::Action::Kind::Kill);
    const auto& clone = body<ast::SyscallRule>(st[17]);
    REQUIRE(clone.conditions.size() == 2);
    CHECK(clone.conditions[0].op == ast::Condition::Op::MaskedEq);
    CHECK(clone.conditions[0].mask->terms.size() == 2);
    CHECK(clone.conditions[0].mask->terms[1].name == "CLONE_NEWNS");
    CHECK(clone.conditions[0].values[0].terms[0].number == 0u);
    CHECK(clone.conditions[1].op == ast::Condition::Op::In);
    CHECK(clone.conditions[1].values.size() == 2);
    CHECK_FALSE(clone.action.has_value());

    CHECK(body<ast::EnvRule>(st[18]).kind == ast::EnvRule::Kind::Keep);
    CHECK(body<ast::EnvRule>(st[19]).names == std::vector<std::string>{"AWS_SECRET_ACCESS_KEY", "ON"});
    const auto& set = body<ast::EnvRule>(st[20]);
    CHECK(set.kind == ast::EnvRule::Kind::Set);
    CHECK(set.value->parts[0].text == "C.UTF-8");

    const auto& on = body<ast::PlatformBlock>(st[21]);
    CHECK(on.platform == ast::Platform::Linux);
    CHECK(body<ast::FsRule>(on.statements.at(0)).access[0].word == "exec");
    REQUIRE(p.file.items.size() == 1);
    const auto& group = body<ast::SyscallGroup>(p.file.items[0]);
    CHECK(group.name == "debug");
    CHECK(group.members.size() == 3);
    CHECK(group.members[2].group);
}

TEST_CASE("yaml: the macOS block holds the macOS-only rules") {
    Parsed p = parse(canonical());
    const auto& st = profile_of(p).statements;
    REQUIRE(st.size() == 23);
    const auto& block = body<ast::PlatformBlock>(st[22]);
    CHECK(block.platform == ast::Platform::Macos);
    REQUIRE(block.statements.size() == 2);
    const auto& lookup = body<ast::MacosRule>(block.statements[0]);
    CHECK(lookup.kind == ast::MacosRule::Kind::MachLookup);
    CHECK(lookup.names == std::vector<std::string>{"com.apple.system.logger"});
    CHECK(body<ast::MacosRule>(block.statements[1]).kind == ast::MacosRule::Kind::SysctlRead);
    CHECK(st[22].comments.trailing->text == " Seatbelt only");
}

TEST_CASE("yaml: comments attach to the statements they stand beside") {
    Parsed p = parse(canonical());
    const ast::Profile& prof = profile_of(p);
    REQUIRE(prof.comments.leading.size() == 1);
    CHECK(prof.comments.leading[0].text == " A profile for Python agents.");
    CHECK(prof.comments.trailing->text == " the name");
    const auto& deny = prof.statements[5].comments;
    REQUIRE(deny.leading.size() == 1);
    CHECK(deny.leading[0].text == " secrets");
    CHECK(deny.trailing->text == " no access at all");
    REQUIRE(p.file.trailing_comments.size() == 1);
    CHECK(p.file.trailing_comments[0].text == " the end");
    // A '#' inside a quoted string or a plain word is not a comment.
    Parsed q = parse("profile: x\ndescription: \"a # b\"\nfilesystem:\n  - deny: all\n    paths: [/a#b, '/c #d']\n");
    CHECK(profile_of(q).statements[0].comments.trailing == std::nullopt);
    CHECK(body<ast::FsRule>(profile_of(q).statements[1]).paths[1].parts[0].text == "/c #d");
    CHECK(q.file.trailing_comments.empty());
}

TEST_CASE("yaml: printing the canonical form gives back the same bytes") {
    Parsed p = parse(canonical());
    REQUIRE_MESSAGE(p.ok, p.errors);
    CHECK(print_yaml(p.file) == canonical());
}

TEST_CASE("yaml: every file in tests/yaml parses, and printing it is a fixed point") {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(NONO_TEST_DATA) + "/yaml")) {
        if (entry.path().extension() != ".yaml") continue;
        ++files;
        CAPTURE(entry.path().string());
        Parsed first = parse(read_file(entry.path().string()));
        REQUIRE_MESSAGE(first.ok, first.errors);
        std::string printed = print_yaml(first.file);
        Parsed second = parse(printed);
        REQUIRE_MESSAGE(second.ok, second.errors << printed);
        CHECK(print_yaml(second.file) == printed);
    }
    CHECK(files >= 3);
}

TEST_CASE("yaml: print then parse is stable for free-form input") {
    const char* text = R"(
network: [{deny: connect, tcp: 25}]
profile: free
filesystem:
- {allow: read, paths: /usr}     # flow style
- allow: [write]
  paths:
    - "${env:HOME}/x"
    - /tmp/odd"quote
syscall-groups:
  "@net": [socket]
description: yes
)";
    Parsed first = parse(text);
    REQUIRE_MESSAGE(first.ok, first.errors);
    std::string printed = print_yaml(first.file);
    Parsed second = parse(printed, "p.yaml");
    REQUIRE_MESSAGE(second.ok, second.errors << printed);
    CHECK(print_yaml(second.file) == printed);
    CHECK(printed.find("description: \"yes\"") != std::string::npos);
    CHECK(printed.find("- allow: [read]  # flow style") != std::string::npos);
    CHECK(printed.find("tcp: [25]") != std::string::npos);
    // syscall-groups came after the profile's name: they are printed after it.
    CHECK(printed.find("profile: free") < printed.find("syscall-groups:"));
    CHECK(printed.find("  net: [socket]") != std::string::npos);
}

TEST_CASE("yaml: files of groups only, and empty files") {
    Parsed groups = parse("syscall-groups:\n  mount: [mount, umount2]\n  empty: []\n");
    REQUIRE_MESSAGE(groups.ok, groups.errors);
    CHECK_FALSE(groups.file.profile.has_value());
    CHECK(groups.file.items.size() == 2);
    // As in .nono, a file with neither is an error.
    Parsed empty = parse("# nothing here\n");
    CHECK(empty.errors == "p.yaml:1:1: error: no profile in this file\n# nothing here\n^\n"
                          "hint: a profile starts with `profile: NAME`\n");
}

TEST_CASE("yaml strings: values, conditions, actions, ports") {
    Diagnostics d;
    SourceLocation at{"f", 1, 1};
    auto condition = embedded::parse_condition("arg0 == 0x10 | 0o17|0b11|42|AF_UNIX", at, d);
    REQUIRE(condition);
    const ast::Value* v = &condition->values.front();
    REQUIRE(v->terms.size() == 5);
    CHECK(v->terms[0].number == 16u);
    CHECK(v->terms[1].number == 15u);
    CHECK(v->terms[2].number == 3u);
    CHECK(v->terms[3].number == 42u);
    CHECK(v->terms[4].name == "AF_UNIX");
    CHECK(v->terms[4].loc.column == 29);
    for (const char* c : {"arg0 == 1", "arg1 != 2", "arg2 < 3", "arg3 <= 4", "arg4 > 5", "arg5 >= 6",
                          "arg0 & 0x3 == 1", "arg1 in {1, 2, AF_INET}"}) {
        auto cond = embedded::parse_condition(c, at, d);
        REQUIRE_MESSAGE(cond, c);
        auto again = embedded::parse_condition(print_condition(*cond), at, d);
        REQUIRE(again);
        CHECK(print_condition(*again) == print_condition(*cond));
        CHECK(again->op == cond->op);
    }
    CHECK(print_condition(*embedded::parse_condition("arg1>=0x10", at, d)) == "arg1 >= 0x10");
    for (const char* a : {"allow", "errno EPERM", "errno 1", "kill-process", "kill-thread", "trap", "log"})
        CHECK(print_action(*embedded::parse_action(a, at, d)) == a);
    CHECK(embedded::parse_port_range("1-65535", at, d)->last == 65535);
    CHECK_FALSE(d.has_errors());
}

TEST_CASE("yaml strings: errors point into the string") {
    struct Case {
        const char* text;
        std::string (*parse)(const char*, Diagnostics&);
        const char* message;
        unsigned column;
    };
    SourceLocation at{"f", 3, 10};
    auto condition = [](const char* s, Diagnostics& d) {
        return embedded::parse_condition(s, {"f", 3, 10}, d) ? std::string("ok") : std::string();
    };
    auto action = [](const char* s, Diagnostics& d) {
        return embedded::parse_action(s, {"f", 3, 10}, d) ? std::string("ok") : std::string();
    };
    auto port = [](const char* s, Diagnostics& d) {
        return embedded::parse_port_range(s, {"f", 3, 10}, d) ? std::string("ok") : std::string();
    };
    auto path = [](const char* s, Diagnostics& d) {
        return embedded::parse_path(s, {"f", 3, 10}, d) ? std::string("ok") : std::string();
    };
    const Case cases[] = {
        {"arg6 == 1", condition, "unknown argument `arg6`; syscalls have arg0 to arg5", 10},
        {"arg1 = 1", condition, "expected a comparison: `==`, `!=`, `<`, `<=`, `>`, `>=`, `& MASK ==` or `in {…}`, found `=`", 15},
        {"arg1 == ", condition, "expected a number or a constant name to compare with, found the end", 17},
        {"arg1 == 1|", condition, "expected a number or a constant name after `|`, found the end", 20},
        {"arg1 & 4 != 0", condition, "expected `==` after the mask, found `!`", 19},
        {"arg1 in {1 2}", condition, "expected `,` or `}` to close the set, found `2`", 21},
        {"arg1 == 0x1ffffffffffffffff", condition, "number too large (more than 64 bits)", 18},
        {"arg1 == 1 && arg2 == 2", condition, "expected the end of the condition, found `&`", 20},
        {"errno", action, "expected an errno name or number after `errno`: `errno EPERM`, found the end", 15},
        {"errno 5000", action, "errno 5000 is out of range (1-4095)", 16},
        {"kil", action, "unknown action `kil`", 10},
        {"kill", action, "unknown action `kill`", 10},
        {"0", port, "port `0` is out of range (1-65535)", 10},
        {"90-80", port, "port range `90-80` is empty: the first port is greater than the last", 10},
        {"80x", port, "expected a port (1-65535) or a range `FIRST-LAST`, found `x`", 12},
        {"usr/lib", path, "a path must be absolute (`/…`) or start with `~/` or a variable: `usr/lib`", 10},
        {"~root/x", path, "`~` must be followed by `/` (`~user` is not supported)", 11},
        {"/a/$1", path, "expected a variable name after `$`: `$NAME` or `${NAME}`, found `1`", 14},
        {"${HOME/x", path, "expected `}` to end the variable reference, found `/`", 16},
        {"/a\\n", path, "unknown escape: only `\\\"`, `\\\\` and `\\$` escape", 13},
        {"/a\nb", path, "a path cannot contain a line break", 12},
        {"${env:X:-a\"b}", path, "expected `}` to end the variable reference, found `\"`", 20},
    };
    for (const Case& c : cases) {
        Diagnostics d;
        CAPTURE(std::string(c.text));
        CHECK(c.parse(c.text, d).empty());
        REQUIRE(d.all().size() == 1);
        CHECK(d.all()[0].message == c.message);
        CHECK(d.all()[0].loc.line == at.line);
        CHECK(d.all()[0].loc.column == c.column);
    }
}

TEST_CASE("yaml: schema violations are reported at the YAML line and column") {
    struct Case {
        const char* text;
        const char* rendered;
    };
    const Case cases[] = {
        {"profile: x\nfilesytem: []\n",
         "p.yaml:2:1: error: unknown key `filesytem` in a profile file\nfilesytem: []\n^\n"
         "hint: did you mean `filesystem`?\n"},
        {"profile: x\nfilesystem:\n  - allow: [raed]\n    paths: [/x]\n",
         "p.yaml:3:13: error: unknown access word `raed`\n  - allow: [raed]\n            ^\n"
         "hint: did you mean `read`?\n"},
        {"profile: x\nfilesystem:\n  - allow: [read]\n    path: [/x]\n",
         "p.yaml:4:5: error: unknown key `path` in a filesystem rule\n    path: [/x]\n    ^\n"
         "hint: did you mean `paths`?\n"},
        {"profile: x\nmacos:\n  - allow: sysctl-read\n",
         "p.yaml:2:1: error: macOS-only rules are only valid inside `on: macos`\nmacos:\n^\n"
         "hint: write them as `on: {macos: {macos: [ … ]}}`\n"},
        {"profile: x\nnetwork:\n  - allow: connect\n    tcp: [443, 70000]\n",
         "p.yaml:4:16: error: port `70000` is out of range (1-65535)\n    tcp: [443, 70000]\n               ^\n"},
        {"profile: x\nsyscalls:\n  rules:\n    - deny: [ioctl]\n      if: \"arg1 === 1\"\n",
         "p.yaml:5:19: error: expected a number or a constant name to compare with, found `=`\n      if: \"arg1 === 1\"\n"
         "                  ^\n"},
        {"profile: x\nprofile: y\n", "p.yaml:2:1: error: duplicate key `profile`\nprofile: y\n^\n"
                                     "hint: each key may appear once in a mapping\n"},
        {"profile: x\nfilesystem: [{allow: [read]}]\n",
         "p.yaml:2:14: error: a filesystem rule needs `paths`\nfilesystem: [{allow: [read]}]\n             ^\n"},
        {"profile: x\nfilesystem:\n  - paths: [~]\n    deny: all\n",
         "p.yaml:3:13: error: expected a path, found nothing\n  - paths: [~]\n            ^\n"
         "hint: a bare ~ is null in YAML: write \"~\"\n"},
        {"profile: x\nfilesystem: [{allow: read, paths: [/a], deny: all}]\n",
         "p.yaml:2:41: error: a filesystem rule has either `allow` or `deny`, not both\n"
         "filesystem: [{allow: read, paths: [/a], deny: all}]\n                                        ^\n"},
        {"profile: x\nnetwork: [{allow: udp, tcp: [53]}]\n",
         "p.yaml:2:24: error: `tcp` ports go with `connect` or `bind`, not `udp`\n"
         "network: [{allow: udp, tcp: [53]}]\n                       ^\n"},
        {"profile: x\nsyscalls: {rules: [{deny: [ptrace], action: allow}]}\n",
         "p.yaml:2:45: error: a `deny` syscall rule cannot have the action `allow`\n"
         "syscalls: {rules: [{deny: [ptrace], action: allow}]}\n                                            ^\n"
         "hint: use `allow:` instead of `deny:`, or an action such as `errno EPERM`\n"},
        {"profile: x\nsyscalls: {rules: [{allow: [ptrace], action: errno 1}]}\n",
         "p.yaml:2:46: error: an `allow` syscall rule takes the action `allow` or `log`\n"
         "syscalls: {rules: [{allow: [ptrace], action: errno 1}]}\n                                             ^\n"
         "hint: use `deny:` to refuse a syscall\n"},
        {"profile: x\nextends: [a, a]\nfilesystem: [{allow: [read, read], paths: [/x]}]\n",
         "p.yaml:2:14: error: `a` is already a parent of this profile\nextends: [a, a]\n             ^\n"
         "p.yaml:3:29: error: `read` is listed twice\nfilesystem: [{allow: [read, read], paths: [/x]}]\n"
         "                            ^\n"},
        {"filesystem: []\n", "p.yaml:1:1: error: `filesystem` belongs to a profile, and this file names none\n"
                             "filesystem: []\n^\nhint: add `profile: NAME` at the top\n"},
        {"profile: x\non:\n  linux:\n    description: \"no\"\n",
         "p.yaml:4:5: error: `description` does not belong in an `on: linux` block\n    description: \"no\"\n    ^\n"
         "hint: expected one of: filesystem network syscalls env limits\n"},
        {"profile: x\nfilesystem: [\n",
         "p.yaml:2:14: error: invalid YAML: expected `]` to close the list\nfilesystem: [\n             ^\n"},
        {"profile: x\n---\nprofile: y\n",
         "p.yaml:3:1: error: a profile file holds one YAML document\nprofile: y\n^\n"
         "hint: remove the second `---` document or split the file\n"},
        {"profile: Big\n", "p.yaml:1:10: error: invalid profile name `Big`\nprofile: Big\n         ^\n"
                           "hint: profile names use a-z, 0-9, `.`, `_` and `-`, and start with a letter or digit\n"},
        {"- profile: x\n", "p.yaml:1:1: error: expected a profile file (a mapping), found a list\n- profile: x\n^\n"},
    };
    for (const Case& c : cases) {
        CAPTURE(std::string(c.text));
        Parsed p = parse(c.text);
        CHECK_FALSE(p.ok);
        CHECK(p.errors == c.rendered);
    }
}

TEST_CASE("yaml: every error in a file is reported") {
    Parsed p = parse("profile: x\nfilesystem:\n  - allow: [raed]\n    paths: [/x]\n  - deny: all\n    paths: [rel]\n"
                     "network: [{allow: udpp}]\n");
    CHECK_FALSE(p.ok);
    CHECK(p.errors.find("p.yaml:3:") != std::string::npos);
    CHECK(p.errors.find("p.yaml:6:") != std::string::npos);
    CHECK(p.errors.find("p.yaml:7:") != std::string::npos);
}

TEST_CASE("yaml: limits are errors, never crashes") {
    Parsed big = parse(std::string(kMaxYamlBytes + 1, ' '));
    CHECK(big.errors == "p.yaml: error: file too large (262145 bytes; at most 256 KiB for a YAML profile)\n");
    Parsed deep = parse(std::string(5000, '[') + std::string(5000, ']'));
    CHECK_FALSE(deep.ok);
    CHECK(deep.errors.find("invalid YAML") != std::string::npos);
    // An alias bomb: each level doubles what a reader that expands aliases would visit.
    std::string bomb = "a0: &a0 [/x, /x]\n";
    for (int i = 1; i < 30; ++i)
        bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + ", *a" +
                std::to_string(i - 1) + "]\n";
    Parsed aliases = parse("profile: x\nfilesystem: [{deny: all, paths: *a29}]\n" + bomb);
    CHECK_FALSE(aliases.ok);
    Parsed flat = parse("profile: x\nfilesystem: [{deny: all, paths: [" + [] {
        std::string s;
        for (std::size_t i = 0; i <= kMaxYamlNodes; ++i) s += "/,";
        return s;
    }() + "/y]}]\n");
    CHECK(flat.errors.find("the profile is too large: more than 100000 YAML values") != std::string::npos);
    // yaml-cpp 0.7's LoadAll loops forever on these (jbeder/yaml-cpp#1040).
    CHECK(parse(",").errors == "p.yaml:1:1: error: invalid YAML: unexpected `,`\n,\n^\n");
    CHECK(parse("profile: x\n---\n,").errors.find("a profile file holds one YAML document") != std::string::npos);
    Parsed nul = parse(std::string("profile: x\0", 11));
    CHECK(nul.errors == "p.yaml: error: a YAML profile may not contain NUL bytes\n");
    Parsed long_path = parse("profile: x\nfilesystem: [{deny: all, paths: [/" + std::string(kMaxYamlPathBytes, 'a') + "]}]\n");
    CHECK(long_path.errors.find("path too long (4097 bytes; at most 4096)") != std::string::npos);
}

TEST_CASE("yaml: print_yaml refuses what the form cannot hold") {
    ast::File file;
    file.profile = ast::Profile{};
    file.profile->name = "x";
    ast::Statement d1{ast::Description{"a"}, {"f.nono", 2, 3}, {}};
    ast::Statement d2{ast::Description{"b"}, {"f.nono", 3, 3}, {}};
    file.profile->statements = {d1, d2};
    try {
        print_yaml(file);
        FAIL("expected YamlUnrepresentable");
    } catch (const YamlUnrepresentable& e) {
        CHECK(e.loc.str() == "f.nono:3:3");
        CHECK(std::string(e.what()) == "a second `description` in one block has no place in the YAML form; keep one");
    }
    ast::Path bad;
    bad.parts.push_back({ast::PathPart::Kind::Text, "/\xff", std::nullopt, false, false, {}});
    ast::FsRule rule{ast::Effect::Deny, {}, {bad}};
    file.profile->statements = {ast::Statement{rule, {"f.nono", 4, 3}, {}}};
    CHECK_THROWS_AS(print_yaml(file), YamlUnrepresentable);
}

// ---- the JSON Schema ----------------------------------------------------------------------

namespace {

YAML::Node load_schema() {
    // JSON is YAML; tests/cli/yaml_schema.sh checks it is strict JSON and a valid schema.
    return YAML::Load(read_file(std::string(NONO_REPO_DIR) + "/schemas/profile.schema.json"));
}

std::set<std::string> sorted(const auto& words) { return std::set<std::string>(std::begin(words), std::end(words)); }

}  // namespace

TEST_CASE("yaml schema: its keys are exactly the keys parse_yaml accepts") {
    YAML::Node schema = load_schema();
    CHECK(schema["$schema"].as<std::string>() == "https://json-schema.org/draft/2020-12/schema");
    YAML::Node defs = schema["$defs"];
    std::set<std::string> described;
    for (auto it = defs.begin(); it != defs.end(); ++it) described.insert(it->first.as<std::string>());
    std::set<std::string> checked;
    for (const YamlMapping& m : yaml_mappings()) {
        CAPTURE(m.definition);
        YAML::Node def = defs[std::string(m.definition)];
        REQUIRE(def.IsMap());
        checked.insert(std::string(m.definition));
        CHECK(def["additionalProperties"].as<std::string>() == "false");
        std::set<std::string> keys;
        for (auto it = def["properties"].begin(); it != def["properties"].end(); ++it) {
            keys.insert(it->first.as<std::string>());
            bool described = it->second["description"].IsDefined() || it->second["$ref"].IsDefined();
            CHECK_MESSAGE(described, "no description for " << it->first.as<std::string>());
        }
        CHECK(keys == sorted(m.keys));
    }
    for (const YamlEnum& e : yaml_enums()) {
        CAPTURE(e.definition);
        YAML::Node def = defs[std::string(e.definition)];
        REQUIRE(def.IsMap());
        checked.insert(std::string(e.definition));
        std::set<std::string> words;
        for (const YAML::Node& w : def["enum"]) words.insert(w.as<std::string>());
        CHECK(words == sorted(e.words));
    }
    // Every definition with fixed keys or words is one of the tables above.
    for (const std::string& name : described) {
        YAML::Node def = defs[name];
        bool fixed = def["properties"].IsDefined() || def["enum"].IsDefined();
        if (fixed) CHECK_MESSAGE(checked.count(name) == 1, name << " is not checked");
    }
    CHECK(schema["$ref"].as<std::string>() == "#/$defs/file");
}
