// The AST back to .nono text in the canonical layout. One recursive walk; the only
// choices are layout ones (indent, order of access words, quoting, blank lines).
#include "grammar/print_nono.hpp"

#include <algorithm>
#include <iterator>


namespace nono {

namespace {

constexpr std::size_t kGroupLineWidth = 80;

void print_comment(std::string& out, const ast::Comment& c) { out += "#" + c.text; }

void print_leading(std::string& out, const std::vector<ast::Comment>& comments, const std::string& indent) {
    for (const ast::Comment& c : comments) {
        out += indent;
        print_comment(out, c);
        out += '\n';
    }
}

void end_line(std::string& out, const std::optional<ast::Comment>& trailing) {
    if (trailing) {
        out += "  ";
        print_comment(out, *trailing);
    }
    out += '\n';
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether the path can be written without quotes and read back the same.
bool needs_quotes(const ast::Path& path) {
    if (path.parts.empty()) return true;
    for (std::size_t i = 0; i < path.parts.size(); ++i) {
        const ast::PathPart& p = path.parts[i];
        if (p.kind != ast::PathPart::Kind::Text) continue;
        if (p.text.empty()) return true;
        if (i == 0 && p.text[0] == '~') return true;  // would read as the home directory
        if (p.text.find_first_of(std::string_view(" \t\r\n#\"{}$\0", 10)) != std::string::npos) return true;
        if (i + 1 == path.parts.size() && p.text.back() == '\\') return true;  // would continue the line
    }
    return false;
}

std::string print_path(const ast::Path& path) {
    const bool quoted = needs_quotes(path);
    std::string out = quoted ? "\"" : "";
    for (std::size_t i = 0; i < path.parts.size(); ++i) {
        const ast::PathPart& p = path.parts[i];
        switch (p.kind) {
            case ast::PathPart::Kind::Text:
                for (char c : p.text) {
                    if (quoted && (c == '"' || c == '\\' || c == '$')) out += '\\';
                    out += c;
                }
                break;
            case ast::PathPart::Kind::Variable: {
                if (p.tilde && i == 0) {
                    out += '~';
                    break;
                }
                const bool next_glues = i + 1 < path.parts.size() &&
                                        path.parts[i + 1].kind == ast::PathPart::Kind::Text &&
                                        !path.parts[i + 1].text.empty() && is_name_char(path.parts[i + 1].text[0]);
                out += p.braced || next_glues ? "${" + p.text + "}" : "$" + p.text;
                break;
            }
            case ast::PathPart::Kind::Env: out += print_env_reference(p); break;
        }
    }
    if (quoted) out += '"';
    return out;
}

std::string print_value(const ast::Value& v) {
    std::string out;
    for (const ast::Value::Term& t : v.terms) {
        if (!out.empty()) out += '|';
        if (!t.number)
            out += t.name;
        else if (!t.written.empty())
            out += t.written;
        else
            out += std::to_string(*t.number);
    }
    return out;
}

std::string effect_word(ast::Effect e) { return e == ast::Effect::Allow ? "allow" : "deny"; }

std::string print_syscall_name(const ast::SyscallName& n) { return (n.group ? "@" : "") + n.name; }

std::size_t access_rank(const std::string& word) {
    auto it = std::find_if(std::begin(ast::kAccessWords), std::end(ast::kAccessWords),
                           [&](const char* w) { return word == w; });
    return static_cast<std::size_t>(std::distance(std::begin(ast::kAccessWords), it));
}

class Printer {
public:
    std::string out;

    void statements(const std::vector<ast::Statement>& list, const std::string& indent) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i > 0 && list[i].blank_line_before) out += '\n';
            statement(list[i], indent);
        }
    }

    void statement(const ast::Statement& s, const std::string& indent) {
        print_leading(out, s.comments.leading, indent);
        out += indent;
        std::visit([&](const auto& body) { print(body, s, indent); }, s.body);
    }

    void profile(const ast::Profile& p) {
        print_leading(out, p.comments.leading, "");
        out += "profile " + p.name;
        for (std::size_t i = 0; i < p.parents.size(); ++i) out += (i ? ", " : " extends ") + p.parents[i].name;
        out += " {";
        end_line(out, p.comments.trailing);
        statements(p.statements, "  ");
        print_leading(out, p.closing_comments, "  ");
        out += "}\n";
    }

private:
    void print(const ast::Description& d, const ast::Statement& s, const std::string&) {
        out += "description \"";
        for (char c : d.text) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
        end_line(out, s.comments.trailing);
    }

    void print(const ast::Param& p, const ast::Statement& s, const std::string&) {
        out += "param " + p.name + " = " + print_path(p.default_value);
        end_line(out, s.comments.trailing);
    }

    void print(const ast::FsRule& r, const ast::Statement& s, const std::string&) {
        std::vector<std::string> words;
        for (const ast::AccessWord& w : r.access) words.push_back(w.word);
        std::stable_sort(words.begin(), words.end(),
                         [](const std::string& a, const std::string& b) { return access_rank(a) < access_rank(b); });
        out += r.protect ? "protect" : effect_word(r.effect);
        if (r.secret) out += " secret";
        for (std::size_t i = 0; i < words.size(); ++i) out += (i ? "," : " ") + words[i];
        for (const ast::Path& p : r.paths) out += " " + print_path(p);
        end_line(out, s.comments.trailing);
    }

    void print(const ast::NetRule& r, const ast::Statement& s, const std::string&) {
        out += effect_word(r.effect);
        switch (r.kind) {
            case ast::NetRule::Kind::ConnectTcp: out += " connect tcp"; break;
            case ast::NetRule::Kind::BindTcp: out += " bind tcp"; break;
            case ast::NetRule::Kind::Udp: out += " udp"; break;
            case ast::NetRule::Kind::Network: out += " network"; break;
            case ast::NetRule::Kind::Unix: out += " unix"; break;
            case ast::NetRule::Kind::SignalOutside: out += " signal outside"; break;
            case ast::NetRule::Kind::AbstractSocketOutside: out += " abstract-socket outside"; break;
            case ast::NetRule::Kind::Loopback: out += " loopback"; break;
            case ast::NetRule::Kind::UnixConnect: out += " unix connect"; break;
        }
        for (const ast::PortRange& p : r.ports) out += " " + print_port_range(p);
        for (const ast::HostPorts& h : r.hosts) out += " " + print_host_ports(h);
        for (const ast::Path& p : r.paths) out += " " + print_path(p);
        end_line(out, s.comments.trailing);
    }

    void print(const ast::SyscallDefault& d, const ast::Statement& s, const std::string&) {
        out += "syscalls default " + print_action(d.action);
        end_line(out, s.comments.trailing);
    }

    void print(const ast::SyscallRule& r, const ast::Statement& s, const std::string&) {
        out += effect_word(r.effect) + " syscall";
        for (const ast::SyscallName& n : r.names) out += " " + print_syscall_name(n);
        for (std::size_t i = 0; i < r.conditions.size(); ++i)
            out += (i ? " && " : " if ") + print_condition(r.conditions[i]);
        if (r.action) out += " " + print_action(*r.action);
        end_line(out, s.comments.trailing);
    }

    // Members are packed into lines; a comment keeps its member on a line of its own.
    void print(const ast::SyscallGroup& g, const ast::Statement& s, const std::string& indent) {
        out += "syscall-group @" + g.name + " {";
        end_line(out, s.comments.trailing);
        const std::string inner = indent + "  ";
        std::string line;
        auto flush = [&] {
            if (!line.empty()) out += line + '\n';
            line.clear();
        };
        for (const ast::SyscallName& m : g.members) {
            const std::string word = print_syscall_name(m);
            if (!m.comments.leading.empty()) {
                flush();
                print_leading(out, m.comments.leading, inner);
            }
            if (!line.empty() && line.size() + 1 + word.size() > kGroupLineWidth) flush();
            line += (line.empty() ? inner : " ") + word;
            if (m.comments.trailing) {
                line += "  #" + m.comments.trailing->text;
                flush();
            }
        }
        flush();
        print_leading(out, g.closing_comments, inner);
        out += indent + "}\n";
    }

    void print(const ast::MacosRule& r, const ast::Statement& s, const std::string&) {
        out += effect_word(r.effect) + (r.kind == ast::MacosRule::Kind::MachLookup ? " mach-lookup" : " sysctl-read");
        for (const std::string& n : r.names) out += " " + n;
        end_line(out, s.comments.trailing);
    }

    void print(const ast::EnvRule& r, const ast::Statement& s, const std::string&) {
        static const char* kinds[] = {"keep", "drop", "set"};
        out += std::string("env ") + kinds[static_cast<int>(r.kind)];
        for (const std::string& n : r.names) out += " " + n;
        if (r.value) out += " " + print_path(*r.value);
        end_line(out, s.comments.trailing);
    }

    void print(const ast::Limit& l, const ast::Statement& s, const std::string&) {
        out += "limit " + std::string(limits::info(l.kind).name) + " " + ast::written_amount(l);
        end_line(out, s.comments.trailing);
    }

    void print(const ast::PlatformBlock& b, const ast::Statement& s, const std::string& indent) {
        out += std::string("on ") + (b.platform == ast::Platform::Linux ? "linux" : "macos") + " {";
        end_line(out, s.comments.trailing);
        statements(b.statements, indent + "  ");
        print_leading(out, b.closing_comments, indent + "  ");
        out += indent + "}\n";
    }
};

}  // namespace

std::string print_action(const ast::Action& action) {
    switch (action.kind) {
        case ast::Action::Kind::Allow: return "allow";
        case ast::Action::Kind::Errno: return "errno " + (action.errno_value ? print_value(*action.errno_value) : "EPERM");
        case ast::Action::Kind::Kill: return "kill-process";
        case ast::Action::Kind::KillThread: return "kill-thread";
        case ast::Action::Kind::Trap: return "trap";
        case ast::Action::Kind::Log: return "log";
    }
    return "allow";
}

std::string print_condition(const ast::Condition& c) {
    std::string out = "arg" + std::to_string(c.arg) + " ";
    auto first = [&] { return c.values.empty() ? std::string() : print_value(c.values.front()); };
    switch (c.op) {
        case ast::Condition::Op::Eq: return out + "== " + first();
        case ast::Condition::Op::Ne: return out + "!= " + first();
        case ast::Condition::Op::Lt: return out + "< " + first();
        case ast::Condition::Op::Le: return out + "<= " + first();
        case ast::Condition::Op::Gt: return out + "> " + first();
        case ast::Condition::Op::Ge: return out + ">= " + first();
        case ast::Condition::Op::MaskedEq: return out + "& " + (c.mask ? print_value(*c.mask) : "") + " == " + first();
        case ast::Condition::Op::In: {
            out += "in {";
            for (std::size_t i = 0; i < c.values.size(); ++i) out += (i ? ", " : "") + print_value(c.values[i]);
            return out + "}";
        }
    }
    return out;
}

std::string print_env_reference(const ast::PathPart& part) {
    return "${env:" + part.text + (part.fallback ? ":-" + *part.fallback : "") + "}";
}

std::string print_port_range(const ast::PortRange& range) {
    std::string out = std::to_string(range.first);
    if (range.last != range.first) out += "-" + std::to_string(range.last);
    return out;
}

std::string print_host_ports(const ast::HostPorts& target) { return target.host + ":" + print_port_range(target.ports); }

std::string print_nono(const ast::File& file) {
    Printer p;
    auto separate = [&] {
        if (!p.out.empty()) p.out += '\n';
    };
    for (std::size_t i = 0; i <= file.items.size(); ++i) {
        if (file.profile && i == file.profile_index) {
            separate();
            p.profile(*file.profile);
        }
        if (i < file.items.size()) {
            separate();
            p.statement(file.items[i], "");
        }
    }
    if (!file.trailing_comments.empty()) {
        separate();
        print_leading(p.out, file.trailing_comments, "");
    }
    return p.out;
}

}  // namespace nono
