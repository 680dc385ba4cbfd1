// Stage 1, YAML form: YAML text → typed AST (parse_yaml), with the key tables that the
// JSON Schema is checked against. yaml-cpp builds the node tree; this file checks it
// against the form's shape, reads the strings that carry .nono syntax with the grammar's
// own rules (grammar/parse.hpp, embedded), and attaches the comments yaml-cpp drops, found by a scan of the text.
#include "yaml/yaml_form.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "core/suggest.hpp"
#include "grammar/parse.hpp"

namespace nono {

const std::vector<YamlMapping>& yaml_mappings() {
    static const std::vector<YamlMapping> mappings = {
        {"file",
         {"profile", "extends", "description", "params", "filesystem", "network", "syscalls", "env", "limits", "on",
          "syscall-groups"}},
        {"platforms", {"linux", "macos"}},
        {"linux-block", {"filesystem", "network", "syscalls", "env", "limits"}},
        {"macos-block", {"filesystem", "network", "syscalls", "env", "limits", "macos"}},
        {"limits", [] {
             std::vector<std::string_view> kinds;
             for (const limits::KindInfo& k : limits::kKinds) kinds.push_back(k.name);
             return kinds;
         }()},
        {"filesystem-rule", {"allow", "deny", "paths", "protect"}},
        {"network-rule", {"allow", "deny", "tcp", "paths"}},
        {"syscalls", {"default", "rules"}},
        {"syscall-rule", {"allow", "deny", "if", "action"}},
        {"env-rule", {"keep", "drop", "set", "value"}},
        {"macos-rule", {"allow", "deny", "names"}},
    };
    return mappings;
}

const std::vector<YamlEnum>& yaml_enums() {
    static const std::vector<YamlEnum> enums = {
        {"access-word", {std::begin(ast::kAccessWords), std::end(ast::kAccessWords)}},
        {"network-kind", {std::begin(kYamlNetworkKinds), std::end(kYamlNetworkKinds)}},
        {"macos-kind", {std::begin(kYamlMacosKinds), std::end(kYamlMacosKinds)}},
    };
    return enums;
}

namespace {

const std::vector<std::string_view>& keys_of(std::string_view definition) {
    for (const YamlMapping& m : yaml_mappings())
        if (m.definition == definition) return m.keys;
    throw std::logic_error("no YAML mapping named " + std::string(definition));
}

std::vector<std::string> to_strings(const auto& words) {
    return std::vector<std::string>(std::begin(words), std::end(words));
}

// The name rules of docs/language.md, with the .nono front end's wording.
struct NameRule {
    bool (*first)(char);
    bool (*rest)(char);
    std::string_view what;  // "invalid WHAT `x`"
    std::string_view hint;
};
bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool lower_or_underscore(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool profile_name_char(char c) { return lower_or_digit(c) || c == '.' || c == '_' || c == '-'; }
bool syscall_name_char(char c) { return lower_or_digit(c) || c == '_'; }
bool env_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool env_name_char(char c) { return env_name_start(c) || (c >= '0' && c <= '9'); }
bool service_name_char(char c) { return syscall_name_char(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '.'; }

constexpr std::string_view kProfileNameHint =
    "profile names use a-z, 0-9, `.`, `_` and `-`, and start with a letter or digit";
constexpr NameRule kProfileName{lower_or_digit, profile_name_char, "profile name", kProfileNameHint};
constexpr NameRule kParentName{lower_or_digit, profile_name_char, "parent profile name", kProfileNameHint};
constexpr NameRule kGroupName{lower_or_digit, profile_name_char, "group name",
                              "group names use a-z, 0-9, `.`, `_` and `-`, and start with a letter or digit"};
constexpr NameRule kParamName{lower_or_underscore, syscall_name_char, "parameter name",
                              "parameter names use a-z, 0-9 and `_` and do not start with a digit"};
constexpr NameRule kSyscallName{syscall_name_char, syscall_name_char, "syscall name",
                                "syscall names use a-z, 0-9 and `_`; a group is written `@name`"};
constexpr NameRule kEnvName{env_name_start, env_name_char, "environment variable name",
                            "names use A-Z, a-z, 0-9 and `_` and do not start with a digit"};
constexpr NameRule kServiceName{service_name_char, service_name_char, "Mach service name",
                                "service names use A-Z, a-z, 0-9, `_`, `-` and `.`"};

// ---- comments -------------------------------------------------------------------------

struct ScannedComment {
    ast::Comment comment;
    bool whole_line = false;  // nothing but blanks before it on its line
};

// Finds the comments in YAML text. yaml-cpp drops them, so this follows just enough of
// YAML to tell a comment from a '#' inside a string: quoted scalars (which may span
// lines) and block scalars. A misjudged corner only misplaces a comment, never changes
// what the profile means: comments are only ever printed back.
std::vector<ScannedComment> scan_comments(std::string_view text, const std::string& path) {
    std::vector<ScannedComment> found;
    char quote = 0;                   // '"' or '\'' while inside a quoted scalar
    long block_indent = -1;           // inside a block scalar: lines indented deeper than this
    unsigned line_no = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        ++line_no;
        start = end + 1;
        std::size_t indent = line.find_first_not_of(" \t");
        if (block_indent >= 0) {
            if (indent == std::string_view::npos || static_cast<long>(indent) > block_indent) continue;
            block_indent = -1;
        }
        char last_token = 0;  // the last non-blank character outside quotes on this line
        for (std::size_t i = 0; i < line.size(); ++i) {
            char c = line[i];
            if (quote == '"') {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    quote = 0;
                continue;
            }
            if (quote == '\'') {
                if (c == '\'' && i + 1 < line.size() && line[i + 1] == '\'')
                    ++i;
                else if (c == '\'')
                    quote = 0;
                continue;
            }
            bool after_blank = i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t';
            bool token_start = last_token == 0 || std::string_view("[{,:-?").find(last_token) != std::string_view::npos;
            if (c == '#' && after_blank) {
                ScannedComment sc;
                // As in .nono: the text after '#', without trailing blanks. A lone CR is a
                // line break to YAML, so the comment ends there (found by fuzz_parse_yaml).
                std::string_view text_after = line.substr(i + 1);
                text_after = text_after.substr(0, text_after.find('\r'));
                while (!text_after.empty() && (text_after.back() == ' ' || text_after.back() == '\t' ||
                                               text_after.back() == '\r'))
                    text_after.remove_suffix(1);
                sc.comment.text = std::string(text_after);
                sc.comment.loc = {path, line_no, static_cast<unsigned>(i + 1)};
                sc.whole_line = i == indent;
                found.push_back(std::move(sc));
                break;
            }
            bool after_flow = i > 0 && std::string_view("[{,").find(line[i - 1]) != std::string_view::npos;
            if ((c == '"' || c == '\'') && ((after_blank && token_start) || after_flow)) {
                quote = c;
            } else if ((c == '|' || c == '>') && after_blank && token_start) {
                std::size_t j = line.find_first_not_of("+-0123456789", i + 1);
                if (j == std::string_view::npos || line[j] == ' ' || line[j] == '\t' || line[j] == '\r') {
                    std::size_t key = line.find_first_not_of(" \t-");
                    block_indent = static_cast<long>(key == std::string_view::npos ? indent : key);
                    if (key == i) block_indent = static_cast<long>(indent);
                }
            }
            if (c != ' ' && c != '\t') last_token = c;
        }
    }
    return found;
}

// A place in the AST that comments attach to. A container (the profile, an `on` block, a
// group) also takes the comments indented under it after its last child.
struct Anchor {
    SourceLocation loc;
    ast::Comments* comments;
    std::vector<ast::Comment>* closing = nullptr;
    unsigned last_line = 0;  // of the anchor and everything inside it
};

// Adds the anchors of `statements` in written order; returns the last line among them.
unsigned collect_anchors(std::vector<ast::Statement>& statements, std::vector<Anchor>& out) {
    unsigned last = 0;
    for (ast::Statement& s : statements) {
        std::size_t self = out.size();
        out.push_back({s.loc, &s.comments, nullptr, s.loc.line});
        if (auto* block = std::get_if<ast::PlatformBlock>(&s.body)) {
            out[self].closing = &block->closing_comments;
            unsigned inner = collect_anchors(block->statements, out);
            out[self].last_line = std::max(out[self].last_line, inner);
        } else if (auto* group = std::get_if<ast::SyscallGroup>(&s.body)) {
            out[self].closing = &group->closing_comments;
            for (ast::SyscallName& member : group->members) {
                out.push_back({member.loc, &member.comments, nullptr, member.loc.line});
                out[self].last_line = std::max(out[self].last_line, member.loc.line);
            }
        }
        last = std::max(last, out[self].last_line);
    }
    return last;
}

// A comment at the end of a line goes to the first thing that starts on that line, or
// else to the statement the line belongs to. A comment on a line of its own closes the
// innermost container it is indented under, if it comes after all of that container's
// children; otherwise it goes above the next thing. Nothing is dropped: comments after
// everything end the file.
void attach_comments(ast::File& file, std::vector<ScannedComment> comments) {
    std::vector<Anchor> anchors;
    if (file.profile) {
        anchors.push_back({file.profile->loc, &file.profile->comments, nullptr, file.profile->loc.line});
        collect_anchors(file.profile->statements, anchors);
    }
    collect_anchors(file.items, anchors);
    std::stable_sort(anchors.begin(), anchors.end(), [](const Anchor& a, const Anchor& b) {
        return std::pair(a.loc.line, a.loc.column) < std::pair(b.loc.line, b.loc.column);
    });
    for (ScannedComment& sc : comments) {
        const unsigned line = sc.comment.loc.line;
        auto next = std::find_if(anchors.begin(), anchors.end(), [&](const Anchor& a) { return a.loc.line > line; });
        if (!sc.whole_line && next != anchors.begin()) {
            auto on_line = std::find_if(anchors.begin(), next, [&](const Anchor& a) { return a.loc.line == line; });
            ast::Comments& owner = *(on_line != next ? on_line : std::prev(next))->comments;
            if (!owner.trailing)
                owner.trailing = std::move(sc.comment);
            else
                owner.leading.push_back(std::move(sc.comment));
            continue;
        }
        const Anchor* container = nullptr;
        const unsigned previous_line = next == anchors.begin() ? 0 : std::prev(next)->loc.line;
        for (auto it = anchors.begin(); it != next; ++it)
            if (it->closing && it->last_line < line && it->last_line >= previous_line &&
                it->loc.column < sc.comment.loc.column && (!container || it->loc.column > container->loc.column))
                container = &*it;
        if (container)
            container->closing->push_back(std::move(sc.comment));
        else if (next != anchors.end())
            next->comments->leading.push_back(std::move(sc.comment));
        else
            file.trailing_comments.push_back(std::move(sc.comment));
    }
}

// ---- the reader ------------------------------------------------------------------------

// "a path", "an access word".
std::string with_article(std::string_view noun) {
    return (std::string_view("aeiou").find(noun.front()) != std::string_view::npos ? "an " : "a ") + std::string(noun);
}

// yaml-cpp's words for the syntax errors people make most, in ours.
std::string yaml_error_message(const std::string& message) {
    if (message == YAML::ErrorMsg::END_OF_SEQ_FLOW) return "expected `]` to close the list";
    if (message == YAML::ErrorMsg::END_OF_MAP_FLOW) return "expected `}` to close the mapping";
    return message;
}

struct Field {
    std::string key;
    SourceLocation key_loc;
    YAML::Node value;
};
using Fields = std::vector<Field>;

const Field* find(const Fields& fields, std::string_view key) {
    for (const Field& f : fields)
        if (f.key == key) return &f;
    return nullptr;
}

// A string from YAML with the place its first character stands.
struct Text {
    std::string text;
    SourceLocation loc;
};

class Reader {
public:
    Reader(std::string_view text, const std::string& path, Diagnostics& diags)
        : text_(text), path_(path), file_(path), diags_(diags) {}

    ast::File read(const YAML::Node& root) {
        ast::File file;
        file.path = path_;
        if (root.IsNull()) return file;  // an empty document: no profile, no groups
        auto fields = mapping(root, "file", "a profile file", start());
        if (!fields) return file;
        std::size_t profile_at = fields->size(), groups_at = fields->size();
        for (std::size_t i = 0; i < fields->size(); ++i) {
            const Field& f = (*fields)[i];
            if (f.key == "profile") profile_at = i;
            if (f.key == "syscall-groups") {
                groups_at = i;
                read_groups(f, file.items);
            }
        }
        if (profile_at < fields->size()) {
            file.profile = read_profile(*fields, (*fields)[profile_at]);
            if (groups_at < profile_at) file.profile_index = file.items.size();
        } else {
            for (const Field& f : *fields)
                if (f.key != "syscall-groups")
                    diags_.error(f.key_loc, "`" + f.key + "` belongs to a profile, and this file names none",
                                 "add `profile: NAME` at the top");
        }
        return file;
    }

private:
    std::string_view text_;
    const std::string& path_;
    const FileName file_;  // interned once: every location copies it
    Diagnostics& diags_;
    std::size_t nodes_ = 0;
    bool over_budget_ = false;

    SourceLocation start() const { return {file_, 1, 1}; }

    SourceLocation loc(const YAML::Node& node, const SourceLocation& fallback) const {
        const YAML::Mark m = node.Mark();
        if (m.is_null() || m.line < 0 || m.column < 0) return fallback;
        return {file_, static_cast<unsigned>(m.line + 1), static_cast<unsigned>(m.column + 1)};
    }

    // The place of a scalar's first character: past the opening quote of a quoted one.
    SourceLocation text_loc(const YAML::Node& node, const SourceLocation& fallback) const {
        SourceLocation l = loc(node, fallback);
        if (node.Tag() == "!") ++l.column;
        return l;
    }

    // Counts a node against the limit; false once the file is over it.
    bool visit() {
        if (over_budget_) return false;
        if (++nodes_ <= kMaxYamlNodes) return true;
        over_budget_ = true;
        diags_.error({file_, 0, 0}, "the profile is too large: more than " + std::to_string(kMaxYamlNodes) +
                                        " YAML values");
        return false;
    }

    std::string kind_of(const YAML::Node& node) const {
        switch (node.Type()) {
            case YAML::NodeType::Map: return "a mapping";
            case YAML::NodeType::Sequence: return "a list";
            case YAML::NodeType::Scalar:
                return node.Scalar().size() <= 40 ? "`" + node.Scalar() + "`" : "`" + node.Scalar().substr(0, 40) + "…`";
            default: return "nothing";
        }
    }

    // "expected X, found Y", with a hint for the YAML null that `~` is.
    void expected(const YAML::Node& node, const SourceLocation& fallback, std::string_view what) {
        std::string hint;
        const YAML::Mark m = node.Mark();
        if (node.IsNull() && !m.is_null() && m.pos >= 0 && static_cast<std::size_t>(m.pos) < text_.size() &&
            text_[m.pos] == '~')
            hint = "a bare ~ is null in YAML: write \"~\"";
        diags_.error(loc(node, fallback), "expected " + std::string(what) + ", found " + kind_of(node), hint);
    }

    // The fields of a mapping, checked against the keys its definition allows.
    std::optional<Fields> mapping(const YAML::Node& node, std::string_view definition, std::string_view what,
                                  const SourceLocation& fallback) {
        if (!visit()) return std::nullopt;
        if (!node.IsMap()) {
            expected(node, fallback, std::string(what) + " (a mapping)");
            return std::nullopt;
        }
        const auto& allowed = keys_of(definition);
        Fields fields;
        bool ok = true;
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!visit()) return std::nullopt;
            SourceLocation key_loc = loc(it->first, loc(node, fallback));
            if (!it->first.IsScalar()) {
                diags_.error(key_loc, "expected a key name, found " + kind_of(it->first));
                ok = false;
                continue;
            }
            std::string key = it->first.Scalar();
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                report_unknown_key(key, key_loc, definition, what);
                ok = false;
            } else if (find(fields, key)) {
                diags_.error(key_loc, "duplicate key `" + key + "`", "each key may appear once in a mapping");
                ok = false;
            } else {
                fields.push_back({key, key_loc, it->second});
            }
        }
        if (!ok) return std::nullopt;
        return fields;
    }

    void report_unknown_key(const std::string& key, const SourceLocation& at, std::string_view definition,
                            std::string_view what) {
        if (key == "macos" && (definition == "file" || definition == "linux-block")) {
            diags_.error(at, "macOS-only rules are only valid inside `on: macos`",
                         "write them as `on: {macos: {macos: [ … ]}}`");
            return;
        }
        bool elsewhere = false;
        for (const YamlMapping& m : yaml_mappings())
            elsewhere = elsewhere || std::find(m.keys.begin(), m.keys.end(), key) != m.keys.end();
        const auto& allowed = keys_of(definition);
        std::string hint = did_you_mean(key, to_strings(allowed));
        if (hint.empty()) {
            hint = "expected one of:";
            for (std::string_view k : allowed) hint += " " + std::string(k);
        }
        diags_.error(at, elsewhere ? "`" + key + "` does not belong in " + std::string(what)
                                   : "unknown key `" + key + "` in " + std::string(what),
                     hint);
    }

    std::optional<Text> scalar(const YAML::Node& node, const SourceLocation& fallback, std::string_view what) {
        if (!visit()) return std::nullopt;
        if (!node.IsScalar()) {
            expected(node, fallback, what);
            return std::nullopt;
        }
        return Text{node.Scalar(), text_loc(node, fallback)};
    }

    // One string, or a list of them: `allow: read` or `allow: [read, write]`.
    std::optional<std::vector<Text>> scalars(const YAML::Node& node, const SourceLocation& fallback,
                                             std::string_view what, bool allow_empty = false) {
        std::vector<Text> out;
        if (node.IsSequence()) {
            if (!visit()) return std::nullopt;
            bool ok = true;
            for (const YAML::Node& item : node) {
                auto t = scalar(item, loc(node, fallback), with_article(what));
                if (t)
                    out.push_back(std::move(*t));
                else
                    ok = false;
                if (over_budget_) return std::nullopt;
            }
            if (!ok) return std::nullopt;
            if (out.empty() && !allow_empty) {
                diags_.error(loc(node, fallback), "expected at least one " + std::string(what) + ", found an empty list");
                return std::nullopt;
            }
            return out;
        }
        auto t = scalar(node, fallback, with_article(what) + " or a list of them");
        if (!t) return std::nullopt;
        out.push_back(std::move(*t));
        return out;
    }

    // `prefix` is shown before the name in messages: "@" for a group.
    std::optional<std::string> name(const Text& t, const NameRule& rule, std::string_view prefix = {}) {
        if (t.text.size() > ast::kMaxNameBytes) {
            diags_.error(t.loc, ast::name_too_long(t.text.size()));
            return std::nullopt;
        }
        const std::string& s = t.text;
        if (!s.empty() && rule.first(s[0]) && std::all_of(s.begin() + 1, s.end(), rule.rest)) return s;
        diags_.error(t.loc, "invalid " + std::string(rule.what) + " `" + std::string(prefix) + s + "`",
                     std::string(rule.hint));
        return std::nullopt;
    }

    // A path, or with embedded::parse_value the text of `env set`, which need not be one.
    std::optional<ast::Path> path(const Text& t, decltype(&embedded::parse_path) parse = embedded::parse_path) {
        if (t.text.size() > kMaxYamlPathBytes) {
            diags_.error(t.loc, "path too long (" + std::to_string(t.text.size()) + " bytes; at most " +
                                    std::to_string(kMaxYamlPathBytes) + ")");
            return std::nullopt;
        }
        return parse(t.text, t.loc, diags_);
    }

    // Exactly one of `allow` / `deny`: the effect and the value under it.
    std::optional<std::pair<ast::Effect, const Field*>> effect(const Fields& fields, const SourceLocation& at,
                                                               std::string_view what) {
        const Field* allow = find(fields, "allow");
        const Field* deny = find(fields, "deny");
        if (allow && deny) {
            diags_.error(deny->key_loc, std::string(what) + " has either `allow` or `deny`, not both");
            return std::nullopt;
        }
        if (!allow && !deny) {
            diags_.error(at, std::string(what) + " needs `allow` or `deny`");
            return std::nullopt;
        }
        return std::pair(allow ? ast::Effect::Allow : ast::Effect::Deny, allow ? allow : deny);
    }

    // A word from a fixed set, with a suggestion for a misspelling.
    template <typename Words>
    std::optional<std::size_t> word(const Text& t, const Words& words, std::string_view what) {
        for (std::size_t i = 0; i < std::size(words); ++i)
            if (t.text == words[i]) return i;
        std::string hint = did_you_mean(t.text, to_strings(words));
        if (hint.empty()) {
            hint = "expected one of:";
            for (std::string_view w : words) hint += " `" + std::string(w) + "`";
        }
        diags_.error(t.loc, "unknown " + std::string(what) + " `" + t.text + "`", hint);
        return std::nullopt;
    }

    // A statement list in the file: `filesystem: [ … ]`, each item read by `item`.
    template <typename ReadItem>
    void list(const Field& f, std::string_view what, std::vector<ast::Statement>& out, ReadItem item) {
        if (!visit()) return;
        if (!f.value.IsSequence()) {
            expected(f.value, f.key_loc, "a list of " + std::string(what));
            return;
        }
        for (const YAML::Node& node : f.value) {
            if (over_budget_) return;
            SourceLocation at = loc(node, f.key_loc);
            if (auto body = item(node, at)) out.push_back({std::move(*body), at, {}});
        }
    }

    std::optional<ast::Profile> read_profile(const Fields& fields, const Field& name_field) {
        ast::Profile profile;
        profile.loc = name_field.key_loc;
        auto name_text = scalar(name_field.value, name_field.key_loc, "a profile name");
        if (name_text) {
            if (auto n = name(*name_text, kProfileName)) profile.name = *n;
        }
        if (const Field* ext = find(fields, "extends")) {
            if (auto parents = scalars(ext->value, ext->key_loc, "parent profile name"))
                for (const Text& t : *parents) {
                    auto n = name(t, kParentName);
                    if (!n) continue;
                    bool again = std::any_of(profile.parents.begin(), profile.parents.end(),
                                             [&](const ast::Parent& p) { return p.name == *n; });
                    if (again)
                        diags_.error(t.loc, "`" + *n + "` is already a parent of this profile");
                    else
                        profile.parents.push_back({*n, t.loc});
                }
        }
        read_body(fields, profile.statements);
        return profile;
    }

    // The statements of the profile or of an `on` block; the key tables have already
    // kept out what does not belong where (`on` in a block, `macos` outside `on: macos`).
    void read_body(const Fields& fields, std::vector<ast::Statement>& out) {
        for (const Field& f : fields) {
            if (over_budget_) return;
            if (f.key == "description") {
                if (auto t = scalar(f.value, f.key_loc, "a description (a string)")) {
                    if (t->text.find_first_of("\r\n") != std::string::npos)
                        diags_.error(t->loc, "a description is one line");
                    else if (t->text.find('\0') != std::string::npos)
                        diags_.error(t->loc, "a description cannot contain a NUL byte");
                    else
                        out.push_back({ast::Description{t->text}, f.key_loc, {}});
                }
            } else if (f.key == "params") {
                read_params(f, out);
            } else if (f.key == "filesystem") {
                list(f, "filesystem rules", out, [&](const YAML::Node& n, const SourceLocation& at) { return fs_rule(n, at); });
            } else if (f.key == "network") {
                list(f, "network rules", out, [&](const YAML::Node& n, const SourceLocation& at) { return net_rule(n, at); });
            } else if (f.key == "syscalls") {
                read_syscalls(f, out);
            } else if (f.key == "env") {
                list(f, "env rules", out, [&](const YAML::Node& n, const SourceLocation& at) { return env_rule(n, at); });
            } else if (f.key == "limits") {
                read_limits(f, out);
            } else if (f.key == "macos") {
                list(f, "macOS rules", out, [&](const YAML::Node& n, const SourceLocation& at) { return macos_rule(n, at); });
            } else if (f.key == "on") {
                read_platforms(f, out);
            }
        }
    }

    // limits: {memory: 4G, processes: 512}: the key table has kept out any other kind.
    void read_limits(const Field& f, std::vector<ast::Statement>& out) {
        auto fields = mapping(f.value, "limits", "limits", f.key_loc);
        if (!fields) return;
        for (const Field& l : *fields) {
            const limits::Kind kind = *limits::kind_named(l.key);
            auto t = scalar(l.value, l.key_loc, "an amount such as `4G`, `30m` or `512`");
            if (!t) continue;
            const limits::Amount a = limits::parse_amount(kind, t->text);
            if (!a.error.empty()) {
                SourceLocation at = t->loc;
                at.column += static_cast<unsigned>(a.error_offset);
                diags_.error(at, a.error, a.hint);
                continue;
            }
            out.push_back({ast::Limit{kind, a.value, t->text}, l.key_loc, {}});
        }
    }

    void read_params(const Field& f, std::vector<ast::Statement>& out) {
        if (!visit()) return;
        if (!f.value.IsMap()) {
            expected(f.value, f.key_loc, "params (a mapping of names to values)");
            return;
        }
        std::vector<std::string> seen;
        for (auto it = f.value.begin(); it != f.value.end(); ++it) {
            SourceLocation key_loc = loc(it->first, f.key_loc);
            auto key = scalar(it->first, key_loc, "a param name");
            if (!key) continue;
            auto n = name(*key, kParamName);
            if (!n) continue;
            if (std::find(seen.begin(), seen.end(), *n) != seen.end()) {
                diags_.error(key_loc, "duplicate key `" + *n + "`", "each param is declared once");
                continue;
            }
            seen.push_back(*n);
            auto value = scalar(it->second, key_loc, "a param value (a string)");
            if (!value) continue;
            if (auto p = path(*value)) out.push_back({ast::Param{*n, std::move(*p)}, key_loc, {}});
        }
    }

    std::optional<ast::StatementBody> fs_rule(const YAML::Node& node, const SourceLocation& at) {
        auto fields = mapping(node, "filesystem-rule", "a filesystem rule", at);
        if (!fields) return std::nullopt;
        if (const Field* protect = find(*fields, "protect")) return protect_rule(*fields, *protect);
        auto eff = effect(*fields, at, "a filesystem rule");
        const Field* paths = find(*fields, "paths");
        if (!paths) diags_.error(at, "a filesystem rule needs `paths`");
        if (!eff || !paths) return std::nullopt;
        ast::FsRule rule;
        rule.effect = eff->first;
        const Field& access = *eff->second;
        bool ok = true;
        if (rule.effect == ast::Effect::Deny && access.value.IsScalar() &&
            (access.value.Scalar() == "all" || access.value.Scalar() == "secret")) {
            visit();
            rule.secret = access.value.Scalar() == "secret";
        } else if (auto words = scalars(access.value, access.key_loc, "access word")) {
            for (const Text& t : *words) {
                if (t.text == "all" || t.text == "secret") {
                    diags_.error(t.loc, rule.effect == ast::Effect::Allow
                                            ? "`allow` needs access words; `" + t.text + "` is only for `deny`"
                                            : "`" + t.text + "` stands alone: `deny: " + t.text + "`",
                                 rule.effect == ast::Effect::Allow ? "name the rights: [read, write, exec]" : "");
                    ok = false;
                } else if (!word(t, ast::kAccessWords, "access word")) {
                    ok = false;
                } else if (std::any_of(rule.access.begin(), rule.access.end(),
                                       [&](const ast::AccessWord& w) { return w.word == t.text; })) {
                    diags_.error(t.loc, "`" + t.text + "` is listed twice");
                    ok = false;
                } else {
                    rule.access.push_back({t.text, t.loc});
                }
            }
        } else {
            ok = false;
        }
        if (auto texts = scalars(paths->value, paths->key_loc, "path")) {
            for (const Text& t : *texts) {
                if (auto p = path(t))
                    rule.paths.push_back(std::move(*p));
                else
                    ok = false;
            }
        } else {
            ok = false;
        }
        if (!ok) return std::nullopt;
        return rule;
    }

    // `- protect: [PATHS]`, the form of `protect PATH…`: the paths under the key itself.
    std::optional<ast::StatementBody> protect_rule(const Fields& fields, const Field& protect) {
        for (const char* other : {"allow", "deny", "paths"})
            if (const Field* f = find(fields, other)) {
                diags_.error(f->key_loc, "`protect` stands alone: `- protect: [PATHS]`", "write the other rule as an item of its own");
                return std::nullopt;
            }
        ast::FsRule rule;
        rule.effect = ast::Effect::Deny;
        rule.protect = true;
        auto texts = scalars(protect.value, protect.key_loc, "path");
        if (!texts) return std::nullopt;
        for (const Text& t : *texts) {
            auto p = path(t);
            if (!p) return std::nullopt;
            rule.paths.push_back(std::move(*p));
        }
        return rule;
    }

    std::optional<ast::StatementBody> net_rule(const YAML::Node& node, const SourceLocation& at) {
        auto fields = mapping(node, "network-rule", "a network rule", at);
        if (!fields) return std::nullopt;
        auto eff = effect(*fields, at, "a network rule");
        if (!eff) return std::nullopt;
        auto kind_text = scalar(eff->second->value, eff->second->key_loc, "a network kind (connect, bind, udp, …)");
        if (!kind_text) return std::nullopt;
        auto kind = word(*kind_text, kYamlNetworkKinds, "network kind");
        if (!kind) return std::nullopt;
        ast::NetRule rule;
        rule.effect = eff->first;
        rule.kind = static_cast<ast::NetRule::Kind>(*kind);
        const bool takes_ports = rule.kind == ast::NetRule::Kind::ConnectTcp || rule.kind == ast::NetRule::Kind::BindTcp;
        const bool takes_paths = rule.kind == ast::NetRule::Kind::UnixConnect;
        const Field* tcp = find(*fields, "tcp");
        const Field* paths = find(*fields, "paths");
        if (takes_ports && !tcp) {
            diags_.error(at, "`" + kind_text->text + "` needs `tcp` ports", "for example: tcp: [443, 8000-8099]");
            return std::nullopt;
        }
        if (takes_paths && !paths) {
            diags_.error(at, "`unix connect` needs `paths`", "for example: paths: [\"${env:SSH_AUTH_SOCK}\"]");
            return std::nullopt;
        }
        if (!takes_ports && tcp) {
            diags_.error(tcp->key_loc, "`tcp` ports go with `connect` or `bind`, not `" + kind_text->text + "`");
            return std::nullopt;
        }
        if (!takes_paths && paths) {
            diags_.error(paths->key_loc, "`paths` go with `unix connect`, not `" + kind_text->text + "`");
            return std::nullopt;
        }
        bool ok = true;
        if (tcp) {
            auto ports = scalars(tcp->value, tcp->key_loc, "port");
            if (!ports) return std::nullopt;
            for (const Text& t : *ports) {
                const bool has_host = t.text.find(':') != std::string::npos;
                if (has_host && rule.kind == ast::NetRule::Kind::ConnectTcp) {
                    if (auto h = embedded::parse_host_ports(t.text, t.loc, diags_))
                        rule.hosts.push_back(std::move(*h));
                    else
                        ok = false;
                } else if (auto r = embedded::parse_port_range(t.text, t.loc, diags_)) {
                    rule.ports.push_back(*r);
                } else {
                    ok = false;
                }
            }
        }
        if (paths) {
            auto texts = scalars(paths->value, paths->key_loc, "path");
            if (!texts) return std::nullopt;
            for (const Text& t : *texts) {
                if (auto p = path(t))
                    rule.paths.push_back(std::move(*p));
                else
                    ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return rule;
    }

    std::optional<ast::SyscallName> syscall_name(const Text& t) {
        if (!t.text.empty() && t.text[0] == '@') {
            if (auto n = name({t.text.substr(1), t.loc}, kGroupName, "@"))
                return ast::SyscallName{*n, true, t.loc, {}};
            return std::nullopt;
        }
        if (auto n = name(t, kSyscallName))
            return ast::SyscallName{*n, false, t.loc, {}};
        return std::nullopt;
    }

    std::optional<std::vector<ast::SyscallName>> syscall_names(const YAML::Node& node, const SourceLocation& at,
                                                               bool allow_empty) {
        auto texts = scalars(node, at, "syscall name", allow_empty);
        if (!texts) return std::nullopt;
        std::vector<ast::SyscallName> names;
        bool ok = true;
        for (const Text& t : *texts) {
            if (auto n = syscall_name(t))
                names.push_back(std::move(*n));
            else
                ok = false;
        }
        if (!ok) return std::nullopt;
        return names;
    }

    void read_syscalls(const Field& f, std::vector<ast::Statement>& out) {
        auto fields = mapping(f.value, "syscalls", "`syscalls`", f.key_loc);
        if (!fields) return;
        for (const Field& sub : *fields) {
            if (sub.key == "default") {
                auto t = scalar(sub.value, sub.key_loc, "an action (allow, errno EPERM, kill, …)");
                if (!t) continue;
                if (auto action = embedded::parse_action(t->text, t->loc, diags_))
                    out.push_back({ast::SyscallDefault{std::move(*action)}, sub.key_loc, {}});
            } else {
                list(sub, "syscall rules", out,
                     [&](const YAML::Node& n, const SourceLocation& at) { return syscall_rule(n, at); });
            }
        }
    }

    std::optional<ast::StatementBody> syscall_rule(const YAML::Node& node, const SourceLocation& at) {
        auto fields = mapping(node, "syscall-rule", "a syscall rule", at);
        if (!fields) return std::nullopt;
        auto eff = effect(*fields, at, "a syscall rule");
        if (!eff) return std::nullopt;
        ast::SyscallRule rule;
        rule.effect = eff->first;
        auto names = syscall_names(eff->second->value, eff->second->key_loc, false);
        bool ok = names.has_value();
        if (names) rule.names = std::move(*names);
        // In the .nono form `if` and the action words end a rule's names (grammar.hpp,
        // reserved_after_names), so they cannot be names here either; none is a syscall.
        static constexpr std::string_view kEndOfNames[] = {"if", "allow", "errno", "kill-process", "kill-thread",
                                                           "trap", "log"};
        for (const ast::SyscallName& n : rule.names) {
            if (n.group || std::find(std::begin(kEndOfNames), std::end(kEndOfNames), n.name) == std::end(kEndOfNames))
                continue;
            diags_.error(n.loc, "`" + n.name + "` is not a syscall: in a rule it is a keyword",
                         "conditions go under `if:`, the action under `action:`");
            ok = false;
        }
        if (const Field* cond = find(*fields, "if")) {
            if (auto texts = scalars(cond->value, cond->key_loc, "condition")) {
                for (const Text& t : *texts) {
                    if (auto c = embedded::parse_condition(t.text, t.loc, diags_))
                        rule.conditions.push_back(std::move(*c));
                    else
                        ok = false;
                }
            } else {
                ok = false;
            }
        }
        if (const Field* act = find(*fields, "action")) {
            auto t = scalar(act->value, act->key_loc, "an action (allow, errno EPERM, kill, …)");
            if (t) rule.action = embedded::parse_action(t->text, t->loc, diags_);
            if (!rule.action) {
                ok = false;
            } else if (rule.effect == ast::Effect::Deny && rule.action->kind == ast::Action::Kind::Allow) {
                diags_.error(rule.action->loc, "a `deny` syscall rule cannot have the action `allow`",
                             "use `allow:` instead of `deny:`, or an action such as `errno EPERM`");
                ok = false;
            } else if (rule.effect == ast::Effect::Allow && rule.action->kind != ast::Action::Kind::Allow &&
                       rule.action->kind != ast::Action::Kind::Log) {
                diags_.error(rule.action->loc, "an `allow` syscall rule takes the action `allow` or `log`",
                             "use `deny:` to refuse a syscall");
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return rule;
    }

    std::optional<ast::StatementBody> env_rule(const YAML::Node& node, const SourceLocation& at) {
        auto fields = mapping(node, "env-rule", "an env rule", at);
        if (!fields) return std::nullopt;
        const Field* chosen = nullptr;
        ast::EnvRule rule;
        for (auto [key, kind] : {std::pair{"keep", ast::EnvRule::Kind::Keep}, std::pair{"drop", ast::EnvRule::Kind::Drop},
                                 std::pair{"set", ast::EnvRule::Kind::Set}}) {
            const Field* f = find(*fields, key);
            if (!f) continue;
            if (chosen) {
                diags_.error(f->key_loc, "an env rule has one of `keep`, `drop` or `set`");
                return std::nullopt;
            }
            chosen = f;
            rule.kind = kind;
        }
        if (!chosen) {
            diags_.error(at, "an env rule needs `keep`, `drop` or `set`");
            return std::nullopt;
        }
        const Field* value = find(*fields, "value");
        if (rule.kind != ast::EnvRule::Kind::Set) {
            if (value) {
                diags_.error(value->key_loc, "`value` goes with `set`");
                return std::nullopt;
            }
            auto texts = scalars(chosen->value, chosen->key_loc, "variable name");
            if (!texts) return std::nullopt;
            bool ok = true;
            for (const Text& t : *texts) {
                if (auto n = name(t, kEnvName))
                    rule.names.push_back(*n);
                else
                    ok = false;
            }
            if (!ok) return std::nullopt;
            return rule;
        }
        auto t = scalar(chosen->value, chosen->key_loc, "a variable name");
        if (!t) return std::nullopt;
        auto n = name(*t, kEnvName);
        if (!value) diags_.error(at, "`set` needs a `value`", "for example: {set: LANG, value: C.UTF-8}");
        if (!n || !value) return std::nullopt;
        rule.names.push_back(*n);
        auto v = scalar(value->value, value->key_loc, "a value (a string)");
        if (!v) return std::nullopt;
        rule.value = path(*v, embedded::parse_value);
        if (!rule.value) return std::nullopt;
        return rule;
    }

    std::optional<ast::StatementBody> macos_rule(const YAML::Node& node, const SourceLocation& at) {
        auto fields = mapping(node, "macos-rule", "a macOS rule", at);
        if (!fields) return std::nullopt;
        auto eff = effect(*fields, at, "a macOS rule");
        if (!eff) return std::nullopt;
        auto kind_text = scalar(eff->second->value, eff->second->key_loc, "mach-lookup or sysctl-read");
        if (!kind_text) return std::nullopt;
        auto kind = word(*kind_text, kYamlMacosKinds, "macOS rule");
        if (!kind) return std::nullopt;
        ast::MacosRule rule;
        rule.effect = eff->first;
        rule.kind = static_cast<ast::MacosRule::Kind>(*kind);
        const Field* names = find(*fields, "names");
        if (rule.kind == ast::MacosRule::Kind::SysctlRead) {
            if (names) {
                diags_.error(names->key_loc, "`names` goes with `mach-lookup`");
                return std::nullopt;
            }
            return rule;
        }
        if (!names) {
            diags_.error(at, "`mach-lookup` needs `names`", "for example: names: [com.apple.system.logger]");
            return std::nullopt;
        }
        auto texts = scalars(names->value, names->key_loc, "service name");
        if (!texts) return std::nullopt;
        bool ok = true;
        for (const Text& t : *texts) {
            if (auto n = name(t, kServiceName))
                rule.names.push_back(*n);
            else
                ok = false;
        }
        if (!ok) return std::nullopt;
        return rule;
    }

    void read_platforms(const Field& f, std::vector<ast::Statement>& out) {
        auto fields = mapping(f.value, "platforms", "`on`", f.key_loc);
        if (!fields) return;
        for (const Field& sub : *fields) {
            bool macos = sub.key == "macos";
            auto body = mapping(sub.value, macos ? "macos-block" : "linux-block",
                                macos ? "an `on: macos` block" : "an `on: linux` block", sub.key_loc);
            if (!body) continue;
            ast::PlatformBlock block;
            block.platform = macos ? ast::Platform::Macos : ast::Platform::Linux;
            read_body(*body, block.statements);
            out.push_back({std::move(block), sub.key_loc, {}});
        }
    }

    void read_groups(const Field& f, std::vector<ast::Statement>& out) {
        if (!visit()) return;
        if (!f.value.IsMap()) {
            expected(f.value, f.key_loc, "syscall groups (a mapping of group names to syscall names)");
            return;
        }
        std::vector<std::string> seen;
        for (auto it = f.value.begin(); it != f.value.end(); ++it) {
            SourceLocation key_loc = loc(it->first, f.key_loc);
            auto key = scalar(it->first, key_loc, "a group name");
            if (!key) continue;
            if (key->text.starts_with("@")) key->text.erase(0, 1);
            auto n = name(*key, kGroupName, "@");
            if (!n) continue;
            if (std::find(seen.begin(), seen.end(), *n) != seen.end()) {
                diags_.error(key_loc, "duplicate key `" + *n + "`", "each group is defined once");
                continue;
            }
            seen.push_back(*n);
            auto members = syscall_names(it->second, key_loc, true);
            if (!members) continue;
            out.push_back({ast::SyscallGroup{*n, std::move(*members), key_loc, {}}, key_loc, {}});
        }
    }
};

SourceLocation location(const std::string& path, const YAML::Mark& m) {
    if (m.is_null() || m.line < 0 || m.column < 0) return {path, 0, 0};
    return {path, static_cast<unsigned>(m.line + 1), static_cast<unsigned>(m.column + 1)};
}

// Where a YAML document starts and where its first value stands; nothing else is kept.
class DocumentProbe : public YAML::EventHandler {
public:
    YAML::Mark start = YAML::Mark::null_mark();
    std::optional<YAML::Mark> content;

    void OnDocumentStart(const YAML::Mark& m) override { start = m; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { note(m); }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        note(m);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        note(m);
    }
    void OnMapEnd() override {}

private:
    void note(const YAML::Mark& m) {
        if (!content) content = m;
    }
};

// Just after the last non-blank character of the text.
SourceLocation end_of_last_token(std::string_view text, const std::string& path) {
    std::size_t last = text.find_last_not_of(" \t\r\n");
    if (last == std::string_view::npos) return {path, 1, 1};
    std::size_t line_start = text.rfind('\n', last);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    auto line = static_cast<unsigned>(std::count(text.begin(), text.begin() + static_cast<long>(last), '\n') + 1);
    return {path, line, static_cast<unsigned>(last - line_start + 2)};
}

}  // namespace

ast::File parse_yaml(std::string_view text, const std::string& path, Diagnostics& diags) {
    if (text.size() > kMaxYamlBytes) {
        diags.error({path, 0, 0}, "file too large (" + std::to_string(text.size()) + " bytes; at most " +
                                      std::to_string(kMaxYamlBytes / 1024) + " KiB for a YAML profile)");
        return ast::File{path, {}, {}, 0, {}};
    }
    if (text.find('\0') != std::string_view::npos) {
        diags.error({path, 0, 0}, "a YAML profile may not contain NUL bytes");
        return ast::File{path, {}, {}, 0, {}};
    }
    // Not YAML::LoadAll: in yaml-cpp 0.7 it loops forever, allocating, on input such as
    // "," (jbeder/yaml-cpp#1040, fixed upstream after 0.7). The probe reads at most two
    // documents; the first is then loaded on its own.
    const std::string owned(text);
    DocumentProbe first, second;
    bool has_document = false, has_second = false;
    YAML::Node root;
    try {
        std::istringstream in(owned);
        YAML::Parser parser(in);
        has_document = parser.HandleNextDocument(first);
        has_second = has_document && parser.HandleNextDocument(second);
        if (has_second && second.start.pos == first.start.pos) {
            // The parser stopped making progress: that is a token it cannot place.
            const auto pos = static_cast<std::size_t>(std::max(0, first.start.pos));
            const std::string token = pos < text.size() ? std::string(1, text[pos]) : std::string();
            diags.error(location(path, first.start), "invalid YAML: unexpected `" + token + "`");
            return ast::File{path, {}, {}, 0, {}};
        }
        if (has_document && !has_second) root = YAML::Load(owned);
    } catch (const YAML::Exception& e) {
        SourceLocation at = e.mark.is_null() ? SourceLocation{path, 0, 0} : location(path, e.mark);
        // What is missing at the end of the file is missing after its last token.
        if (!e.mark.is_null() && e.mark.pos >= 0 &&
            text.find_first_not_of(" \t\r\n", static_cast<std::size_t>(e.mark.pos)) == std::string_view::npos)
            at = end_of_last_token(text, path);
        diags.error(at, "invalid YAML: " + yaml_error_message(e.msg));
        return ast::File{path, {}, {}, 0, {}};
    } catch (const std::exception& e) {
        diags.error({path, 0, 0}, std::string("cannot read YAML: ") + e.what());
        return ast::File{path, {}, {}, 0, {}};
    }
    if (has_second) {
        diags.error(location(path, second.content.value_or(second.start)), "a profile file holds one YAML document",
                    "remove the second `---` document or split the file");
        return ast::File{path, {}, {}, 0, {}};
    }
    Reader reader(text, path, diags);
    ast::File file = has_document ? reader.read(root) : ast::File{path, {}, {}, 0, {}};
    if (!file.profile && file.items.empty() && !diags.has_errors())
        diags.error({path, 1, 1}, "no profile in this file", "a profile starts with `profile: NAME`");
    attach_comments(file, scan_comments(text, path));
    return file;
}

}  // namespace nono
