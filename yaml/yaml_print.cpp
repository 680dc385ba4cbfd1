// Stage 1, YAML form: typed AST → YAML text (print_yaml), for `nonoc convert`.
// Block mappings with flow lists, statements grouped by kind, comments kept. Strings are
// written plain when every YAML reader (1.1 and 1.2 alike) reads them back as the same
// string, and double-quoted otherwise.
#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

#include "grammar/print_nono.hpp"
#include "yaml/yaml_form.hpp"

namespace nono {

namespace {

// Whether `s` is valid UTF-8 (YAML text must be Unicode; paths may hold any byte).
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        i += n;
    }
    return true;
}

// A path as the YAML form's strings write it: YAML does the quoting, so only `$` and `\`
// are escaped (grammar.hpp, path_string).
std::string print_path(const ast::Path& path) {
    std::string out;
    for (const ast::PathPart& part : path.parts) {
        switch (part.kind) {
            case ast::PathPart::Kind::Text:
                for (char ch : part.text) {
                    if (ch == '$' || ch == '\\') out += '\\';
                    out += ch;
                }
                break;
            case ast::PathPart::Kind::Variable:
                if (part.tilde)
                    out += '~';
                else if (part.braced)
                    out += "${" + part.text + "}";
                else
                    out += "$" + part.text;
                break;
            case ast::PathPart::Kind::Env: out += print_env_reference(part); break;
        }
    }
    return out;
}

// Words that some YAML reader would take for a null, a boolean or a number.
bool looks_typed(std::string_view s) {
    static constexpr std::array kWords = {"~",  "null", "true", "false", "yes", "no", "on",
                                          "off", "y",   "n",    ".nan",  ".inf"};
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(kWords.begin(), kWords.end(), lower) != kWords.end()) return true;
    std::size_t i = s[0] == '+' || s[0] == '-' || s[0] == '.' ? 1 : 0;
    return i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]));
}

// A plain scalar is written only from characters that no YAML reader (yaml-cpp
// included, which is stricter than the spec in flow lists) takes for syntax; anything
// else is double-quoted. Blanks are safe inside, but a path with one is quoted all the
// same, so that a list of paths reads unambiguously.
enum class Blanks { Plain, Quote };

bool plain_is_safe(std::string_view s, Blanks blanks) {
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (s.empty() || looks_typed(s) || s.back() == ' ') return false;
    if (!alnum(s.front()) && std::string_view("/._~$").find(s.front()) == std::string_view::npos) return false;
    for (char c : s) {
        if (alnum(c) || std::string_view("/._-~$+=^()<>!&|").find(c) != std::string_view::npos) continue;
        if (c == ' ' && blanks == Blanks::Plain) continue;
        return false;
    }
    return true;
}

std::string double_quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20 || u == 0x7f) {
                    static constexpr char kHex[] = "0123456789abcdef";
                    out += "\\x";
                    out += kHex[u >> 4];
                    out += kHex[u & 0xf];
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string syscall_name_text(const ast::SyscallName& name) { return (name.group ? "@" : "") + name.name; }

class Printer {
public:
    std::string print(const ast::File& file) {
        bool groups_first = file.profile && file.profile_index > 0;
        if (groups_first) groups(file.items);
        if (file.profile) profile(*file.profile);
        if (!groups_first) groups(file.items);
        for (const ast::Comment& c : file.trailing_comments) comment_line(c, 0);
        return out_.str();
    }

private:
    std::ostringstream out_;

    // A YAML scalar for `s`; `at` names the statement if `s` cannot be written.
    static std::string scalar(std::string_view s, const SourceLocation& at, Blanks blanks = Blanks::Plain) {
        if (!valid_utf8(s))
            throw YamlUnrepresentable(at, "this string is not UTF-8, which YAML cannot hold; keep the .nono form");
        return plain_is_safe(s, blanks) ? std::string(s) : double_quoted(s);
    }

    static std::string path_scalar(const ast::Path& p, const SourceLocation& at) {
        return scalar(print_path(p), at, Blanks::Quote);
    }

    // "[a, b]"; `text` gives each item's string.
    template <typename Items, typename Text>
    static std::string flow_list(const Items& items, const SourceLocation& at, Text text,
                                 Blanks blanks = Blanks::Plain) {
        std::string out = "[";
        bool first = true;
        for (const auto& item : items) {
            out += (first ? "" : ", ") + scalar(text(item), at, blanks);
            first = false;
        }
        return out + "]";
    }

    void indent(int n) { out_ << std::string(static_cast<std::size_t>(n), ' '); }

    void comment_line(const ast::Comment& c, int n) {
        if (!valid_utf8(c.text)) throw YamlUnrepresentable(c.loc, "this comment is not UTF-8, which YAML cannot hold");
        indent(n);
        out_ << '#' << c.text << '\n';
    }

    void leading(const ast::Comments& c, int n) {
        for (const ast::Comment& line : c.leading) comment_line(line, n);
    }

    // Ends the current line, with the statement's trailing comment if it has one.
    void end_line(const ast::Comments& c) {
        if (c.trailing) {
            if (!valid_utf8(c.trailing->text))
                throw YamlUnrepresentable(c.trailing->loc, "this comment is not UTF-8, which YAML cannot hold");
            out_ << "  #" << c.trailing->text;
        }
        out_ << '\n';
    }

    // `key:` opening a list item's first line: "  - key: value".
    void item(int n, const ast::Statement& s, const std::string& first_line) {
        leading(s.comments, n);
        indent(n);
        out_ << "- " << first_line;
        end_line(s.comments);
    }

    void field(int n, const std::string& line) {
        indent(n);
        out_ << line << '\n';
    }

    void profile(const ast::Profile& p) {
        leading(p.comments, 0);
        out_ << "profile: " << scalar(p.name, p.loc);
        end_line(p.comments);
        if (!p.parents.empty())
            field(0, "extends: " + flow_list(p.parents, p.loc, [](const ast::Parent& x) { return x.name; }));
        body(p.statements, 0, true);
        for (const ast::Comment& c : p.closing_comments) comment_line(c, 0);
    }

    template <typename T>
    static std::vector<const ast::Statement*> of_kind(const std::vector<ast::Statement>& statements) {
        std::vector<const ast::Statement*> out;
        for (const ast::Statement& s : statements)
            if (std::holds_alternative<T>(s.body)) out.push_back(&s);
        return out;
    }

    static void at_most_one(const std::vector<const ast::Statement*>& found, std::string_view what) {
        if (found.size() > 1)
            throw YamlUnrepresentable(found[1]->loc, "a second `" + std::string(what) +
                                                         "` in one block has no place in the YAML form; keep one");
    }

    void body(const std::vector<ast::Statement>& statements, int n, bool top) {
        for (const ast::Statement& s : statements) {
            if (std::holds_alternative<ast::SyscallGroup>(s.body))
                throw YamlUnrepresentable(s.loc, "the YAML form holds syscall groups at the top level only");
            if (!top && (std::holds_alternative<ast::Description>(s.body) || std::holds_alternative<ast::Param>(s.body)))
                throw YamlUnrepresentable(s.loc, "the YAML form holds `description` and `param` at the top level only");
        }
        auto descriptions = of_kind<ast::Description>(statements);
        at_most_one(descriptions, "description");
        for (const ast::Statement* s : descriptions) {
            leading(s->comments, n);
            indent(n);
            const std::string& text = std::get<ast::Description>(s->body).text;
            scalar(text, s->loc);  // checks that it can be written
            out_ << "description: " << double_quoted(text);
            end_line(s->comments);
        }
        params(of_kind<ast::Param>(statements), n);
        filesystem(of_kind<ast::FsRule>(statements), n);
        network(of_kind<ast::NetRule>(statements), n);
        syscalls(of_kind<ast::SyscallDefault>(statements), of_kind<ast::SyscallRule>(statements), n);
        env(of_kind<ast::EnvRule>(statements), n);
        limits(of_kind<ast::Limit>(statements), n);
        macos(of_kind<ast::MacosRule>(statements), n);
        platforms(of_kind<ast::PlatformBlock>(statements), n);
    }

    void params(const std::vector<const ast::Statement*>& list, int n) {
        if (list.empty()) return;
        field(n, "params:");
        std::vector<std::string> seen;
        for (const ast::Statement* s : list) {
            const auto& p = std::get<ast::Param>(s->body);
            if (std::find(seen.begin(), seen.end(), p.name) != seen.end())
                throw YamlUnrepresentable(s->loc, "a second `param " + p.name + "` has no place in the YAML form");
            seen.push_back(p.name);
            leading(s->comments, n + 2);
            indent(n + 2);
            out_ << scalar(p.name, s->loc) << ": " << path_scalar(p.default_value, s->loc);
            end_line(s->comments);
        }
    }

    static std::string effect_key(ast::Effect e) { return e == ast::Effect::Allow ? "allow: " : "deny: "; }

    void filesystem(const std::vector<const ast::Statement*>& list, int n) {
        if (list.empty()) return;
        field(n, "filesystem:");
        for (const ast::Statement* s : list) {
            const auto& r = std::get<ast::FsRule>(s->body);
            if (r.protect) {
                item(n + 2, *s, "protect: " + flow_list(r.paths, s->loc, print_path, Blanks::Quote));
                continue;
            }
            std::string access = r.secret ? "secret"
                                 : r.access.empty() && r.effect == ast::Effect::Deny
                                     ? "all"
                                     : flow_list(r.access, s->loc, [](const ast::AccessWord& w) { return w.word; });
            item(n + 2, *s, effect_key(r.effect) + access);
            field(n + 4, "paths: " + flow_list(r.paths, s->loc, print_path, Blanks::Quote));
        }
    }

    void network(const std::vector<const ast::Statement*>& list, int n) {
        if (list.empty()) return;
        field(n, "network:");
        for (const ast::Statement* s : list) {
            const auto& r = std::get<ast::NetRule>(s->body);
            item(n + 2, *s, effect_key(r.effect) + std::string(kYamlNetworkKinds[static_cast<std::size_t>(r.kind)]));
            if (r.kind == ast::NetRule::Kind::ConnectTcp || r.kind == ast::NetRule::Kind::BindTcp) {
                std::string ports = "tcp: [";
                for (std::size_t i = 0; i < r.ports.size(); ++i)
                    ports += (i ? ", " : "") + print_port_range(r.ports[i]);
                for (std::size_t i = 0; i < r.hosts.size(); ++i)
                    ports += (i || !r.ports.empty() ? ", " : "") + scalar(print_host_ports(r.hosts[i]), s->loc, Blanks::Quote);
                field(n + 4, ports + "]");
            }
            if (r.kind == ast::NetRule::Kind::UnixConnect)
                field(n + 4, "paths: " + flow_list(r.paths, s->loc, print_path, Blanks::Quote));
        }
    }

    void syscalls(const std::vector<const ast::Statement*>& defaults, const std::vector<const ast::Statement*>& rules,
                  int n) {
        if (defaults.empty() && rules.empty()) return;
        at_most_one(defaults, "syscalls default");
        field(n, "syscalls:");
        for (const ast::Statement* s : defaults) {
            leading(s->comments, n + 2);
            indent(n + 2);
            out_ << "default: " << scalar(print_action(std::get<ast::SyscallDefault>(s->body).action), s->loc);
            end_line(s->comments);
        }
        if (rules.empty()) return;
        field(n + 2, "rules:");
        for (const ast::Statement* s : rules) {
            const auto& r = std::get<ast::SyscallRule>(s->body);
            item(n + 4, *s, effect_key(r.effect) + flow_list(r.names, s->loc, syscall_name_text));
            if (!r.conditions.empty())
                field(n + 6, "if: " + flow_list(r.conditions, s->loc, print_condition));
            if (r.action) field(n + 6, "action: " + scalar(print_action(*r.action), s->loc));
        }
    }

    void env(const std::vector<const ast::Statement*>& list, int n) {
        if (list.empty()) return;
        field(n, "env:");
        for (const ast::Statement* s : list) {
            const auto& r = std::get<ast::EnvRule>(s->body);
            auto same = [](const std::string& x) { return x; };
            switch (r.kind) {
                case ast::EnvRule::Kind::Keep: item(n + 2, *s, "keep: " + flow_list(r.names, s->loc, same)); break;
                case ast::EnvRule::Kind::Drop: item(n + 2, *s, "drop: " + flow_list(r.names, s->loc, same)); break;
                case ast::EnvRule::Kind::Set:
                    item(n + 2, *s, "set: " + scalar(r.names.empty() ? "" : r.names.front(), s->loc));
                    field(n + 4, "value: " + (r.value ? path_scalar(*r.value, s->loc) : scalar("", s->loc)));
                    break;
            }
        }
    }

    void limits(const std::vector<const ast::Statement*>& list, int n) {
        if (list.empty()) return;
        field(n, "limits:");
        std::vector<limits::Kind> seen;
        for (const ast::Statement* s : list) {
            const auto& l = std::get<ast::Limit>(s->body);
            const std::string kind(limits::info(l.kind).name);
            if (std::find(seen.begin(), seen.end(), l.kind) != seen.end())
                throw YamlUnrepresentable(s->loc, "a second `limit " + kind + "` has no place in the YAML form");
            seen.push_back(l.kind);
            leading(s->comments, n + 2);
            indent(n + 2);
            out_ << kind << ": " << ast::written_amount(l);
            end_line(s->comments);
        }
    }

    void macos(const std::vector<const ast::Statement*>& list, int n) {
        if (list.empty()) return;
        field(n, "macos:");
        for (const ast::Statement* s : list) {
            const auto& r = std::get<ast::MacosRule>(s->body);
            bool lookup = r.kind == ast::MacosRule::Kind::MachLookup;
            item(n + 2, *s, effect_key(r.effect) + std::string(kYamlMacosKinds[static_cast<std::size_t>(r.kind)]));
            if (lookup) field(n + 4, "names: " + flow_list(r.names, s->loc, [](const std::string& x) { return x; }));
        }
    }

    void platforms(const std::vector<const ast::Statement*>& list, int n) {
        if (list.empty()) return;
        field(n, "on:");
        for (ast::Platform platform : {ast::Platform::Linux, ast::Platform::Macos}) {
            std::vector<const ast::Statement*> blocks;
            for (const ast::Statement* s : list)
                if (std::get<ast::PlatformBlock>(s->body).platform == platform) blocks.push_back(s);
            at_most_one(blocks, platform == ast::Platform::Linux ? "on linux" : "on macos");
            for (const ast::Statement* s : blocks) {
                const auto& block = std::get<ast::PlatformBlock>(s->body);
                if (platform == ast::Platform::Linux && !of_kind<ast::MacosRule>(block.statements).empty())
                    throw YamlUnrepresentable(s->loc, "macOS-only rules inside `on linux` have no place in the YAML form");
                leading(s->comments, n + 2);
                indent(n + 2);
                out_ << (platform == ast::Platform::Linux ? "linux:" : "macos:") << (block.statements.empty() ? " {}" : "");
                end_line(s->comments);
                body(block.statements, n + 4, false);
                for (const ast::Comment& c : block.closing_comments) comment_line(c, n + 4);
            }
        }
    }

    void groups(const std::vector<ast::Statement>& items) {
        if (items.empty()) return;
        field(0, "syscall-groups:");
        std::vector<std::string> seen;
        for (const ast::Statement& s : items) {
            const auto* g = std::get_if<ast::SyscallGroup>(&s.body);
            if (!g) throw YamlUnrepresentable(s.loc, "only syscall groups stand outside the profile");
            if (std::find(seen.begin(), seen.end(), g->name) != seen.end())
                throw YamlUnrepresentable(s.loc, "a second group `@" + g->name + "` has no place in the YAML form");
            seen.push_back(g->name);
            leading(s.comments, 2);
            indent(2);
            out_ << scalar(g->name, s.loc) << ":";
            bool commented = !g->closing_comments.empty() ||
                             std::any_of(g->members.begin(), g->members.end(), [](const ast::SyscallName& m) {
                                 return !m.comments.leading.empty() || m.comments.trailing;
                             });
            if (!commented || g->members.empty()) {
                out_ << " " << flow_list(g->members, s.loc, syscall_name_text);
                end_line(s.comments);
            } else {  // one member a line, so each keeps its comments
                end_line(s.comments);
                for (const ast::SyscallName& m : g->members) {
                    leading(m.comments, 4);
                    indent(4);
                    out_ << "- " << scalar(syscall_name_text(m), m.loc);
                    end_line(m.comments);
                }
            }
            for (const ast::Comment& c : g->closing_comments) comment_line(c, 4);
        }
    }
};

}  // namespace

std::string print_yaml(const ast::File& file) { return Printer().print(file); }

}  // namespace nono
