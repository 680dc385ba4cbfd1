// Test support for the SBPL back end: reader, checker, evaluator, IR reference.
#include "sbpl_model.hpp"

#include <algorithm>
#include <optional>
#include <regex>

#include "compiler/emitters/sbpl/emit_sbpl.hpp"
#include "compiler/emitters/sbpl/vocabulary.hpp"
#include "core/paths.hpp"

namespace nono::sbpl::test {

// ----------------------------------------------------------------------------- reader

namespace {

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text) {}

    std::vector<Sexp> all() {
        std::vector<Sexp> forms;
        while (skip_space(), i_ < s_.size()) {
            if (s_[i_] == ')') fail("unbalanced ')'");
            forms.push_back(form());
        }
        return forms;
    }

private:
    [[noreturn]] void fail(const std::string& why) { throw ReadError(why + " at byte " + std::to_string(i_)); }

    void skip_space() {
        while (i_ < s_.size()) {
            if (s_[i_] == ';') {
                while (i_ < s_.size() && s_[i_] != '\n') ++i_;
            } else if (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r') {
                ++i_;
            } else {
                return;
            }
        }
    }

    Sexp form() {
        skip_space();
        if (i_ >= s_.size()) fail("unexpected end");
        char c = s_[i_];
        if (c == '(') {
            ++i_;
            Sexp list;
            while (skip_space(), i_ < s_.size() && s_[i_] != ')') list.items.push_back(form());
            if (i_ >= s_.size()) fail("unbalanced '(': missing ')'");
            ++i_;
            return list;
        }
        if (c == '"') return string();
        if (c == '#' && i_ + 1 < s_.size() && s_[i_ + 1] == '"') {
            // A raw string ends at the next quote: it can hold no quote at all.
            i_ += 2;
            std::size_t end = s_.find('"', i_);
            if (end == std::string_view::npos) fail("unterminated raw string");
            Sexp str{Sexp::Kind::String, std::string(s_.substr(i_, end - i_)), true, {}};
            i_ = end + 1;
            return str;
        }
        std::size_t start = i_;
        while (i_ < s_.size() && std::string_view(" \t\r\n();\"").find(s_[i_]) == std::string_view::npos) ++i_;
        std::string atom(s_.substr(start, i_ - start));
        bool number = !atom.empty() && std::all_of(atom.begin(), atom.end(), [](char d) { return d >= '0' && d <= '9'; });
        return {number ? Sexp::Kind::Number : Sexp::Kind::Symbol, atom, false, {}};
    }

    Sexp string() {
        ++i_;
        std::string value;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            char c = s_[i_++];
            if (c == '"') break;
            if (static_cast<unsigned char>(c) < 0x20) fail("raw control character in a string");
            if (c == '\\') {
                if (i_ >= s_.size()) fail("unterminated string");
                char e = s_[i_++];
                if (e != '\\' && e != '"') fail(std::string("unexpected escape \\") + e);
                c = e;
            }
            value += c;
        }
        return {Sexp::Kind::String, value, false, {}};
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace

std::vector<Sexp> read_sbpl(std::string_view text) { return Reader(text).all(); }

// ----------------------------------------------------------------------------- checker

namespace {

const std::set<std::string> kCombinators = {"require-all", "require-any", "require-not"};

// A string expression: "text", (param "X") or (string-append EXPR…). nullopt when the
// expression is something else; parameters are looked up in `params` (missing: nullopt).
std::optional<std::string> string_value(const Sexp& e, const std::map<std::string, std::string>& params,
                                        std::vector<std::string>* used = nullptr) {
    if (e.kind == Sexp::Kind::String) return e.text;
    if (e.head() == "param" && e.items.size() == 2 && e.items[1].kind == Sexp::Kind::String) {
        if (used) used->push_back(e.items[1].text);
        auto it = params.find(e.items[1].text);
        if (it == params.end()) return std::nullopt;
        return it->second;
    }
    if (e.head() == "string-append") {
        std::string out;
        bool complete = true;
        for (std::size_t i = 1; i < e.items.size(); ++i) {
            auto part = string_value(e.items[i], params, used);
            if (!part) complete = false;
            else out += *part;
        }
        if (complete) return out;
    }
    return std::nullopt;
}

void check_filter(const Sexp& f, const std::set<std::string>& defined, std::vector<std::string>& problems) {
    std::string head = f.head();
    if (kCombinators.count(head)) {
        for (std::size_t i = 1; i < f.items.size(); ++i) check_filter(f.items[i], defined, problems);
        return;
    }
    if (f.kind != Sexp::Kind::List || !filter_of_form(head)) {
        problems.push_back("unknown filter " + (head.empty() ? f.text : head));
        return;
    }
    // A raw string ends at its first quote, so an emitted #"a\"b" reads as several
    // arguments: a path filter has exactly one.
    if (*filter_of_form(head) == "path" && f.items.size() != 2)
        problems.push_back("a path filter with " + std::to_string(f.items.size() - 1) + " arguments");
    std::vector<std::string> used;
    for (std::size_t i = 1; i < f.items.size(); ++i) string_value(f.items[i], {}, &used);
    // An address is HOST:PORT with HOST `*` or `localhost` (Seatbelt refuses the whole
    // profile for an IP address: "host must be * or localhost in network address") and
    // PORT `*` or a number, or a parameter appended to "localhost:". (A unix socket's is a path.)
    if ((head == "remote" || head == "local") && f.items.size() == 3 && !f.items[1].is_symbol("unix-socket")) {
        const Sexp& address = f.items[2];
        std::string text = address.kind == Sexp::Kind::String ? address.text : std::string();
        if (address.head() == "string-append" && address.items.size() == 3 && address.items[1].kind == Sexp::Kind::String &&
            address.items[2].head() == "param")
            text = address.items[1].text + "1";
        const std::size_t colon = text.rfind(':');
        const std::string host = text.substr(0, colon), port = colon == std::string::npos ? "" : text.substr(colon + 1);
        const bool port_ok = port == "*" || (!port.empty() && port.size() <= 5 &&
                                             port.find_first_not_of("0123456789") == std::string::npos &&
                                             std::stoul(port) >= 1 && std::stoul(port) <= 65535);
        if ((host != "*" && host != "localhost") || !port_ok)
            problems.push_back("a network address other than *:PORT or localhost:PORT in (" + head + " …)");
    }
    for (const auto& p : used)
        if (!defined.count(p)) problems.push_back("parameter " + p + " is not defined");
    if (head == "regex" && f.items.size() == 2 && f.items[1].kind == Sexp::Kind::String) {
        try {
            std::regex re(f.items[1].text, std::regex::extended);
        } catch (const std::regex_error& e) {
            problems.push_back("regex " + f.items[1].text + ": " + e.what());
        }
    }
}

}  // namespace

std::vector<std::string> check_profile(const std::vector<Sexp>& forms, const std::set<std::string>& defined) {
    std::vector<std::string> problems;
    if (forms.size() < 2 || forms[0].head() != "version" || forms[0].items.size() != 2 || forms[0].items[1].text != "1")
        problems.push_back("the profile does not start with (version 1)");
    if (forms.size() < 2 || forms[1].head() != "deny" || forms[1].items.size() != 2 ||
        !forms[1].items[1].is_symbol("default"))
        problems.push_back("the second form is not (deny default)");
    for (std::size_t n = 1; n < forms.size(); ++n) {
        const Sexp& rule = forms[n];
        if (rule.head() != "allow" && rule.head() != "deny") {
            problems.push_back("unexpected form " + rule.head());
            continue;
        }
        std::size_t i = 1;
        for (; i < rule.items.size() && rule.items[i].kind == Sexp::Kind::Symbol; ++i)
            if (!is_operation(rule.items[i].text)) problems.push_back("unknown operation " + rule.items[i].text);
        if (i == 1) problems.push_back("a rule without an operation");
        for (; i < rule.items.size(); ++i) check_filter(rule.items[i], defined, problems);
    }
    return problems;
}

// ----------------------------------------------------------------------------- evaluator

namespace {

bool under(std::string_view path, std::string_view dir) {
    if (dir == "/") return !path.empty() && path[0] == '/';
    return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

// "*:443", "localhost:*" against a query's port (the evaluator's connections have no host
// but a port, so a host of "*" or "localhost" matches).
bool endpoint_matches(const Sexp& args_proto, const Sexp* address, const std::string& proto, unsigned port,
                      const std::map<std::string, std::string>& params) {
    if (args_proto.text != proto && !(args_proto.text == "ip" && (proto == "tcp" || proto == "udp"))) return false;
    if (!address) return true;
    const std::optional<std::string> value = string_value(*address, params);
    if (!value) return false;  // a path (a unix socket's), or an undefined parameter
    const std::string& a = *value;
    auto colon = a.rfind(':');
    if (colon == std::string::npos) return false;
    std::string p = a.substr(colon + 1);
    return p == "*" || p == std::to_string(port);
}

bool filter_matches(const Sexp& f, const Query& q, const std::map<std::string, std::string>& params) {
    std::string head = f.head();
    if (head == "require-all" || head == "require-any") {
        bool all = head == "require-all";
        for (std::size_t i = 1; i < f.items.size(); ++i)
            if (filter_matches(f.items[i], q, params) != all) return !all;
        return all;
    }
    if (head == "require-not") return !filter_matches(f.items.at(1), q, params);
    if (head == "remote" || head == "local") {
        const std::string& proto = head == "remote" ? q.remote_proto : q.local_proto;
        if (proto.empty() || f.items.size() < 2) return false;
        return endpoint_matches(f.items[1], f.items.size() > 2 ? &f.items[2] : nullptr, proto, q.port, params);
    }
    if (head == "literal" || head == "subpath" || head == "regex" || head == "prefix" || head == "path") {
        if (q.path.empty()) return false;
        auto arg = string_value(f.items.at(1), params);
        if (!arg) throw std::runtime_error("a path filter with an undefined parameter");
        if (head == "literal" || head == "path") return q.path == *arg;
        if (head == "subpath") return under(q.path, *arg);
        if (head == "prefix") return q.path.starts_with(*arg);
        static std::map<std::string, std::regex> compiled;
        auto it = compiled.find(*arg);
        if (it == compiled.end()) it = compiled.emplace(*arg, std::regex(*arg, std::regex::extended)).first;
        return std::regex_search(q.path, it->second);
    }
    return false;  // target, sysctl-name, global-name, …: not part of the queries asked
}

bool rule_matches(const Sexp& rule, std::size_t first_filter, const Query& q,
                  const std::map<std::string, std::string>& params) {
    if (first_filter == rule.items.size()) return true;  // no filter: every instance
    for (std::size_t i = first_filter; i < rule.items.size(); ++i)
        if (filter_matches(rule.items[i], q, params)) return true;
    return false;
}

// The operation names that decide `op`, most specific first: the operation, then each
// wildcard of the table that covers it ("file-read*", "file*"), then "default".
std::vector<std::string> deciding_operations(const std::string& op) {
    std::vector<std::string> levels = {op};
    std::vector<std::string> wildcards;
    for (std::string_view name : operation_names())
        if (name.ends_with('*') && name != op && op.starts_with(name.substr(0, name.size() - 1)))
            wildcards.emplace_back(name);
    std::sort(wildcards.begin(), wildcards.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    levels.insert(levels.end(), wildcards.begin(), wildcards.end());
    levels.push_back("default");
    return levels;
}

}  // namespace

bool evaluate(const std::vector<Sexp>& forms, const Query& q, const std::map<std::string, std::string>& params) {
    for (const std::string& level : deciding_operations(q.operation)) {
        std::optional<bool> decision;
        for (const Sexp& rule : forms) {
            std::string effect = rule.head();
            if (effect != "allow" && effect != "deny") continue;
            std::size_t i = 1;
            bool names_level = false;
            for (; i < rule.items.size() && rule.items[i].kind == Sexp::Kind::Symbol; ++i)
                names_level = names_level || rule.items[i].text == level;
            if (names_level && rule_matches(rule, i, q, params)) decision = effect == "allow";
        }
        if (decision) return *decision;
    }
    return false;
}

// ----------------------------------------------------------------------------- IR reference

bool ir_allows(const ir::PathNode& root, const std::vector<ir::GlobRule>& globs, std::string_view path,
               ir::Right right) {
    std::vector<std::string> parts = ir::split_path(path);
    int best_depth = -1;
    bool denied = false;
    auto consider = [&](int depth, const ir::PathRule& rule) {
        if (!(rule.rights & right)) return;
        if (depth > best_depth) best_depth = depth, denied = false;
        if (depth == best_depth && rule.effect == ir::Effect::Deny) denied = true;
    };
    const ir::PathNode* node = &root;
    for (std::size_t depth = 0;; ++depth) {
        for (const auto& r : node->rules) consider(static_cast<int>(depth), r);
        if (depth == parts.size()) break;
        auto it = node->children.find(parts[depth]);
        if (it == node->children.end()) break;
        node = &it->second;
    }
    std::string prefix;
    for (std::size_t depth = 0; depth <= parts.size(); ++depth) {
        if (depth > 0) prefix += "/" + parts[depth - 1];
        for (const auto& g : globs)
            if (glob_match(g.pattern, prefix.empty() ? "/" : prefix)) consider(static_cast<int>(depth), g.rule);
    }
    return best_depth >= 0 && !denied;
}

Reference::Reference(const ir::Policy& p) : root(p.root), globs(p.globs) {}

bool Reference::allows(ir::Rights needed, std::string_view path) const {
    for (ir::Rights r = needed; r; r &= r - 1)
        if (!ir_allows(root, globs, path, static_cast<ir::Right>(r & -r))) return false;
    return true;
}

}  // namespace nono::sbpl::test
