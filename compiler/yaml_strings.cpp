// Stage 1, YAML form: small exact parsers for the .nono syntax inside YAML strings, and
// their printers. See yaml_strings.hpp.
#include "compiler/yaml_strings.hpp"

#include <charconv>
#include <vector>

#include "compiler/suggest.hpp"
#include "runtime/net_address.hpp"

namespace nono::yaml_strings {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_upper_name_start(c) || is_digit(c); }

// A cursor over one string, with locations that point into the YAML file.
class Cursor {
public:
    Cursor(std::string_view text, const SourceLocation& at, Diagnostics& diags)
        : text_(text), at_(at), diags_(diags) {}

    bool done() const { return pos_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
    std::size_t pos() const { return pos_; }
    void advance(std::size_t n = 1) { pos_ += n; }
    std::string_view rest() const { return text_.substr(pos_); }
    std::string_view since(std::size_t start) const { return text_.substr(start, pos_ - start); }
    bool starts_with(std::string_view s) const { return rest().starts_with(s); }

    void skip_blanks() {
        while (peek() == ' ' || peek() == '\t') ++pos_;
    }

    SourceLocation here() const { return at(pos_); }
    SourceLocation at(std::size_t offset) const {
        SourceLocation loc = at_;
        loc.column += static_cast<unsigned>(offset);
        return loc;
    }

    // Reports an error at the current position; always returns false, for `return fail(…)`.
    bool fail(std::string message, std::string hint = {}) { return fail_at(pos_, std::move(message), std::move(hint)); }
    bool fail_at(std::size_t offset, std::string message, std::string hint = {}) {
        diags_.error(at(offset), std::move(message), std::move(hint));
        return false;
    }

    std::string_view take_while(bool (*pred)(char)) {
        std::size_t start = pos_;
        while (!done() && pred(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    // "`x`" for the character at the cursor, or "the end" when there is none.
    std::string found() const {
        if (done()) return "the end";
        return "`" + std::string(1, peek()) + "`";
    }

private:
    std::string_view text_;
    SourceLocation at_;
    Diagnostics& diags_;
    std::size_t pos_ = 0;
};

// ---- values ---------------------------------------------------------------------------

bool parse_number(Cursor& c, std::uint64_t& out) {
    std::size_t start = c.pos();
    std::string_view prefix = c.rest().substr(0, 2);
    int base = prefix == "0x" || prefix == "0X" ? 16 : prefix == "0o" || prefix == "0O" ? 8 : prefix == "0b" || prefix == "0B" ? 2 : 10;
    if (base != 10) c.advance(2);
    std::string_view digits = c.take_while(is_name_char);
    if (digits.empty()) return c.fail("expected digits after `" + std::string(prefix) + "`");
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
    if (ec == std::errc::result_out_of_range) return c.fail_at(start, "number too large (more than 64 bits)");
    if (ec != std::errc{} || end != digits.data() + digits.size())
        return c.fail_at(start, "`" + std::string(c.since(start)) +
                                    "` is not a number");
    return true;
}

bool parse_value_at(Cursor& c, ast::Value& value) {
    value.loc = c.here();
    for (;;) {
        c.skip_blanks();
        ast::Value::Term term;
        term.loc = c.here();
        if (is_digit(c.peek())) {
            std::uint64_t n = 0;
            std::size_t start = c.pos();
            if (!parse_number(c, n)) return false;
            term.number = n;
            term.written = std::string(c.since(start));
        } else if (is_upper_name_start(c.peek())) {
            const std::size_t start = c.pos();
            term.name = std::string(c.take_while(is_name_char));
            if (term.name.size() > ast::kMaxNameBytes)
                return c.fail_at(start, ast::name_too_long(term.name.size()));
        } else {
            return c.fail(value.terms.empty() ? "expected a number or a constant name, found " + c.found()
                                              : "expected a number or a constant name after `|`, found " + c.found());
        }
        value.terms.push_back(std::move(term));
        c.skip_blanks();
        if (c.peek() != '|') return true;
        c.advance();
    }
}

bool expect_end(Cursor& c, std::string_view what) {
    c.skip_blanks();
    if (c.done()) return true;
    return c.fail("unexpected " + c.found() + " after " + std::string(what));
}

// ---- paths ----------------------------------------------------------------------------

void append_text(ast::Path& path, char ch, const SourceLocation& loc) {
    if (path.parts.empty() || path.parts.back().kind != ast::PathPart::Kind::Text) {
        ast::PathPart part;
        part.loc = loc;
        path.parts.push_back(std::move(part));
    }
    path.parts.back().text += ch;
}

bool parse_variable(Cursor& c, ast::Path& path) {
    ast::PathPart part;
    part.loc = c.here();
    std::size_t dollar = c.pos();
    c.advance();
    if (c.peek() != '{') {
        std::string_view name = c.take_while(is_name_char);
        if (name.empty() || is_digit(name[0]))
            return c.fail_at(dollar, "expected a variable name after `$`: `$NAME` or `${NAME}`",
                             "write \\$ for a literal `$`");
        part.kind = ast::PathPart::Kind::Variable;
        part.text = std::string(name);
        path.parts.push_back(std::move(part));
        return true;
    }
    c.advance();  // '{'
    part.braced = true;
    if (c.starts_with("env:")) {
        c.advance(4);
        part.kind = ast::PathPart::Kind::Env;
    } else {
        part.kind = ast::PathPart::Kind::Variable;
    }
    std::string_view name = c.take_while(is_name_char);
    if (name.empty() || is_digit(name[0]))
        return c.fail(part.kind == ast::PathPart::Kind::Env ? "expected an environment variable name after `env:`"
                                                            : "expected a variable name: `${NAME}` or `${env:NAME}`");
    part.text = std::string(name);
    if (part.kind == ast::PathPart::Kind::Env && c.starts_with(":-")) {
        c.advance(2);
        std::string fallback;
        // As in .nono, where the default stands inside the path's own quotes.
        while (!c.done() && c.peek() != '}') {
            if (c.peek() == '"' || c.peek() == '\\' || c.peek() == '\r' || c.peek() == '\n' || c.peek() == '\0')
                return c.fail("a default in `${env:NAME:-…}` cannot contain " + c.found());
            fallback += c.peek();
            c.advance();
        }
        part.fallback = std::move(fallback);
    }
    if (c.peek() != '}') return c.fail("expected `}` to end the variable reference");
    c.advance();
    path.parts.push_back(std::move(part));
    return true;
}

}  // namespace

std::optional<ast::Path> parse_path(std::string_view text, const SourceLocation& at, Diagnostics& diags,
                                    PathForm form) {
    Cursor c(text, at, diags);
    ast::Path path;
    path.loc = at;
    if (text.empty() && form == PathForm::Path) {
        c.fail("empty path");
        return std::nullopt;
    }
    if (form == PathForm::Path && text[0] != '/' && text[0] != '~' && text[0] != '$') {
        std::string shown(text.substr(0, text.find('$')));
        c.fail("a path must be absolute (`/…`) or start with `~/` or a variable: `" + shown + "`",
               "for a path below the working directory, write `$CWD/" + shown + "`");
        return std::nullopt;
    }
    if (text.starts_with('~') && (text.size() == 1 || text[1] == '/')) {
        ast::PathPart home;
        home.kind = ast::PathPart::Kind::Variable;
        home.text = "HOME";
        home.tilde = true;
        home.loc = at;
        path.parts.push_back(std::move(home));
        c.advance();
    } else if (text.starts_with('~') && form == PathForm::Path) {
        c.fail_at(1, "`~` must be followed by `/` (`~user` is not supported)");
        return std::nullopt;
    }
    bool ok = true;
    while (ok && !c.done()) {
        char ch = c.peek();
        if (ch == '$') {
            ok = parse_variable(c, path);
        } else if (ch == '\\') {
            char next = c.peek(1);
            if (next != '$' && next != '\\' && next != '"') {
                ok = c.fail("unknown escape: only `\\\"`, `\\\\` and `\\$` escape");
                break;
            }
            append_text(path, next, c.here());
            c.advance(2);
        } else if (ch == '\0') {
            ok = c.fail("a path cannot contain a NUL byte");
        } else if (ch == '\r' || ch == '\n') {
            ok = c.fail("a path cannot contain a line break");
        } else {
            append_text(path, ch, c.here());
            c.advance();
        }
    }
    if (!ok) return std::nullopt;
    return path;
}

std::optional<ast::Value> parse_value(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    Cursor c(text, at, diags);
    ast::Value value;
    if (!parse_value_at(c, value) || !expect_end(c, "the value")) return std::nullopt;
    return value;
}

std::optional<ast::Condition> parse_condition(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    Cursor c(text, at, diags);
    ast::Condition cond;
    c.skip_blanks();
    cond.loc = c.here();
    if (!c.starts_with("arg") || !is_digit(c.peek(3)) || is_name_char(c.peek(4))) {
        c.fail("expected a condition: `argN == VALUE`");
        return std::nullopt;
    }
    cond.arg = static_cast<unsigned>(c.peek(3) - '0');
    if (cond.arg > 5) {
        c.fail("unknown argument `arg" + std::to_string(cond.arg) + "`; syscalls have arg0 to arg5");
        return std::nullopt;
    }
    c.advance(4);
    c.skip_blanks();
    struct OpWord {
        std::string_view text;
        ast::Condition::Op op;
    };
    // Two-character operators first, so `<=` is not read as `<`.
    static constexpr OpWord kOps[] = {{"==", ast::Condition::Op::Eq}, {"!=", ast::Condition::Op::Ne},
                                      {"<=", ast::Condition::Op::Le}, {">=", ast::Condition::Op::Ge},
                                      {"<", ast::Condition::Op::Lt},  {">", ast::Condition::Op::Gt}};
    bool matched = false;
    for (const OpWord& w : kOps) {
        if (c.starts_with(w.text)) {
            cond.op = w.op;
            c.advance(w.text.size());
            matched = true;
            break;
        }
    }
    bool ok = true;
    if (matched) {
        ast::Value v;
        ok = parse_value_at(c, v);
        cond.values.push_back(std::move(v));
    } else if (c.peek() == '&') {
        c.advance();
        cond.op = ast::Condition::Op::MaskedEq;
        ast::Value mask;
        ok = parse_value_at(c, mask);
        cond.mask = std::move(mask);
        c.skip_blanks();
        if (ok && !c.starts_with("==")) ok = c.fail("expected `==` after the mask");
        if (ok) {
            c.advance(2);
            ast::Value v;
            ok = parse_value_at(c, v);
            cond.values.push_back(std::move(v));
        }
    } else if (c.starts_with("in") && !is_name_char(c.peek(2))) {
        c.advance(2);
        cond.op = ast::Condition::Op::In;
        c.skip_blanks();
        if (c.peek() != '{') {
            c.fail("expected `{` after `in`");
            return std::nullopt;
        }
        c.advance();
        for (;;) {
            ast::Value v;
            if (!parse_value_at(c, v)) return std::nullopt;
            cond.values.push_back(std::move(v));
            c.skip_blanks();
            if (c.peek() == ',') {
                c.advance();
                continue;
            }
            if (c.peek() == '}') {
                c.advance();
                break;
            }
            c.fail("expected `,` or `}` to close the set");
            return std::nullopt;
        }
    } else {
        c.fail("expected a comparison: `==`, `!=`, `<`, `<=`, `>`, `>=`, `& MASK ==` or `in {…}`");
        return std::nullopt;
    }
    if (!ok || !expect_end(c, "the condition")) return std::nullopt;
    return cond;
}

std::optional<ast::Action> parse_action(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    Cursor c(text, at, diags);
    ast::Action action;
    c.skip_blanks();
    action.loc = c.here();
    std::string_view word = c.take_while([](char ch) { return is_name_char(ch) || ch == '-'; });
    struct ActionWord {
        std::string_view text;
        ast::Action::Kind kind;
    };
    static constexpr ActionWord kKinds[] = {{"allow", ast::Action::Kind::Allow},
                                            {"errno", ast::Action::Kind::Errno},
                                            {"kill-process", ast::Action::Kind::Kill},
                                            {"kill-thread", ast::Action::Kind::KillThread},
                                            {"trap", ast::Action::Kind::Trap},
                                            {"log", ast::Action::Kind::Log}};
    const ActionWord* found = nullptr;
    for (const ActionWord& w : kKinds)
        if (w.text == word) found = &w;
    if (!found) {
        std::vector<std::string> words(std::begin(kActionWords), std::end(kActionWords));
        if (word.empty())
            c.fail("expected an action: allow, errno NAME, kill-process, kill-thread, trap or log");
        else
            c.fail_at(0, "unknown action `" + std::string(word) + "`",
                      word == "kill" ? "the action is `kill-process` (`kill` names the kill syscall)"
                                     : did_you_mean(word, words));
        return std::nullopt;
    }
    action.kind = found->kind;
    if (action.kind == ast::Action::Kind::Errno) {
        c.skip_blanks();
        if (c.done()) {
            c.fail("expected an errno name or number after `errno`: `errno EPERM`");
            return std::nullopt;
        }
        ast::Value v;
        if (!parse_value_at(c, v)) return std::nullopt;
        if (v.terms.size() == 1 && v.terms[0].number && (*v.terms[0].number < 1 || *v.terms[0].number > 4095)) {
            c.fail_at(v.loc.column - c.at(0).column, "errno " + std::to_string(*v.terms[0].number) +
                                                          " is out of range (1-4095)");
            return std::nullopt;
        }
        action.errno_value = std::move(v);
    }
    if (!expect_end(c, "the action")) return std::nullopt;
    return action;
}

std::optional<ast::PortRange> parse_port_range(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    Cursor c(text, at, diags);
    ast::PortRange range;
    range.loc = at;
    auto port = [&](std::uint32_t& out) {
        std::string_view digits = c.take_while(is_digit);
        if (digits.empty()) return c.fail("expected a port (1-65535) or a range `FIRST-LAST`");
        std::uint64_t n = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc{} || n < 1 || n > 65535)
            return c.fail_at(0, "port `" + std::string(text) + "` is out of range (1-65535)");
        out = static_cast<std::uint32_t>(n);
        return true;
    };
    if (!port(range.first)) return std::nullopt;
    range.last = range.first;
    if (c.peek() == '-') {
        c.advance();
        if (!port(range.last)) return std::nullopt;
        if (range.last < range.first) {
            c.fail_at(0, "port range `" + std::string(text) + "` is empty: the first port is greater than the last",
                      "write `" + std::to_string(range.last) + "-" + std::to_string(range.first) + "`");
            return std::nullopt;
        }
    }
    if (!c.done()) {
        c.fail("expected a port (1-65535) or a range `FIRST-LAST`");
        return std::nullopt;
    }
    return range;
}

// ---- printing ---------------------------------------------------------------------------

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
            case ast::PathPart::Kind::Env:
                out += "${env:" + part.text;
                if (part.fallback) out += ":-" + *part.fallback;
                out += "}";
                break;
        }
    }
    return out;
}

std::string print_value(const ast::Value& value) {
    std::string out;
    for (const ast::Value::Term& term : value.terms) {
        if (!out.empty()) out += '|';
        if (!term.number)
            out += term.name;
        else if (!term.written.empty())
            out += term.written;  // 0x5412, 0o644: as the author wrote it
        else
            out += std::to_string(*term.number);
    }
    return out;
}

std::string print_condition(const ast::Condition& cond) {
    std::string out = "arg" + std::to_string(cond.arg) + " ";
    switch (cond.op) {
        case ast::Condition::Op::Eq: out += "=="; break;
        case ast::Condition::Op::Ne: out += "!="; break;
        case ast::Condition::Op::Lt: out += "<"; break;
        case ast::Condition::Op::Le: out += "<="; break;
        case ast::Condition::Op::Gt: out += ">"; break;
        case ast::Condition::Op::Ge: out += ">="; break;
        case ast::Condition::Op::MaskedEq: out += "& " + (cond.mask ? print_value(*cond.mask) : "") + " =="; break;
        case ast::Condition::Op::In: {
            out += "in {";
            for (std::size_t i = 0; i < cond.values.size(); ++i) out += (i ? ", " : "") + print_value(cond.values[i]);
            return out + "}";
        }
    }
    return out + " " + (cond.values.empty() ? "" : print_value(cond.values.front()));
}

std::string print_action(const ast::Action& action) {
    switch (action.kind) {
        case ast::Action::Kind::Allow: return "allow";
        case ast::Action::Kind::Errno: return "errno " + (action.errno_value ? print_value(*action.errno_value) : "");
        case ast::Action::Kind::Kill: return "kill-process";
        case ast::Action::Kind::KillThread: return "kill-thread";
        case ast::Action::Kind::Trap: return "trap";
        case ast::Action::Kind::Log: return "log";
    }
    return "allow";
}

std::optional<ast::HostPorts> parse_host_ports(std::string_view text, const SourceLocation& at, Diagnostics& diags) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        diags.error(at, "expected `HOST:PORT`: `api.example.com:443`");
        return std::nullopt;
    }
    const std::string_view host = text.substr(0, colon);
    const auto parsed = net::parse_host(host);
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
        diags.error(at, *problem);
        return std::nullopt;
    }
    SourceLocation ports_at = at;
    ports_at.column += static_cast<unsigned>(colon + 1);
    auto ports = parse_port_range(text.substr(colon + 1), ports_at, diags);
    if (!ports) return std::nullopt;
    return ast::HostPorts{std::string(host), *ports, at};
}

std::string print_port_range(const ast::PortRange& range) {
    std::string out = std::to_string(range.first);
    if (range.last != range.first) out += "-" + std::to_string(range.last);
    return out;
}

std::string print_host_ports(const ast::HostPorts& target) { return target.host + ":" + print_port_range(target.ports); }

}  // namespace nono::yaml_strings
