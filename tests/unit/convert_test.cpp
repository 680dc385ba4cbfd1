// `nonoc convert` without loss: every .nono profile in the repository, printed as YAML and
// parsed back, is the same AST (locations aside), and converting back gives the same .nono
// text as formatting the original.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "grammar/parse.hpp"
#include "grammar/print_nono.hpp"
#include "yaml/yaml_form.hpp"

using namespace nono;

namespace {

// A text form of the AST with everything that is not meaning or comments left out:
// locations, whether a path was quoted, blank lines. What the YAML form legitimately
// changes is normalized: statements are grouped by kind (in print_yaml's order, keeping
// their order within a kind), and a profile's closing comments are the file's last
// comments when nothing follows the profile.
class Dump {
public:
    std::string file(ast::File f) {
        if (f.profile && f.profile_index >= f.items.size() && !f.profile->closing_comments.empty()) {
            auto& closing = f.profile->closing_comments;
            f.trailing_comments.insert(f.trailing_comments.begin(), closing.begin(), closing.end());
            closing.clear();
        }
        out_ << "profile_first " << (!f.profile || f.profile_index == 0) << '\n';
        if (f.profile) profile(*f.profile);
        statements(f.items, "");
        comments("file trailing", f.trailing_comments);
        return out_.str();
    }

private:
    std::ostringstream out_;

    void comments(std::string_view what, const std::vector<ast::Comment>& list) {
        for (const ast::Comment& c : list) out_ << what << " #" << c.text << '\n';
    }
    void comments(const ast::Comments& c) {
        comments("  leading", c.leading);
        if (c.trailing) out_ << "  trailing #" << c.trailing->text << '\n';
    }

    void profile(const ast::Profile& p) {
        out_ << "profile " << p.name << " extends";
        for (const ast::Parent& parent : p.parents) out_ << ' ' << parent.name;
        out_ << '\n';
        comments(p.comments);
        statements(p.statements, "  ");
        comments("closing", p.closing_comments);
    }

    static int rank(const ast::Statement& s) {
        if (const auto* block = std::get_if<ast::PlatformBlock>(&s.body))
            return 100 + static_cast<int>(block->platform);
        static constexpr int kOrder[] = {0, 1, 2, 3, 4, 5, 9, 8, 6, 7};  // by StatementBody index
        return kOrder[s.body.index()];
    }

    std::string path(const ast::Path& p) {
        std::string s;
        for (const ast::PathPart& part : p.parts) {
            s += "<" + std::to_string(static_cast<int>(part.kind)) + ":" + part.text;
            if (part.fallback) s += ":-" + *part.fallback;
            s += part.tilde ? ":~" : "";
            s += part.braced ? ":{}" : "";
            s += ">";
        }
        return s;
    }

    std::string value(const ast::Value& v) {
        std::string s;
        for (const ast::Value::Term& t : v.terms) s += (t.number ? std::to_string(*t.number) : t.name) + "|";
        return s;
    }

    std::string action(const ast::Action& a) {
        return "action " + std::to_string(static_cast<int>(a.kind)) + (a.errno_value ? " " + value(*a.errno_value) : "");
    }

    void statements(const std::vector<ast::Statement>& list, const std::string& indent) {
        std::vector<const ast::Statement*> sorted;
        for (const ast::Statement& s : list) sorted.push_back(&s);
        std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return rank(*a) < rank(*b); });
        for (const ast::Statement* s : sorted) {
            out_ << indent;
            std::visit([&](const auto& body) { statement(body, indent); }, s->body);
            comments(s->comments);
        }
    }

    void statement(const ast::Description& d, const std::string&) { out_ << "description " << d.text << '\n'; }
    void statement(const ast::Param& p, const std::string&) {
        out_ << "param " << p.name << " = " << path(p.default_value) << '\n';
    }
    void statement(const ast::FsRule& r, const std::string&) {
        out_ << "fs " << static_cast<int>(r.effect);
        for (const ast::AccessWord& w : r.access) out_ << ' ' << w.word;
        for (const ast::Path& p : r.paths) out_ << ' ' << path(p);
        out_ << '\n';
    }
    void statement(const ast::NetRule& r, const std::string&) {
        out_ << "net " << static_cast<int>(r.effect) << ' ' << static_cast<int>(r.kind);
        for (const ast::PortRange& p : r.ports) out_ << ' ' << p.first << '-' << p.last;
        out_ << '\n';
    }
    void statement(const ast::SyscallDefault& d, const std::string&) { out_ << "default " << action(d.action) << '\n'; }
    void names(const std::vector<ast::SyscallName>& list, bool with_comments) {
        for (const ast::SyscallName& n : list) {
            out_ << ' ' << (n.group ? "@" : "") << n.name;
            if (with_comments) {
                out_ << '\n';
                comments(n.comments);
            }
        }
    }
    void statement(const ast::SyscallRule& r, const std::string&) {
        out_ << "syscall " << static_cast<int>(r.effect);
        names(r.names, false);
        for (const ast::Condition& c : r.conditions) {
            out_ << " if arg" << c.arg << " op" << static_cast<int>(c.op) << (c.mask ? " mask " + value(*c.mask) : "");
            for (const ast::Value& v : c.values) out_ << ' ' << value(v);
        }
        if (r.action) out_ << ' ' << action(*r.action);
        out_ << '\n';
    }
    void statement(const ast::SyscallGroup& g, const std::string&) {
        out_ << "group " << g.name << '\n';
        names(g.members, true);
        comments("group closing", g.closing_comments);
    }
    void statement(const ast::MacosRule& r, const std::string&) {
        out_ << "macos " << static_cast<int>(r.effect) << ' ' << static_cast<int>(r.kind);
        for (const std::string& n : r.names) out_ << ' ' << n;
        out_ << '\n';
    }
    void statement(const ast::EnvRule& r, const std::string&) {
        out_ << "env " << static_cast<int>(r.kind);
        for (const std::string& n : r.names) out_ << ' ' << n;
        if (r.value) out_ << " = " << path(*r.value);
        out_ << '\n';
    }
    void statement(const ast::Limit& l, const std::string&) {
        out_ << "limit " << static_cast<int>(l.kind) << ' ' << l.amount << ' ' << l.written << '\n';
    }
    void statement(const ast::PlatformBlock& b, const std::string& indent) {
        out_ << "on " << static_cast<int>(b.platform) << '\n';
        statements(b.statements, indent + "  ");
        comments("block closing", b.closing_comments);
    }
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::filesystem::path> nono_files() {
    std::vector<std::filesystem::path> files;
    for (const char* dir : {"profiles", "examples", "tests/golden", "tests/yaml"}) {
        std::filesystem::path root = std::filesystem::path(NONO_REPO_DIR) / dir;
        if (!std::filesystem::exists(root)) continue;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
            if (entry.path().extension() == ".nono") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("convert: every .nono profile in the repository survives .nono → YAML → .nono") {
    auto files = nono_files();
    REQUIRE_FALSE(files.empty());
    for (const auto& path : files) {
        CAPTURE(path.string());
        Diagnostics diags;
        ast::File original = parse_nono(read_file(path), path.string(), diags);
        REQUIRE_MESSAGE(!diags.has_errors(), "does not parse");
        std::string yaml = print_yaml(original);
        ast::File back = parse_yaml(yaml, path.string() + ".yaml", diags);
        REQUIRE_MESSAGE(!diags.has_errors(), yaml);
        CHECK(Dump().file(back) == Dump().file(original));
        // And the YAML of the result is the same YAML: conversion settles at once.
        CHECK(print_yaml(back) == yaml);
    }
    MESSAGE(files.size() << " .nono files converted");
}

TEST_CASE("convert: the dump sees what a conversion could lose") {
    Diagnostics diags;
    ast::File a = parse_nono("profile x {\n  allow read /a  # c\n}\n", "a.nono", diags);
    ast::File b = parse_nono("profile x {\n  allow read /b  # c\n}\n", "b.nono", diags);
    ast::File c = parse_nono("profile x {\n  allow read /a  # d\n}\n", "c.nono", diags);
    ast::File d = parse_nono("profile x {\n  allow read \"/a\"  # c\n\n}\n", "d.nono", diags);
    REQUIRE_FALSE(diags.has_errors());
    CHECK(Dump().file(a) != Dump().file(b));
    CHECK(Dump().file(a) != Dump().file(c));
    CHECK(Dump().file(a) == Dump().file(d));  // quoting and blank lines are layout
}

TEST_CASE("convert: the same profile in both forms is the same AST") {
    const std::filesystem::path dir = std::filesystem::path(NONO_TEST_DATA) / "yaml";
    const std::string yaml = read_file(dir / "canonical.yaml");
    Diagnostics diags;
    ast::File from_nono = parse_nono(read_file(dir / "canonical.nono"), "canonical.nono", diags);
    ast::File from_yaml = parse_yaml(yaml, "canonical.yaml", diags);
    REQUIRE_FALSE(diags.has_errors());
    CHECK(Dump().file(from_nono) == Dump().file(from_yaml));
    CHECK(print_yaml(from_nono) == yaml);
    CHECK(print_nono(from_yaml) == print_nono(from_nono));
}
