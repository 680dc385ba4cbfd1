// Stage 1b: .nono text → ast::File in one pass. PEGTL actions build the AST while the
// grammar matches; the checks that need no other file (known words, ranges, limits,
// placement) are made here, where the exact source location is at hand. Names that
// need other files (variables, parents, syscalls, constants) are left to the resolver.
#include "grammar/parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <type_traits>

#include "core/suggest.hpp"
#include "grammar/errors.hpp"
#include "plan/net_address.hpp"

namespace nono {

namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;

constexpr std::size_t kMaxStatements = 500'000;
constexpr std::size_t kMaxPathBytes = 4096;
constexpr std::size_t kMaxBlockDepth = 4;  // file, profile, `on`, and one nested `on` to report
constexpr std::size_t kMaxErrors = 50;

// Thrown when going on would only produce noise or cost too much.
struct parsing_stopped {};

const std::vector<std::string> kProfileKeywords = {"allow", "deny", "param", "description", "syscalls", "env", "limit", "protect", "on"};
const std::vector<std::string> kTopKeywords = {"profile", "syscall-group"};
const std::vector<std::string> kRuleKeywords = {"syscall", "connect", "bind", "udp", "network", "loopback",
                                                "unix", "signal", "abstract-socket", "mach-lookup", "sysctl-read"};
const std::vector<std::string> kActionWords = {"allow", "errno", "kill-process", "kill-thread", "trap", "log"};
const std::vector<std::string> kPlatforms = {"linux", "macos"};

std::vector<std::string> access_words() { return {std::begin(ast::kAccessWords), std::end(ast::kAccessWords)}; }

bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The name rules of docs/language.md.
bool is_profile_name(std::string_view s) {  // [a-z0-9][a-z0-9._-]*  (also group names)
    return !s.empty() && is_lower_or_digit(s[0]) &&
           std::all_of(s.begin(), s.end(), [](char c) { return is_lower_or_digit(c) || c == '.' || c == '_' || c == '-'; });
}
bool is_param_name(std::string_view s) {  // [a-z_][a-z0-9_]*
    return !s.empty() && !is_digit(s[0]) &&
           std::all_of(s.begin(), s.end(), [](char c) { return is_lower_or_digit(c) || c == '_'; });
}
bool is_syscall_name(std::string_view s) {  // [a-z0-9_]+
    return std::all_of(s.begin(), s.end(), [](char c) { return is_lower_or_digit(c) || c == '_'; });
}
bool is_env_name(std::string_view s) {  // [A-Za-z_][A-Za-z0-9_]*
    return !s.empty() && !is_digit(s[0]) &&
           std::all_of(s.begin(), s.end(), [](char c) { return is_letter(c) || is_digit(c) || c == '_'; });
}

// A word as quoted in a message: long input is cut, so one bad token cannot flood the output.
std::string shown(std::string_view word) {
    return word.size() <= 40 ? std::string(word) : std::string(word.substr(0, 40)) + "…";
}

// did_you_mean, except for words far longer than any candidate (and costly to compare).
std::string suggest(std::string_view word, const std::vector<std::string>& candidates) {
    return word.size() > ast::kMaxNameBytes ? std::string() : did_you_mean(word, candidates);
}

std::string comment_text(std::string_view matched) {
    matched.remove_prefix(1);  // '#'
    while (!matched.empty() && (matched.back() == ' ' || matched.back() == '\t')) matched.remove_suffix(1);
    return std::string(matched);
}

// Removes the backslash of each escape: `\"` → `"`, `\\` → `\`, `\$` → `$`.
std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        out += s[i];
    }
    return out;
}

// One level of nesting: the file, the profile, an `on` block.
// The parts of the statement being parsed, collected as its rules match, before they are
// put together; they go with the statement, parsed or dropped.
struct StatementParts {
    ast::Effect effect = ast::Effect::Allow;
    ast::Path path;
    ast::Value value;
    ast::Condition condition;
    ast::Action action;
    ast::PortRange port;
    std::optional<ast::HostPorts> host;  // `HOST:` seen, its ports next
};

// One level of nesting: the file, the profile, an `on` block.
struct Frame {
    enum class Kind { File, Profile, Platform };
    Kind kind = Kind::File;
    std::vector<ast::Statement> statements;
    ast::Statement current;  // the statement being parsed at this level
    StatementParts parts;    // and its parts
    std::size_t open_line = 0;  // the line of the block's `{`
    std::optional<ast::Comment> header_comment;  // after the `{`
};

// The profile being parsed. A file holds one: the first.
struct ProfileScope {
    ast::Profile profile;
    std::optional<SourceLocation> first;        // where the file's first profile starts
    std::optional<SourceLocation> description;  // where this profile's description is
    bool is_top_statement = false;              // the top-level statement being parsed is a profile
};

// Comments and a blank line seen since the last statement: they belong to the next one.
struct PendingComments {
    std::vector<ast::Comment> lines;
    bool blank_line = false;
};

// The state the actions fill, by scope: the file's AST, the open blocks (each with the
// statement being parsed in it), the profile, the comments waiting for a statement.
class Builder {
public:
    // `max_errors`: after so many errors in the run, parsing stops (a file's worth of noise).
    Builder(std::string_view text, const FileName& path, Diagnostics& diags, std::size_t max_errors = kMaxErrors)
        : text_(text), path_(path), diags_(diags), max_errors_(max_errors) {
        frames_.emplace_back();
        file_.path = path;
    }

    ast::File& file() { return file_; }
    ProfileScope& profile() { return profile_; }
    PendingComments& pending() { return pending_; }

    // From the input's iterator, which eager tracking keeps current: in.position() would
    // copy the file name into a std::string for every location.
    template <typename Input>
    SourceLocation loc(const Input& in, int column_shift = 0) const {
        const auto& at = in.iterator();
        return {path_, static_cast<unsigned>(at.line), static_cast<unsigned>(static_cast<int>(at.column) + column_shift)};
    }

    // The innermost open block, and the one around it.
    Frame& frame() { return frames_.back(); }
    const Frame& enclosing_frame() const { return frames_[frames_.size() - 2]; }
    std::size_t open_blocks() const { return frames_.size(); }
    void open_block(Frame f) { frames_.push_back(std::move(f)); }
    Frame close_block() {
        Frame f = std::move(frames_.back());
        frames_.pop_back();
        return f;
    }
    ast::Statement& current() { return frame().current; }
    StatementParts& parts() { return frame().parts; }
    std::vector<ast::Statement>& file_statements() { return frames_.front().statements; }
    template <typename T>
    T* body() { return std::get_if<T>(&current().body); }

    void error(SourceLocation at, std::string message, std::string hint = {}) {
        diags_.error(std::move(at), std::move(message), std::move(hint));
        if (diags_.error_count() >= max_errors_) {
            diags_.note({path_, 0, 0}, "too many errors; stopping here");
            throw parsing_stopped{};
        }
    }
    [[noreturn]] void abandon(SourceLocation at, std::string message, std::string hint = {}) {
        error(std::move(at), std::move(message), std::move(hint));
        throw g::statement_abandoned{};
    }

    // A must<> failed. A missing token is reported just after the previous token rather
    // than at whatever follows (a comment, the next line).
    void report(const pegtl::parse_error& e) {
        const auto& p = e.positions().front();
        std::size_t byte = p.byte;
        std::size_t column = p.column;
        std::string message(e.message());
        SourceLocation at{path_, static_cast<unsigned>(p.line), static_cast<unsigned>(column)};
        const char next = byte < text_.size() ? text_[byte] : '\0';
        if (byte >= text_.size()) {
            while (byte > 0 && std::isspace(static_cast<unsigned char>(text_[byte - 1]))) --byte;
            at = location_of(byte);
        } else if (next == '\0') {
            message = "unexpected NUL byte";
        } else if (next == '\n' || next == '\r' || next == '#' || next == '}') {
            while (column > 1 && (text_[byte - 1] == ' ' || text_[byte - 1] == '\t')) --byte, --column;
            at.column = static_cast<unsigned>(column);
        }
        if (at == last_error_) return;  // one missing `}` closes several blocks
        last_error_ = at;
        error(std::move(at), std::move(message));
    }

    SourceLocation location_of(std::size_t byte) const {
        const std::string_view before = text_.substr(0, byte);
        const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
        return {path_, static_cast<unsigned>(1 + std::count(before.begin(), before.end(), '\n')),
                static_cast<unsigned>(byte - line_start + 1)};
    }

    std::size_t depth() const { return frames_.size(); }
    void discard_statement(std::size_t depth) {
        frames_.resize(depth);
        frame().current = {};
        frame().parts = {};
    }
    bool in_one_line_block(std::size_t line) const { return frames_.size() > 1 && frames_.back().open_line == line; }

    std::vector<ast::Comment> take_pending_comments() { return std::exchange(pending_.lines, {}); }

    void check_name(std::string_view name, const SourceLocation& at) {
        if (name.size() > ast::kMaxNameBytes)
            abandon(at, ast::name_too_long(name.size()));
    }

    void push_statement() {
        if (++statement_count_ > kMaxStatements) {
            error(current().loc, "too many statements (more than " + std::to_string(kMaxStatements) + ")");
            throw parsing_stopped{};
        }
        frame().statements.push_back(std::move(current()));
        current() = {};
        parts() = {};
    }

private:
    std::string_view text_;
    const FileName path_;  // interned once: every location copies it
    Diagnostics& diags_;
    std::size_t max_errors_;
    SourceLocation last_error_;
    ast::File file_;
    std::vector<Frame> frames_;  // the open blocks, innermost last
    ProfileScope profile_;
    PendingComments pending_;
    std::size_t statement_count_ = 0;
};

// Parses digits in `base` into a 64-bit number, or abandons the statement.
std::uint64_t read_number(Builder& b, std::string_view digits, int base, const SourceLocation& at) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, base);
    if (ec != std::errc{} || end != digits.data() + digits.size()) b.abandon(at, "number too large (more than 64 bits)");
    return n;
}

// Ports saturate instead of overflowing, so 99999999999 is "out of range", not a crash.
std::uint32_t read_port(std::string_view digits) {
    std::uint32_t n = 0;
    for (char c : digits) n = std::min<std::uint32_t>(n * 10 + static_cast<std::uint32_t>(c - '0'), 1'000'000);
    return n;
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

// ---- Comments and statements -------------------------------------------------------------

template <>
struct action<g::empty_line> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        if (b.pending().lines.empty()) b.pending().blank_line = true;
    }
};

template <>
struct action<g::line_comment> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.pending().lines.push_back({comment_text(in.string_view()), b.loc(in)});
    }
};

template <>
struct action<g::trailing_comment> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        ast::Comment c{comment_text(in.string_view()), b.loc(in)};
        // After a block's `}` (its header line has the statement's trailing comment), a
        // comment is kept as a comment line.
        const bool is_block = b.body<ast::PlatformBlock>() || b.body<ast::SyscallGroup>();
        if (is_block || b.current().comments.trailing)
            b.pending().lines.push_back(std::move(c));
        else
            b.current().comments.trailing = std::move(c);
    }
};

template <>
struct action<g::header_comment> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.frame().header_comment = ast::Comment{comment_text(in.string_view()), b.loc(in)};
    }
};

template <>
struct action<g::begin_statement> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.current() = {};
        b.current().loc = b.loc(in);
        b.current().comments.leading = b.take_pending_comments();
        b.current().blank_line_before = std::exchange(b.pending().blank_line, false);
    }
};

template <>
struct action<g::statement> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.push_statement();
    }
};

template <>
struct action<g::top_statement> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        if (std::exchange(b.profile().is_top_statement, false)) {
            // The profile was stored when it closed; a comment after its `}` stays a comment.
            if (b.current().comments.trailing) b.pending().lines.push_back(*b.current().comments.trailing);
            b.current() = {};
        } else {
            b.push_statement();
        }
    }
};

template <>
struct action<g::unknown_statement> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const std::string word = in.string();
        if (word == "profile") b.abandon(b.loc(in), "a profile cannot be defined inside another profile");
        if (word == "syscall-group")
            b.abandon(b.loc(in), "syscall groups are defined outside the profile",
                      "move `syscall-group` to the top level of the file");
        b.abandon(b.loc(in), "unknown statement `" + shown(word) + "`", suggest(word, kProfileKeywords));
    }
};

template <>
struct action<g::misplaced_statement> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const std::string word = in.string();
        if (std::find(kProfileKeywords.begin(), kProfileKeywords.end(), word) != kProfileKeywords.end())
            b.abandon(b.loc(in), "`" + word + "` belongs inside a profile", "write it inside `profile NAME { … }`");
        b.abandon(b.loc(in), "unknown statement `" + shown(word) + "`", suggest(word, kTopKeywords));
    }
};

// ---- profile ---------------------------------------------------------------------------

template <>
struct action<g::kw_profile> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.profile().is_top_statement = true;
        if (b.profile().first)
            b.error(b.loc(in), "a file holds one profile; the first one starts at line " +
                                   std::to_string(b.profile().first->line));
        else
            b.profile().first = b.loc(in);
        b.profile().profile = {};
        b.profile().profile.loc = b.loc(in);
        b.profile().profile.comments = std::move(b.current().comments);
        Frame f;
        f.kind = Frame::Kind::Profile;
        b.open_block(std::move(f));
    }
};

template <>
struct action<g::profile_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        if (!is_profile_name(in.string_view()))
            b.error(b.loc(in), "invalid profile name `" + in.string() + "`",
                    "profile names use a-z, 0-9, `.`, `_` and `-`, and start with a letter or digit");
        b.profile().profile.name = in.string();
    }
};

template <>
struct action<g::parent_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const std::string name = in.string();
        b.check_name(name, b.loc(in));
        if (!is_profile_name(name))
            b.error(b.loc(in), "invalid parent profile name `" + name + "`",
                    "profile names use a-z, 0-9, `.`, `_` and `-`, and start with a letter or digit");
        for (const ast::Parent& p : b.profile().profile.parents)
            if (p.name == name) b.error(b.loc(in), "`" + name + "` is already a parent of this profile");
        b.profile().profile.parents.push_back({name, b.loc(in)});
    }
};

template <>
struct action<g::opening_profile_brace> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.frame().open_line = in.iterator().line;
    }
};

template <>
struct action<g::closing_profile_brace> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        Frame f = b.close_block();
        b.profile().profile.statements = std::move(f.statements);
        b.profile().profile.closing_comments = b.take_pending_comments();
        if (f.header_comment) b.profile().profile.comments.trailing = std::move(f.header_comment);
        if (b.profile().first == b.profile().profile.loc) {
            b.file().profile = std::move(b.profile().profile);
            b.file().profile_index = b.frame().statements.size();
        }
    }
};

// ---- on linux|macos { … } ------------------------------------------------------------------

template <>
struct action<g::kw_on> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        if (b.frame().kind == Frame::Kind::Platform)
            b.error(b.loc(in), "platform blocks do not nest", "close the enclosing `on` block first");
        b.current().body = ast::PlatformBlock{};
    }
};

template <>
struct action<g::platform_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const std::string name = in.string();
        auto& block = std::get<ast::PlatformBlock>(b.current().body);
        if (name == "linux")
            block.platform = ast::Platform::Linux;
        else if (name == "macos")
            block.platform = ast::Platform::Macos;
        else
            b.error(b.loc(in), "unknown platform `" + shown(name) + "`; the platforms are `linux` and `macos`",
                    suggest(name, kPlatforms));
    }
};

template <>
struct action<g::opening_block_brace> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        // Checked before the body is parsed: this is what bounds the parser's recursion.
        if (b.open_blocks() >= kMaxBlockDepth) {
            b.error(b.loc(in), "blocks nested too deeply");
            throw parsing_stopped{};
        }
        Frame f;
        f.kind = Frame::Kind::Platform;
        f.open_line = in.iterator().line;
        b.open_block(std::move(f));
    }
};

template <>
struct action<g::closing_block_brace> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        Frame f = b.close_block();
        auto& block = std::get<ast::PlatformBlock>(b.current().body);
        block.statements = std::move(f.statements);
        block.closing_comments = b.take_pending_comments();
        if (f.header_comment) b.current().comments.trailing = std::move(f.header_comment);
    }
};

// ---- syscall-group @name { … } -----------------------------------------------------------

template <>
struct action<g::kw_syscall_group> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.current().body = ast::SyscallGroup{};
    }
};

template <>
struct action<g::defined_group_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        if (!is_profile_name(in.string_view()))
            b.error(b.loc(in, -1), "invalid group name `@" + in.string() + "`",
                    "group names use a-z, 0-9, `.`, `_` and `-`, and start with a letter or digit");
        auto& group = *b.body<ast::SyscallGroup>();
        group.name = in.string();
        group.loc = b.loc(in, -1);
    }
};

template <>
struct action<g::group_member_comment> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        ast::Comment c{comment_text(in.string_view()), b.loc(in)};
        auto& members = b.body<ast::SyscallGroup>()->members;
        if (members.empty() && b.pending().lines.empty() && c.loc.line == b.current().loc.line)
            b.current().comments.trailing = std::move(c);
        else if (!members.empty() && members.back().loc.line == c.loc.line && !members.back().comments.trailing)
            members.back().comments.trailing = std::move(c);
        else
            b.pending().lines.push_back(std::move(c));
    }
};

template <>
struct action<g::closing_group_brace> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.body<ast::SyscallGroup>()->closing_comments = b.take_pending_comments();
    }
};

// A syscall or @group, in a syscall rule or in a group's body.
void add_syscall_name(Builder& b, ast::SyscallName name) {
    if (auto* rule = b.body<ast::SyscallRule>()) {
        rule->names.push_back(std::move(name));
    } else {
        name.comments.leading = b.take_pending_comments();
        b.body<ast::SyscallGroup>()->members.push_back(std::move(name));
    }
}

template <>
struct action<g::group_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        if (!is_profile_name(in.string_view()))
            b.error(b.loc(in, -1), "invalid group name `@" + in.string() + "`",
                    "group names use a-z, 0-9, `.`, `_` and `-`, and start with a letter or digit");
        add_syscall_name(b, {in.string(), true, b.loc(in, -1), {}});
    }
};

template <>
struct action<g::syscall_word> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        if (!is_syscall_name(in.string_view()))
            b.error(b.loc(in), "invalid syscall name `" + in.string() + "`",
                    "syscall names use a-z, 0-9 and `_`; a group is written `@name`");
        add_syscall_name(b, {in.string(), false, b.loc(in), {}});
    }
};

// ---- description, param, env, syscalls default ------------------------------------------------

template <>
struct action<g::kw_description> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        if (b.frame().kind != Frame::Kind::Profile)
            b.error(b.loc(in), "`description` belongs at the profile level, not inside an `on` block");
        else if (b.profile().description)
            b.error(b.loc(in), "duplicate description; the first one is at line " + std::to_string(b.profile().description->line));
        else
            b.profile().description = b.loc(in);
        b.current().body = ast::Description{};
    }
};

template <>
struct action<g::description_text> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.body<ast::Description>()->text = unescape(in.string_view());
    }
};

template <>
struct action<g::kw_param> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.current().body = ast::Param{};
    }
};

template <>
struct action<g::param_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        if (!is_param_name(in.string_view()))
            b.error(b.loc(in), "invalid parameter name `" + in.string() + "`",
                    "parameter names use a-z, 0-9 and `_` and do not start with a digit");
        b.body<ast::Param>()->name = in.string();
    }
};

template <>
struct action<g::kw_env> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.current().body = ast::EnvRule{};
    }
};

template <>
struct action<g::kw_keep> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.body<ast::EnvRule>()->kind = ast::EnvRule::Kind::Keep;
    }
};

template <>
struct action<g::kw_drop> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.body<ast::EnvRule>()->kind = ast::EnvRule::Kind::Drop;
    }
};

template <>
struct action<g::kw_set> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.body<ast::EnvRule>()->kind = ast::EnvRule::Kind::Set;
    }
};

template <>
struct action<g::env_variable> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        if (!is_env_name(in.string_view()))
            b.error(b.loc(in), "invalid environment variable name `" + in.string() + "`",
                    "names use A-Z, a-z, 0-9 and `_` and do not start with a digit");
        b.body<ast::EnvRule>()->names.push_back(in.string());
    }
};

template <>
struct action<g::kw_protect> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        ast::FsRule rule;
        rule.effect = ast::Effect::Deny;
        rule.protect = true;
        b.current().body = std::move(rule);
    }
};

template <>
struct action<g::kw_limit> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.current().body = ast::Limit{};
    }
};

template <>
struct action<g::limit_kind> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const std::optional<limits::Kind> kind = limits::kind_named(in.string_view());
        if (!kind) b.abandon(b.loc(in), "unknown limit `" + shown(in.string_view()) + "`", suggest(in.string_view(), limits::kind_names()));
        b.body<ast::Limit>()->kind = *kind;
    }
};

template <>
struct action<g::limit_amount> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        ast::Limit& limit = *b.body<ast::Limit>();
        const limits::Amount amount = limits::parse_amount(limit.kind, in.string_view());
        if (!amount.error.empty())
            b.abandon(b.loc(in, static_cast<int>(amount.error_offset)), amount.error, amount.hint);
        limit.amount = amount.value;
        limit.written = in.string();
    }
};

template <>
struct action<g::kw_syscalls> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.current().body = ast::SyscallDefault{};
    }
};

// ---- Values, conditions, actions ------------------------------------------------------------

template <int Base, int PrefixLength>
struct number_action {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const SourceLocation at = b.loc(in);
        const std::uint64_t n = read_number(b, in.string_view().substr(PrefixLength), Base, at);
        b.parts().value.terms.push_back({n, {}, at, in.string()});
    }
};
template <>
struct action<g::decimal_number> : number_action<10, 0> {};
template <>
struct action<g::hex_number> : number_action<16, 2> {};
template <>
struct action<g::octal_number> : number_action<8, 2> {};
template <>
struct action<g::binary_number> : number_action<2, 2> {};

template <>
struct action<g::constant_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        b.parts().value.terms.push_back({std::nullopt, in.string(), b.loc(in), {}});
    }
};

template <typename Input>
ast::Value take_value(const Input& in, Builder& b) {
    ast::Value v = std::exchange(b.parts().value, {});
    v.loc = b.loc(in);
    return v;
}

template <>
struct action<g::errno_value> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        ast::Value v = take_value(in, b);
        if (v.terms.size() == 1 && v.terms[0].number && (*v.terms[0].number < 1 || *v.terms[0].number > 4095))
            b.error(v.loc, "errno " + std::to_string(*v.terms[0].number) + " is out of range (1-4095)");
        b.parts().action.errno_value = std::move(v);
    }
};

template <>
struct action<g::compared_value> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.parts().condition.values.push_back(take_value(in, b));
    }
};
template <>
struct action<g::masked_value> : action<g::compared_value> {};
template <>
struct action<g::listed_value> : action<g::compared_value> {};

template <>
struct action<g::mask_value> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.parts().condition.mask = take_value(in, b);
    }
};

template <>
struct action<g::argument_index> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.parts().condition = {};
        b.parts().condition.loc = b.loc(in, -3);
        const std::string_view digits = in.string_view();
        if (digits.size() != 1 || digits[0] > '5')
            b.error(b.parts().condition.loc, "unknown argument `arg" + std::string(digits) + "`; syscalls have arg0 to arg5");
        else
            b.parts().condition.arg = static_cast<unsigned>(digits[0] - '0');
    }
};

template <ast::Condition::Op Op>
struct operator_action {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.parts().condition.op = Op;
    }
};
template <>
struct action<g::op_eq> : operator_action<ast::Condition::Op::Eq> {};
template <>
struct action<g::op_ne> : operator_action<ast::Condition::Op::Ne> {};
template <>
struct action<g::op_lt> : operator_action<ast::Condition::Op::Lt> {};
template <>
struct action<g::op_le> : operator_action<ast::Condition::Op::Le> {};
template <>
struct action<g::op_gt> : operator_action<ast::Condition::Op::Gt> {};
template <>
struct action<g::op_ge> : operator_action<ast::Condition::Op::Ge> {};
template <>
struct action<g::mask_equals> : operator_action<ast::Condition::Op::MaskedEq> {};
template <>
struct action<g::kw_in> : operator_action<ast::Condition::Op::In> {};

template <>
struct action<g::condition> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.body<ast::SyscallRule>()->conditions.push_back(std::exchange(b.parts().condition, {}));
    }
};

// The action word just matched; an errno value, if any, was stored by errno_value.
template <typename Input>
void read_action(const Input& in, Builder& b) {
    const std::string_view word = in.string_view();
    using Kind = ast::Action::Kind;
    b.parts().action.loc = b.loc(in);
    if (word.starts_with("errno"))
        b.parts().action.kind = Kind::Errno;
    else if (word == "allow")
        b.parts().action.kind = Kind::Allow;
    else if (word == "kill-process")
        b.parts().action.kind = Kind::Kill;
    else if (word == "kill-thread")
        b.parts().action.kind = Kind::KillThread;
    else if (word == "trap")
        b.parts().action.kind = Kind::Trap;
    else
        b.parts().action.kind = Kind::Log;
}

template <>
struct action<g::syscall_action> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        read_action(in, b);
    }
};

template <>
struct action<g::default_action> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.body<ast::SyscallDefault>()->action = std::exchange(b.parts().action, {});
    }
};

template <>
struct action<g::unknown_action> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const std::string word = in.string();
        b.abandon(b.loc(in), "unknown action `" + shown(word) + "`",
                  word == "kill" ? "the action is `kill-process` (`kill` names the kill syscall)"
                                 : suggest(word, kActionWords));
    }
};

template <>
struct action<g::rule_action> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        read_action(in, b);
        auto& rule = *b.body<ast::SyscallRule>();
        using Kind = ast::Action::Kind;
        if (rule.effect == ast::Effect::Deny && b.parts().action.kind == Kind::Allow)
            b.error(b.parts().action.loc, "`deny syscall` cannot have the action `allow`",
                    "use `allow syscall …`, or an action such as `errno EPERM`");
        if (rule.effect == ast::Effect::Allow && b.parts().action.kind != Kind::Allow && b.parts().action.kind != Kind::Log)
            b.error(b.parts().action.loc, "`allow syscall` takes the action `allow` or `log`",
                    "use `deny syscall …` to refuse a syscall");
        rule.action = std::exchange(b.parts().action, {});
    }
};

// ---- allow / deny -----------------------------------------------------------------------

template <>
struct action<g::effect> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.parts().effect = in.string_view() == "allow" ? ast::Effect::Allow : ast::Effect::Deny;
    }
};

template <>
struct action<g::kw_syscall> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        ast::SyscallRule rule;
        rule.effect = b.parts().effect;
        b.current().body = std::move(rule);
    }
};

template <ast::NetRule::Kind Kind>
struct net_action {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        ast::NetRule rule;
        rule.effect = b.parts().effect;
        rule.kind = Kind;
        b.current().body = std::move(rule);
    }
};
template <>
struct action<g::kw_connect> : net_action<ast::NetRule::Kind::ConnectTcp> {};
template <>
struct action<g::kw_bind> : net_action<ast::NetRule::Kind::BindTcp> {};
template <>
struct action<g::udp_rule> : net_action<ast::NetRule::Kind::Udp> {};
template <>
struct action<g::network_rule> : net_action<ast::NetRule::Kind::Network> {};
template <>
struct action<g::kw_unix> : net_action<ast::NetRule::Kind::Unix> {};
template <>
struct action<g::loopback_rule> : net_action<ast::NetRule::Kind::Loopback> {};

template <>
struct action<g::unix_connect_word> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.body<ast::NetRule>()->kind = ast::NetRule::Kind::UnixConnect;
    }
};

template <>
struct action<g::host_prefix> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const std::string_view text = in.string_view().substr(0, in.size() - 1);
        b.parts().host = ast::HostPorts{std::string(text), {}, b.loc(in)};
        const auto parsed = net::parse_host(text);
        if (const auto* problem = std::get_if<std::string>(&parsed)) b.error(b.parts().host->loc, *problem);
    }
};
template <>
struct action<g::kw_signal> : net_action<ast::NetRule::Kind::SignalOutside> {};
template <>
struct action<g::kw_abstract_socket> : net_action<ast::NetRule::Kind::AbstractSocketOutside> {};

template <>
struct action<g::port_first> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.parts().port.first = b.parts().port.last = read_port(in.string_view());
        b.parts().port.loc = b.loc(in);
    }
};

template <>
struct action<g::port_last> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.parts().port.last = read_port(in.string_view());
    }
};

template <>
struct action<g::port_range> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const ast::PortRange p = std::exchange(b.parts().port, {});
        if (p.first < 1 || p.first > 65535 || p.last < 1 || p.last > 65535)
            b.error(p.loc, "port `" + shown(in.string_view()) + "` is out of range (1-65535)");
        else if (p.first > p.last)
            b.error(p.loc, "port range `" + shown(in.string_view()) + "` is empty: the first port is greater than the last",
                    "write `" + std::to_string(p.last) + "-" + std::to_string(p.first) + "`");
        if (b.parts().host) {
            b.parts().host->ports = p;
            b.body<ast::NetRule>()->hosts.push_back(*std::exchange(b.parts().host, {}));
        } else {
            b.body<ast::NetRule>()->ports.push_back(p);
        }
    }
};

template <ast::MacosRule::Kind Kind>
struct macos_action {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        const bool in_macos_block = b.frame().kind == Frame::Kind::Platform &&
                                    std::get<ast::PlatformBlock>(b.enclosing_frame().current.body).platform ==
                                        ast::Platform::Macos;
        if (!in_macos_block)
            b.error(b.current().loc, "`" + in.string() + "` is macOS-only",
                    "write it inside `on macos { … }`");
        ast::MacosRule rule;
        rule.effect = b.parts().effect;
        rule.kind = Kind;
        b.current().body = std::move(rule);
    }
};
template <>
struct action<g::kw_mach_lookup> : macos_action<ast::MacosRule::Kind::MachLookup> {};
template <>
struct action<g::sysctl_read_rule> : macos_action<ast::MacosRule::Kind::SysctlRead> {};

template <>
struct action<g::service_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        b.body<ast::MacosRule>()->names.push_back(in.string());
    }
};

template <>
struct action<g::begin_fs_rule> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        ast::FsRule rule;
        rule.effect = b.parts().effect;
        b.current().body = std::move(rule);
    }
};

template <>
struct action<g::fs_rule> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        const auto& rule = *b.body<ast::FsRule>();
        if (rule.effect == ast::Effect::Allow && rule.access.empty())
            b.error(b.current().loc, "`allow` needs access words before the paths",
                    "for example `allow read /usr` or `allow read,write $CWD`");
    }
};

template <>
struct action<g::access_word> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.body<ast::FsRule>()->access.push_back({in.string(), b.loc(in)});
    }
};

// Checks the access words once the list is complete; an unknown word ends the statement
// (what follows would only add confusing errors).
template <>
struct action<g::access_list> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        static const std::vector<std::string> known = access_words();
        ast::FsRule& rule = *b.body<ast::FsRule>();
        const auto& words = rule.access;
        if (words.size() == 1 && words[0].word == "secret") {
            if (rule.effect != ast::Effect::Deny) {
                b.error(words[0].loc, "`secret` is only for `deny`", "`deny secret PATH` denies every right unless an `allow` names PATH itself");
                throw g::statement_abandoned{};
            }
            rule.access.clear();
            rule.secret = true;
            return;
        }
        bool unknown = false;
        for (std::size_t i = 0; i < words.size(); ++i) {
            const ast::AccessWord& w = words[i];
            if (std::find(known.begin(), known.end(), w.word) == known.end()) {
                if (w.word == "secret") {
                    b.error(w.loc, "`secret` stands alone: `deny secret PATH`");
                    unknown = true;
                    continue;
                }
                std::vector<std::string> candidates = known;
                if (i == 0 && words.size() == 1) candidates.insert(candidates.end(), kRuleKeywords.begin(), kRuleKeywords.end());
                b.error(w.loc, "unknown access word `" + shown(w.word) + "`", suggest(w.word, candidates));
                unknown = true;
            } else if (std::any_of(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i),
                                   [&](const ast::AccessWord& o) { return o.word == w.word; })) {
                b.error(w.loc, "`" + shown(w.word) + "` is listed twice");
            }
        }
        if (unknown) throw g::statement_abandoned{};
    }
};

// ---- Paths --------------------------------------------------------------------------------

void add_path_part(Builder& b, ast::PathPart part) { b.parts().path.parts.push_back(std::move(part)); }

ast::PathPart variable_part(ast::PathPart::Kind kind, std::string name, bool braced, SourceLocation at) {
    ast::PathPart p;
    p.kind = kind;
    p.text = std::move(name);
    p.braced = braced;
    p.loc = std::move(at);
    return p;
}

template <>
struct action<g::tilde> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        ast::PathPart p = variable_part(ast::PathPart::Kind::Variable, "HOME", false, b.loc(in));
        p.tilde = true;
        add_path_part(b, std::move(p));
    }
};
template <>
struct action<g::quoted_tilde> : action<g::tilde> {};

template <>
struct action<g::bare_variable> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        add_path_part(b, variable_part(ast::PathPart::Kind::Variable, in.string(), false, b.loc(in, -1)));
    }
};

template <>
struct action<g::braced_variable> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        add_path_part(b, variable_part(ast::PathPart::Kind::Variable, in.string(), true, b.loc(in, -2)));
    }
};

template <>
struct action<g::env_name> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.check_name(in.string_view(), b.loc(in));
        add_path_part(b, variable_part(ast::PathPart::Kind::Env, in.string(), true, b.loc(in, -6)));
    }
};

template <>
struct action<g::env_fallback> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.parts().path.parts.back().fallback = in.string();
    }
};

void add_text(Builder& b, std::string text, SourceLocation at) {
    ast::PathPart p;
    p.text = std::move(text);
    p.loc = std::move(at);
    add_path_part(b, std::move(p));
}

template <>
struct action<g::path_text> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        add_text(b, in.string(), b.loc(in));
    }
};

template <>
struct action<g::quoted_text> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        add_text(b, unescape(in.string_view()), b.loc(in));
    }
};

template <>
struct action<g::nul_byte> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.abandon(b.loc(in), "a path cannot contain a NUL byte");
    }
};

template <>
struct action<g::quoted_value> {
    template <typename Input>
    static void apply(const Input&, Builder& b) {
        b.parts().path.quoted = true;
    }
};

template <typename Input>
ast::Path take_path(const Input& in, Builder& b) {
    ast::Path p = std::exchange(b.parts().path, {});
    p.loc = b.loc(in);
    if (in.size() > kMaxPathBytes)
        b.abandon(p.loc, "path too long (" + std::to_string(in.size()) + " bytes; at most " +
                             std::to_string(kMaxPathBytes) + ")");
    return p;
}

// A path of an allow or deny statement: absolute, `~/…` or from a variable.
template <typename Input>
ast::Path take_rule_path(const Input& in, Builder& b) {
    ast::Path p = take_path(in, b);
    if (p.parts.empty()) {
        b.error(p.loc, "empty path");
    } else if (p.parts[0].kind == ast::PathPart::Kind::Text && !p.parts[0].text.starts_with('/')) {
        const std::string text = shown(p.parts[0].text);
        b.error(p.loc, "a path must be absolute (`/…`) or start with `~/` or a variable: `" + text + "`",
                "for a path below the working directory, write `$CWD/" + text + "`");
    }
    return p;
}

template <>
struct action<g::fs_path> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.body<ast::FsRule>()->paths.push_back(take_rule_path(in, b));
    }
};

template <>
struct action<g::socket_path> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.body<ast::NetRule>()->paths.push_back(take_rule_path(in, b));
    }
};

template <>
struct action<g::param_value> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.body<ast::Param>()->default_value = take_path(in, b);
    }
};

template <>
struct action<g::env_value> {
    template <typename Input>
    static void apply(const Input& in, Builder& b) {
        b.body<ast::EnvRule>()->value = take_path(in, b);
    }
};

// ---- Strings of the YAML form ----------------------------------------------------------------

template <>
struct action<g::string_text> : action<g::quoted_text> {};
template <>
struct action<g::string_tilde> : action<g::tilde> {};
template <>
struct action<g::string_home> : action<g::tilde> {};
template <>
struct action<g::path_string> : action<g::fs_path> {};
template <>
struct action<g::value_string> : action<g::env_value> {};
template <>
struct action<g::port_in_string> : action<g::port_range> {};

// A must<> failed inside a string. The string is one line inside a YAML value, so the
// message also says what was found; a missing token is reported just after the previous one.
void report_in_string(const pegtl::parse_error& e, std::string_view text, const SourceLocation& at,
                      Diagnostics& diags) {
    const auto& p = e.positions().front();
    std::string message(e.message());
    SourceLocation loc{at.file, static_cast<unsigned>(p.line), static_cast<unsigned>(p.column)};
    if (p.byte >= text.size()) {
        for (std::size_t byte = text.size(); byte > 0 && (text[byte - 1] == ' ' || text[byte - 1] == '\t'); --byte)
            --loc.column;
        if (message.starts_with("expected")) message += ", found the end";
    } else if (message.starts_with("expected")) {
        message += ", found `" + std::string(1, text[p.byte]) + "`";
    }
    diags.error(std::move(loc), std::move(message));
}

// Parses one whole string with Rule into a statement of kind Body, whose parts the rule's
// actions fill exactly as they fill a .nono statement's, and takes the result from it.
template <typename Rule, typename Body, typename Take>
auto parse_string(std::string_view text, const SourceLocation& at, Diagnostics& diags, Take take)
    -> std::optional<std::invoke_result_t<Take, Body&>> {
    // No limit on errors here: the YAML form counts its own.
    Builder b(text, at.file, diags, std::numeric_limits<std::size_t>::max());
    b.current().body = Body{};
    const std::size_t errors_before = diags.error_count();
    pegtl::memory_input<pegtl::tracking_mode::eager, pegtl::eol::lf_crlf> in(text.data(), text.data() + text.size(),
                                                                              at.file.str(), 0, at.line, at.column);
    try {
        pegtl::parse<Rule, action, g::control>(in, b);
    } catch (const pegtl::parse_error& e) {
        report_in_string(e, text, at, diags);
    } catch (const g::statement_abandoned&) {
    }
    if (diags.error_count() != errors_before) return std::nullopt;
    return take(*b.body<Body>());
}

}  // namespace

namespace embedded {

std::optional<ast::Path> parse_path(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    return parse_string<g::path_string, ast::FsRule>(text, at, diags, [](auto& r) { return std::move(r.paths.front()); });
}

std::optional<ast::Path> parse_value(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    return parse_string<g::value_string, ast::EnvRule>(text, at, diags, [](auto& r) { return std::move(*r.value); });
}

std::optional<ast::Condition> parse_condition(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    return parse_string<g::condition_string, ast::SyscallRule>(text, at, diags,
                                                               [](auto& r) { return std::move(r.conditions.front()); });
}

std::optional<ast::Action> parse_action(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    return parse_string<g::action_string, ast::SyscallDefault>(text, at, diags, [](auto& r) { return std::move(r.action); });
}

std::optional<ast::PortRange> parse_port_range(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    return parse_string<g::port_string, ast::NetRule>(text, at, diags, [](auto& r) { return r.ports.front(); });
}

std::optional<ast::HostPorts> parse_host_ports(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    return parse_string<g::host_port_string, ast::NetRule>(text, at, diags,
                                                           [](auto& r) { return std::move(r.hosts.front()); });
}

}  // namespace embedded

ast::File parse_nono(std::string_view text, const std::string& path, Diagnostics& diags) {
    if (text.size() > kMaxProfileBytes) {
        diags.error({path, 0, 0}, "file too large (" + std::to_string(text.size()) + " bytes; at most " +
                                      std::to_string(kMaxProfileBytes / (1024 * 1024)) + " MiB)");
        return {};
    }
    Builder b(text, path, diags);
    pegtl::memory_input<pegtl::tracking_mode::eager, pegtl::eol::lf_crlf> in(text.data(), text.size(), path);
    try {
        try {
            pegtl::parse<g::file, action, g::control>(in, b);
        } catch (const pegtl::parse_error& e) {
            b.report(e);  // an error no statement could recover from
        }
    } catch (const parsing_stopped&) {
    }
    if (!b.file().profile && b.file_statements().empty() && !diags.has_errors())
        diags.error({path, 1, 1}, "no profile in this file", "a profile starts with `profile NAME {`");
    b.file().items = std::move(b.file_statements());
    b.file().trailing_comments = b.take_pending_comments();
    return std::move(b.file());
}

}  // namespace nono
