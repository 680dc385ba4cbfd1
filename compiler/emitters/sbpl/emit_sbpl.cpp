// Stage 3 (SBPL back end): see emit_sbpl.hpp for the precedence argument.
//
// Output, in order: the header, the process baseline (non-path operations a process needs
// to start; the files it needs are the profile's, stated by profiles/base.nono), the path rules sorted by depth, the literal ancestors of granted paths, the
// network, the macOS-only statements. Every rule written for a statement carries a
// `; file:line` comment; every string goes through quote().
#include "compiler/emitters/sbpl/emit_sbpl.hpp"

#include "core/paths.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <set>
#include <span>
#include <sstream>

namespace nono::sbpl {

namespace {

using ir::Effect;
using ir::Rights;

// Leaf operations only: a wildcard (file-read*) next to one of its leaves on overlapping
// paths would let the leaf win whatever the order. Operations the IR has no right for
// (file-write-setugid, file-chroot, file-mount, …) stay under (deny default).
constexpr PathOperation kPathOperations[] = {
    {"file-read-data", ir::ReadFile | ir::ReadDir},  // reading a file and listing a directory
    {"file-read-xattr", ir::ReadFile},
    {"file-map-executable", ir::ReadFile},  // dlopen of a readable library (Linux does not gate it)
    {"file-lock", ir::ReadFile},
    {"process-exec*", ir::Execute},
    {"file-write-data", ir::WriteFile | ir::Truncate},
    {"file-write-mode", ir::WriteFile},  // chmod, chown, utimes, … are writes of the file
    {"file-write-owner", ir::WriteFile},
    {"file-write-times", ir::WriteFile},
    {"file-write-flags", ir::WriteFile},
    {"file-write-xattr", ir::WriteFile},
    {"file-write-acl", ir::WriteFile},
    {"file-write-finderinfo", ir::WriteFile},
    {"file-write-create",
     ir::CreateFile | ir::CreateDir | ir::CreateSymlink | ir::CreateFifo | ir::CreateSocket},
    {"file-write-unlink", ir::RemoveFile | ir::RemoveDir},
    {"file-link", ir::Refer},
    {"file-mknod", ir::CreateChar | ir::CreateBlock},
    {"file-ioctl", ir::IoctlDev},
};

// Seen on any path a process may use: stat() and access() of it.
constexpr std::string_view kMetadataOperations[] = {"file-read-metadata", "file-test-existence"};

// The macOS symlinks into /private: the kernel checks the resolved path, so a rule on
// /tmp/x is also written for /private/tmp/x.
constexpr std::string_view kPrivateRoots[] = {"tmp", "var", "etc"};

// ----------------------------------------------------------------------------- strings

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not well formed
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (n == 0 || c > 0xf4 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
    unsigned char d = byte(i + 1);
    if (c == 0xe0 && d < 0xa0) return 0;  // overlong
    if (c == 0xed && d >= 0xa0) return 0;  // surrogate
    if (c == 0xf0 && d < 0x90) return 0;  // overlong
    if (c == 0xf4 && d >= 0x90) return 0;  // above U+10FFFF
    return n;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Comment text is free, but a newline would end the comment and start a rule.
std::string comment_text(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = utf8_sequence(text, i);
        if (n == 0 || (n == 1 && is_control(static_cast<unsigned char>(text[i])))) {
            out += '?';
            i += n == 0 ? 1 : n;
            continue;
        }
        out.append(text.substr(i, n));
        i += n;
    }
    return out;
}

// A regex matching `text` literally. Metacharacters become one-character classes or
// escapes, so no `\` sequence reaches Seatbelt's string reader but `\\` (nono's scheme).
std::string regex_literal(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '.': case '+': case '*': case '?': case '(': case ')':
            case '{': case '}': case '|': case '$':
                out += '[';
                out += c;
                out += ']';
                break;
            case '^': case '[': case ']': case '\\':
                out += '\\';
                out += c;
                break;
            default: out += c;
        }
    }
    return out;
}

// ----------------------------------------------------------------------------- globs

// A glob pattern split into components; `**` stands for any number of components.
struct Glob {
    std::vector<std::string> components;
    std::size_t literal_prefix = 0;  // components before the first wildcard
    std::size_t fixed = 0;           // components that are not `**`
    std::size_t stars = 0;           // `**` components

    explicit Glob(std::string_view pattern) : components(ir::split_path(pattern)) {
        while (literal_prefix < components.size() && !is_glob(components[literal_prefix])) ++literal_prefix;
        for (const auto& c : components) c == "**" ? ++stars : ++fixed;
    }
};

// The regex of one glob component (not `**`).
std::string component_regex(std::string_view component) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= component.size(); ++i) {
        if (i < component.size() && component[i] != '*' && component[i] != '?') continue;
        out += regex_literal(component.substr(start, i - start));
        if (i < component.size()) {
            if (component[i] == '?') {
                out += "[^/]";
            } else {
                out += "[^/]*";
                while (i + 1 < component.size() && component[i + 1] == '*') ++i;  // `a**b` is `a*b`
            }
        }
        start = i + 1;
    }
    return out;
}

// Anchored regexes matching a path at or below a match of the glob whose `**` components
// take exactly `counts[i]` components each (or at least, when `open`), one per way of
// dividing `extra` components among the `**`s.
std::vector<std::string> glob_regexes(const Glob& glob, std::size_t extra, bool open) {
    std::vector<std::string> out;
    std::vector<std::size_t> counts(glob.stars, 0);
    auto render = [&] {
        std::string re = "^";
        std::size_t star = 0;
        for (const auto& c : glob.components) {
            if (c != "**") {
                re += "/" + component_regex(c);
                continue;
            }
            for (std::size_t k = 0; k < counts[star]; ++k) re += "/[^/]+";
            if (open) re += "(/[^/]+)*";
            ++star;
        }
        out.push_back(re + "(/.*)?$");
    };
    // Every composition of `extra` into glob.stars parts.
    auto divide = [&](auto& self, std::size_t star, std::size_t left) -> void {
        if (star + 1 == glob.stars) {
            counts[star] = left;
            render();
            return;
        }
        for (std::size_t k = 0; k <= left; ++k) {
            counts[star] = k;
            self(self, star + 1, left - k);
        }
    };
    if (glob.stars == 0) {
        if (extra == 0) render();
    } else {
        divide(divide, 0, extra);
    }
    return out;
}

// ----------------------------------------------------------------------------- output

std::string origin_comment(const ir::Origin& origin) {
    std::string where = origin.loc.line ? origin.loc.file.str() + ":" + std::to_string(origin.loc.line) : origin.loc.file.str();
    if (origin.statement.empty()) return comment_text(where);
    return comment_text(where.empty() ? origin.statement : where + ": " + origin.statement);
}

std::string unrepresentable(std::string_view text, const ir::Origin& origin, const std::exception& why) {
    return origin.loc.str() + ": \"" + comment_text(text) + "\" cannot be written in SBPL (" + why.what() +
           "): Seatbelt strings must be UTF-8 without control characters";
}

// The /private spellings of a path or glob: one per root its first component matches
// ("/tmp/x" → "/private/tmp/x"; "/*/x" → "/private/etc/x", "/private/tmp/x",
// "/private/var/x"). A leading `**` already matches below /private.
std::vector<std::string> private_spellings(std::string_view pattern) {
    std::vector<std::string> out;
    std::size_t slash = pattern.find('/', 1);
    std::string_view first = pattern.substr(1, slash == std::string_view::npos ? std::string_view::npos : slash - 1);
    std::string_view rest = slash == std::string_view::npos ? std::string_view() : pattern.substr(slash);
    if (first == "**") return out;
    for (std::string_view root : kPrivateRoots)
        if (glob_match("/" + std::string(first), "/" + std::string(root)))
            out.push_back("/private/" + std::string(root) + std::string(rest));
    return out;
}

std::string parent_of(const std::string& path) { return path.substr(0, std::max<std::size_t>(path.rfind('/'), 1)); }

// One path rule of the output: (allow|deny OPERATIONS FILTERS) ordered by the depth of
// the path it matches.
struct PathForm {
    std::size_t depth = 0;
    Effect effect = Effect::Allow;
    std::vector<std::string_view> operations;
    std::string filters;
    std::string comment;
};

// After every other path rule: matches of `**` deeper than any rule of the profile.
constexpr std::size_t kBeyondEveryRule = static_cast<std::size_t>(-1);

// The decisions of one trie node or glob: the rights it allows and denies, and whether
// it hides the path's existence too (a deny of every right).
struct Decision {
    Rights allowed = 0;
    Rights denied = 0;
    Rights mentioned = 0;  // rights a rule here speaks of (the others fall through)
    bool hide = false;
};

class Emitter {
public:
    Emitter(const ir::Policy& policy, const TargetOptions& options) : policy_(policy), options_(options) {}
    TargetOutput run();

private:
    void walk(const ir::PathNode& node, const std::string& path, Rights inherited);
    void add_node(const std::string& path, const ir::PathNode& node, Rights inherited);
    void add_glob(const ir::GlobRule& rule);
    void add_protected(const std::string& path, const ir::Origin& origin);
    void add_forms(std::size_t depth, const Decision& d, const std::string& filters, const std::string& comment);
    void note_partial(std::string_view where, Rights allowed, Rights mentioned, Rights denied,
                      const ir::Origin& origin);

    std::string path_expr(const std::string& path);
    std::optional<std::pair<std::string, std::string>> symbolic_base(const std::string& path) const;

    void write_process_baseline(std::ostream& out);
    void write_paths(std::ostream& out);
    void write_network(std::ostream& out);
    void write_macos(std::ostream& out);
    void report(TargetOutput& output);

    const ir::Policy& policy_;
    const TargetOptions& options_;
    Rights glob_rights_ = 0;           // rights that some glob of the profile speaks of
    std::size_t deepest_ = 0;          // the deepest depth a trie rule or a glob's fixed part has
    std::vector<PathForm> forms_;
    std::set<std::string> ancestors_;  // literal paths whose metadata stays visible
    std::set<std::string> params_;     // symbolic parameters used
    std::set<std::string> concrete_globs_;
    std::vector<FidelityItem> items_;
    std::set<std::string> noted_;
};

Decision decide_here(const std::vector<ir::PathRule>& rules) {
    Decision d;
    for (const auto& r : rules) (r.effect == Effect::Allow ? d.allowed : d.denied) |= r.rights;
    d.allowed &= ~d.denied;
    d.mentioned = d.allowed | d.denied;
    d.hide = d.denied == ir::kAllRights;
    return d;
}

void Emitter::walk(const ir::PathNode& node, const std::string& path, Rights inherited) {
    if (!node.rules.empty()) {
        try {
            add_node(path.empty() ? "/" : path, node, inherited);
        } catch (const UnrepresentableString& e) {
            throw UnrepresentableString(unrepresentable(path, node.rules.front().origin, e));
        }
        Decision d = decide_here(node.rules);
        inherited = (inherited & ~d.mentioned) | d.allowed;
    }
    for (const auto& [name, child] : node.children) walk(child, path + "/" + name, inherited);
}

// Seatbelt has one operation where the IR has several rights (file-write-create for
// create-file, create-dir, …): the operation is allowed only with all of them, and a
// profile that grants some without the others is enforced more strictly.
void Emitter::note_partial(std::string_view where, Rights allowed, Rights mentioned, Rights denied,
                           const ir::Origin& origin) {
    for (const auto& op : kPathOperations) {
        Rights part = op.rights & allowed;
        if (!(op.rights & mentioned) || !part || part == op.rights || (op.rights & denied)) continue;
        std::string what = std::string(op.name) + " at " + std::string(where) + ": Seatbelt cannot allow " +
                           ir::rights_to_string(part) + " without " + ir::rights_to_string(op.rights & ~part) +
                           "; denied";
        if (noted_.insert(what).second) items_.push_back({FidelityItem::Level::Stricter, what, {origin}});
    }
}

void Emitter::add_node(const std::string& path, const ir::PathNode& node, Rights inherited) {
    Decision d = decide_here(node.rules);
    // A right no rule here speaks of keeps the ancestors' decision, unless a glob may have
    // changed it on the way: then it counts as denied (stricter, never weaker).
    d.allowed |= inherited & ~d.mentioned & ~glob_rights_;
    note_partial(path, d.allowed, d.mentioned, d.denied, node.rules.front().origin);
    std::string comment;
    for (const auto& r : node.rules) comment += (comment.empty() ? "" : "; ") + origin_comment(r.origin);

    std::vector<std::string> spellings = {path};
    if (!symbolic_base(path))  // a parameter's value is given canonical (see the notes)
        for (auto& p : private_spellings(path)) spellings.push_back(std::move(p));
    for (const auto& s : spellings) {
        add_forms(ir::split_path(s).size(), d, "(subpath " + path_expr(s) + ")", comment);
        if (d.allowed & d.mentioned)
            for (std::string a = s; a != "/";) ancestors_.insert(a = parent_of(a));
    }
}

// An operation is allowed when every right it needs is allowed, denied when it needs a
// denied right or is only partly allowed, and not written when no right it needs is spoken of.
void Emitter::add_forms(std::size_t depth, const Decision& d, const std::string& filters, const std::string& comment) {
    PathForm allow{depth, Effect::Allow, {}, filters, comment};
    PathForm deny{depth, Effect::Deny, {}, filters, comment};
    for (const auto& op : kPathOperations) {
        if (!(op.rights & d.mentioned)) continue;
        bool allowed = !(op.rights & d.denied) && (op.rights & d.allowed) == op.rights;
        (allowed ? allow : deny).operations.push_back(op.name);
    }
    for (std::string_view op : kMetadataOperations) {
        if (d.allowed & d.mentioned) allow.operations.push_back(op);
        else if (d.hide) deny.operations.push_back(op);
    }
    for (PathForm* f : {&allow, &deny})
        if (!f->operations.empty()) forms_.push_back(std::move(*f));
}

void Emitter::add_glob(const ir::GlobRule& rule) {
    Decision d;
    (rule.rule.effect == Effect::Allow ? d.allowed : d.denied) = rule.rule.rights;
    d.mentioned = rule.rule.rights;
    d.hide = d.denied == ir::kAllRights;
    note_partial(rule.pattern, d.allowed, d.mentioned, d.denied, rule.rule.origin);
    std::string comment = origin_comment(rule.rule.origin);
    if (options_.symbolic && symbolic_base(rule.pattern)) concrete_globs_.insert(rule.pattern);

    std::vector<std::string> spellings = {rule.pattern};
    for (auto& p : private_spellings(rule.pattern)) spellings.push_back(std::move(p));
    for (const auto& spelling : spellings) {
        Glob glob(spelling);
        auto filters = [](const std::vector<std::string>& regexes) {
            std::string out;
            for (const auto& re : regexes) out += (out.empty() ? "(regex " : " (regex ") + quote(re) + ")";
            return out;
        };
        // A glob is as specific as the path it matches, so a pattern with `**` is written
        // once per depth it may match at up to the deepest rule, then once for every
        // deeper match, after all other rules.
        if (glob.stars == 0) {
            add_forms(glob.fixed, d, filters(glob_regexes(glob, 0, false)), comment);
        } else {
            for (std::size_t depth = glob.fixed; depth <= deepest_; ++depth)
                add_forms(depth, d, filters(glob_regexes(glob, depth - glob.fixed, false)), comment);
            std::size_t beyond = std::max(deepest_ + 1, glob.fixed);
            add_forms(kBeyondEveryRule, d, filters(glob_regexes(glob, beyond - glob.fixed, true)), comment);
        }
        if (d.allowed) {
            // stat() along the way to a match: the literal part, and below it.
            std::string prefix;
            for (std::size_t i = 0; i < glob.literal_prefix; ++i) prefix += "/" + glob.components[i];
            if (prefix.empty()) prefix = "/";
            forms_.push_back({glob.literal_prefix, Effect::Allow, {std::begin(kMetadataOperations), std::end(kMetadataOperations)},
                              "(subpath " + quote(prefix) + ")", comment});
            for (std::string a = prefix; a != "/";) ancestors_.insert(a = parent_of(a));
        }
    }
}

// `protect`: Seatbelt decides a path whether or not it exists, so writing it (and creating
// it, removing it, renaming onto it) is refused outright, with no cost to the directory
// around it. After every other rule, so that no grant of a deeper path reopens it; a
// subpath, so that a protected directory's entries are covered too (for a file it is the
// literal). Leaf operations, as everywhere here.
void Emitter::add_protected(const std::string& path, const ir::Origin& origin) {
    Decision d;
    d.denied = d.mentioned = ir::kWrite;
    std::vector<std::string> spellings = {path};
    if (!symbolic_base(path))
        for (auto& p : private_spellings(path)) spellings.push_back(std::move(p));
    for (const auto& s : spellings) add_forms(kBeyondEveryRule, d, "(subpath " + path_expr(s) + ")", origin_comment(origin));
}

// The binding a path starts with, for --symbolic: HOME, CWD, TMPDIR or a param (params are
// the lower-case names); the longest value wins.
std::optional<std::pair<std::string, std::string>> Emitter::symbolic_base(const std::string& path) const {
    if (!options_.symbolic) return std::nullopt;
    std::optional<std::pair<std::string, std::string>> best;
    for (const auto& [name, value] : policy_.bindings) {
        bool per_user = std::find(std::begin(kSymbolicVariables), std::end(kSymbolicVariables), name) !=
                            std::end(kSymbolicVariables) ||
                        (!name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_'));
        if (!per_user || value.size() < 2 || value[0] != '/') continue;
        bool below = path == value || (path.starts_with(value) && path[value.size()] == '/');
        if (below && (!best || value.size() > best->second.size())) best = {name, value};
    }
    return best;
}

std::string Emitter::path_expr(const std::string& path) {
    auto base = symbolic_base(path);
    if (!base) return quote(path);
    params_.insert(base->first);
    std::string param = "(param " + quote(base->first) + ")";
    if (path.size() == base->second.size()) return param;
    return "(string-append " + param + " " + quote(path.substr(base->second.size())) + ")";
}

void Emitter::write_process_baseline(std::ostream& out) {
    out << "\n; Process baseline: what a process (python3, node) needs to start.\n"
           "(allow process-fork)\n";
    if (policy_.network.signal_outside)
        out << "(allow signal)  ; " << origin_comment(*policy_.network.signal_outside) << "\n";
    else
        out << "(allow signal (target same-sandbox))\n";
    out << "(allow process-info* (target same-sandbox))\n"
           "(allow sysctl-read (sysctl-name-prefix \"hw.\") (sysctl-name-prefix \"machdep.cpu.\")\n"
           "  (sysctl-name \"kern.ostype\") (sysctl-name \"kern.osrelease\") (sysctl-name \"kern.osversion\")\n"
           "  (sysctl-name \"kern.osproductversion\") (sysctl-name \"kern.version\") (sysctl-name \"kern.hostname\")\n"
           "  (sysctl-name \"kern.argmax\") (sysctl-name \"kern.maxfilesperproc\") (sysctl-name \"kern.boottime\")\n"
           "  (sysctl-name \"kern.secure_kernel\") (sysctl-name \"kern.usrstack64\") (sysctl-name-prefix \"kern.proc.pid.\")\n"
           "  (sysctl-name \"sysctl.proc_cputype\") (sysctl-name \"sysctl.proc_translated\") (sysctl-name \"vm.loadavg\"))\n"
           "(allow mach-host*)  ; node: os.cpus()\n"
           "(allow ipc-posix-sem*)  ; python: multiprocessing locks\n"
           "(allow ipc-posix-shm-read-data (ipc-posix-name-prefix \"apple.cfprefs.\"))\n"
           "(allow user-preference-read)\n"
           "(allow mach-lookup (global-name \"com.apple.system.opendirectoryd.libinfo\")\n"
           "  (global-name \"com.apple.system.logger\") (global-name \"com.apple.logd\")\n"
           "  (global-name \"com.apple.cfprefsd.daemon\") (global-name \"com.apple.cfprefsd.agent\")\n"
           "  (local-name \"com.apple.cfprefsd.agent\"))\n"
           "(allow iokit-open* (iokit-registry-entry-class \"RootDomainUserClient\"))\n"
           "(allow pseudo-tty)\n";
}

void Emitter::write_paths(std::ostream& out) {
    std::stable_sort(forms_.begin(), forms_.end(), [](const PathForm& a, const PathForm& b) {
        return std::pair(a.depth, a.effect == Effect::Deny) < std::pair(b.depth, b.effect == Effect::Deny);
    });
    out << "\n; Files: ordered by the depth of the path each rule matches, allows before denies at one\n"
           "; depth, so the last matching rule (the one Seatbelt applies) is the most specific.\n";
    for (const auto& f : forms_) {
        out << (f.effect == Effect::Allow ? "(allow" : "(deny");
        for (auto op : f.operations) out << ' ' << op;
        out << ' ' << f.filters << ")  ; " << f.comment << "\n";
    }
    out << "\n; stat() along the way to every granted path.\n";
    for (const auto& a : ancestors_) out << "(allow file-read-metadata file-test-existence (literal " << path_expr(a) << "))\n";
}

void Emitter::write_network(std::ostream& out) {
    const ir::Network& net = policy_.network;
    out << "\n; Network.\n";
    if (net.all) {
        out << "(allow network*)  ; " << origin_comment(*net.all) << "\n";
        return;
    }
    bool any = !net.tcp_connect.empty() || !net.tcp_bind.empty() || net.udp || net.unix_sockets || net.mediated();
    if (!any) {
        out << "(deny network*)  ; no network statement\n";
        return;
    }
    // Seatbelt's address filter takes one port or `*`, and the last matching rule wins: a
    // set of ports is written port by port, or — when it holds most ports — as every port
    // and then a deny for each port outside it.
    auto ports = [&](const std::vector<ir::PortRange>& ranges, std::string_view rule, std::string_view filter) {
        if (ranges.empty()) return;
        std::vector<bool> in(65536, false);
        std::size_t count = 0;
        for (const auto& r : ranges)
            for (std::uint32_t port = r.first; port <= r.last; ++port) {
                count += !in[port];
                in[port] = true;
            }
        if (count > 65535 / 2) {
            out << "(allow " << rule << " (" << filter << " tcp \"*:*\"))  ; " << origin_comment(ranges.front().origin)
                << "\n";
            for (std::uint32_t port = 1; port <= 65535; ++port)
                if (!in[port])
                    out << "(deny " << rule << " (" << filter << " tcp \"*:" << port << "\"))  ; not an allowed port\n";
            return;
        }
        for (const auto& r : ranges)
            for (std::uint32_t port = r.first; port <= r.last; ++port)
                out << "(allow " << rule << " (" << filter << " tcp \"*:" << port << "\"))  ; "
                    << origin_comment(r.origin) << "\n";
    };
    ports(net.tcp_connect, "network-outbound", "remote");
    ports(net.tcp_bind, "network-bind network-inbound", "local");
    if (net.udp) {
        std::string c = origin_comment(*net.udp);
        out << "(allow network-outbound (remote udp \"*:*\"))  ; " << c << "\n"
            << "(allow network-bind network-inbound (local udp \"*:*\"))  ; " << c << "\n";
    }
    if (net.unix_sockets) {
        std::string c = origin_comment(*net.unix_sockets);
        out << "(allow system-socket (socket-domain AF_UNIX))  ; " << c << "\n"
            << "(allow network-outbound (remote unix-socket))  ; " << c << "\n"
            << "(allow network-bind (local unix-socket))  ; " << c << "\n";
    }
    // After the port rules, whose denies (most ports allowed) they must follow to win.
    if (!net.tcp_connect_hosts.empty()) {
        std::set<ir::Origin> statements;  // in source order, a statement naming several hosts once
        for (const ir::HostRule& h : net.tcp_connect_hosts) statements.insert(h.origin);
        std::string c;
        for (const ir::Origin& o : statements) c += (c.empty() ? "" : "; ") + origin_comment(o);
        out << "; Hosts: only through nono's proxy, on the run's port of localhost; the proxy resolves names itself.\n"
            << "(allow network-outbound (remote tcp (string-append \"localhost:\" (param " << quote(kProxyPortParam)
            << "))))  ; " << c << "\n";
    }
    if (net.loopback) {
        std::string c = origin_comment(*net.loopback);
        out << "(allow network-outbound (remote tcp \"localhost:*\"))  ; " << c << "\n"
            << "(allow network-bind network-inbound (local tcp \"localhost:*\"))  ; " << c << "\n";
    }
    if (!net.unix_connect.empty() && !net.unix_sockets) {
        out << "(allow system-socket (socket-domain AF_UNIX))  ; allow unix connect\n";
        for (const auto& [path, origin] : net.unix_connect) {
            std::vector<std::string> spellings = {path};
            for (auto& p : private_spellings(path)) spellings.push_back(std::move(p));
            for (const std::string& spelling : spellings) {
                try {
                    out << "(allow network-outbound (remote unix-socket (path-literal " << quote(spelling) << ")))  ; "
                        << origin_comment(origin) << "\n";
                } catch (const UnrepresentableString& e) {
                    throw UnrepresentableString(unrepresentable(path, origin, e));
                }
            }
        }
    }
    if (!net.tcp_connect.empty() || net.udp) {
        out << "; Name resolution goes through mDNSResponder's socket and the configuration services.\n"
               "(allow system-socket (socket-domain AF_UNIX) (socket-type SOCK_STREAM))\n"
               "(allow network-outbound (literal \"/private/var/run/mDNSResponder\"))\n"
               "(allow mach-lookup (global-name \"com.apple.SystemConfiguration.DNSConfiguration\")\n"
               "  (global-name \"com.apple.SystemConfiguration.configd\") (global-name \"com.apple.trustd.agent\"))\n";
    }
}

void Emitter::write_macos(std::ostream& out) {
    const ir::MacosExtras& m = policy_.macos;
    if (m.mach_lookup.empty() && !m.sysctl_read) return;
    out << "\n; macOS statements of the profile.\n";
    for (const auto& [service, origin] : m.mach_lookup) {
        try {
            out << "(allow mach-lookup (global-name " << quote(service) << "))  ; " << origin_comment(origin) << "\n";
        } catch (const UnrepresentableString& e) {
            throw UnrepresentableString(unrepresentable(service, origin, e));
        }
    }
    if (m.sysctl_read) out << "(allow sysctl-read)  ; " << origin_comment(*m.sysctl_read) << "\n";
}

void Emitter::report(TargetOutput& output) {
    using Level = FidelityItem::Level;
    std::vector<FidelityItem> items;
    items.push_back({Level::Exact, "file rights: most specific path wins, deny wins ties (rules ordered by depth)", {}});
    for (std::size_t i = 0; i < policy_.globs.size(); ++i)
        for (std::size_t j = i + 1; j < policy_.globs.size(); ++j) {
            const auto& a = policy_.globs[i];
            const auto& b = policy_.globs[j];
            if (a.rule.effect == b.rule.effect || !(a.rule.rights & b.rule.rights)) continue;
            if (Glob(a.pattern).stars == 0 || Glob(b.pattern).stars == 0) continue;
            items.push_back({Level::Stricter,
                             "where " + a.pattern + " and " + b.pattern +
                                 " both match deeper than any other rule, deny wins (Seatbelt cannot compare the depths)",
                             {a.rule.origin, b.rule.origin}});
        }
    const ir::Network& net = policy_.network;
    if ((!net.tcp_connect.empty() || net.udp) && !net.udp && !net.all) {
        std::vector<ir::Origin> origins;
        for (const auto& r : net.tcp_connect) origins.push_back(r.origin);
        items.push_back({Level::Weaker,
                         "name resolution through mDNSResponder: DNS queries leave the machine without `allow udp`",
                         origins});
    }
    if (!net.all && (!net.tcp_connect.empty() || !net.tcp_bind.empty() || net.udp))
        items.push_back({Level::Exact, "network: only the TCP ports and protocols the profile allows", {}});
    if (!net.all) {
        std::vector<ir::Origin> hosts, addresses;
        for (const ir::HostRule& h : net.tcp_connect_hosts) {
            hosts.push_back(h.origin);
            if (h.rule.host.kind == net::HostPattern::Kind::Network) addresses.push_back(h.origin);
        }
        if (!net.tcp_connect_hosts.empty())
            items.push_back({Level::Exact,
                             "hosts: only through nono's proxy, which allows the names and ports the profile lists: "
                             "`(remote tcp \"localhost:PORT\")` with the run's port (-D " +
                                 std::string(kProxyPortParam) + ")",
                             hosts});
        if (!addresses.empty())
            items.push_back({Level::Stricter,
                             "hosts by address or network: Seatbelt cannot name an address, so a direct connect is "
                             "refused; they are reached through the proxy only, by programs that use HTTPS_PROXY or ALL_PROXY",
                             addresses});
        if (net.loopback)
            items.push_back({Level::Stricter,
                             "loopback: TCP to and on Seatbelt's `localhost`, which may cover fewer addresses than "
                             "127.0.0.0/8 and ::1, never more",
                             {*net.loopback}});
        if (!net.unix_connect.empty() && !net.unix_sockets) {
            std::vector<ir::Origin> origins;
            for (const auto& [path, origin] : net.unix_connect) origins.push_back(origin);
            items.push_back({Level::Exact, "unix sockets by path: `(remote unix-socket (path-literal PATH))`", origins});
        }
    }
    for (const auto& table : policy_.syscalls) {
        bool restricts = table.default_action.kind != ir::Action::Kind::Allow;
        for (const auto& [nr, decision] : table.decisions)
            restricts = restricts || !decision.rules.empty() || decision.otherwise.kind != ir::Action::Kind::Allow;
        if (restricts) {
            items.push_back({Level::Weaker, "syscall rules: Seatbelt has no system-call filter", {table.default_origin}});
            break;
        }
    }
    if (!policy_.limits.empty()) {
        std::vector<ir::Origin> origins;
        for (const auto& [kind, limit] : policy_.limits) origins.push_back(limit.origin);
        items.push_back({Level::Weaker, "limits: a Seatbelt profile has none (`nono exec` on macOS sets them with setrlimit, without a cgroup)", origins});
    }
    items.insert(items.end(), items_.begin(), items_.end());
    output.fidelity = {"sbpl", std::move(items)};

    if (!net.all && !net.tcp_connect_hosts.empty())
        output.notes.push_back("the profile names hosts: pass -D " + std::string(kProxyPortParam) +
                               "=PORT, the port of a proxy on localhost that allows only them (`nono exec` runs one)");
    if (!params_.empty()) {
        output.notes.push_back("symbolic profile: pass each parameter, as realpath prints it:");
        for (const auto& name : params_) {
            std::string value = policy_.bindings.at(name);
            if (auto p = private_spellings(value); !p.empty()) value = p.front();
            output.notes.push_back("-D " + name + "=" + value);
        }
    }
    for (const auto& g : concrete_globs_)
        output.notes.push_back("glob written with its bound value (regexes cannot take a parameter): " + g);
}

TargetOutput Emitter::run() {
    for (const auto& g : policy_.globs) glob_rights_ |= g.rule.rights;
    walk(policy_.root, "", 0);
    for (const auto& f : forms_) deepest_ = std::max(deepest_, f.depth);
    for (const auto& g : policy_.globs) {
        deepest_ = std::max(deepest_, Glob(g.pattern).fixed);
        for (const auto& p : private_spellings(g.pattern)) deepest_ = std::max(deepest_, Glob(p).fixed);
    }
    for (const auto& g : policy_.globs) {
        try {
            add_glob(g);
        } catch (const UnrepresentableString& e) {
            throw UnrepresentableString(unrepresentable(g.pattern, g.rule.origin, e));
        }
    }
    for (const auto& [path, origin] : policy_.protect) {
        try {
            add_protected(path, origin);
        } catch (const UnrepresentableString& e) {
            throw UnrepresentableString(unrepresentable(path, origin, e));
        }
    }

    std::ostringstream out;
    out << "; nono profile " << comment_text(policy_.name) << " for macOS Seatbelt: sandbox-exec -f "
        << comment_text(options_.base_name) << ".sb COMMAND\n";
    if (!policy_.description.empty()) out << "; " << comment_text(policy_.description) << "\n";
    out << "(version 1)\n(deny default)\n";
    write_process_baseline(out);
    write_paths(out);
    write_network(out);
    write_macos(out);

    TargetOutput output;
    report(output);
    output.artifacts.push_back({options_.base_name + ".sb", out.str()});
    return output;
}

}  // namespace

std::string quote(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = utf8_sequence(text, i);
        if (n == 0) throw UnrepresentableString("not UTF-8 at byte " + std::to_string(i));
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (n == 1 && is_control(c)) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", c);
            throw UnrepresentableString(std::string("control character ") + hex + " at byte " + std::to_string(i));
        }
        if (c == '\\' || c == '"') out += '\\';
        out.append(text.substr(i, n));
        i += n;
    }
    return out + "\"";
}

std::span<const PathOperation> path_operations() { return kPathOperations; }

TargetOutput emit(const OptimizedPolicy& optimized, const TargetOptions& options) {
    return Emitter(optimized.policy(), options).run();
}

}  // namespace nono::sbpl
