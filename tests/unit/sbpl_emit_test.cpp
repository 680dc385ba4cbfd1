// The SBPL back end, checked without a Mac: the text reads back, uses only Seatbelt's
// vocabulary, escapes every string, and decides as the IR does.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "compiler/emitters/sbpl/emit_sbpl.hpp"
#include "compiler/emitters/sbpl/vocabulary.hpp"
#include "compiler/optimize.hpp"
#include "compiler/query.hpp"
#include "sbpl_model.hpp"

using namespace nono;
using namespace nono::sbpl::test;
using ir::Effect;

namespace {

void add(ir::Policy& p, const std::string& path, Effect effect, ir::Rights rights, unsigned line = 1) {
    ir::PathRule rule{effect, rights, {{"test.nono", line, 3}, (effect == Effect::Allow ? "allow " : "deny ") + path}};
    if (path.find_first_of("*?") != std::string::npos)
        p.globs.push_back({path, rule});
    else
        ir::add_path_rule(p, path, rule);
}

struct Emitted {
    TargetOutput output;
    std::string text;
    std::vector<Sexp> forms;
};

// `p` as built: only the ranges pass runs (what makes it an OptimizedPolicy), so the
// emitter sees the rules as each test writes them.
Emitted emit(const ir::Policy& p, bool symbolic = false) {
    TargetOptions options;
    options.base_name = "test";
    options.symbolic = symbolic;
    Emitted e{sbpl::emit(coalesce_syscall_ranges(p), options), {}, {}};
    REQUIRE(e.output.artifacts.size() == 1);
    CHECK(e.output.artifacts[0].file_name == "test.sb");
    e.text = e.output.artifacts[0].content;
    e.forms = read_sbpl(e.text);
    return e;
}

bool can(const Emitted& e, const std::string& op, const std::string& path,
         const std::map<std::string, std::string>& params = {}) {
    return evaluate(e.forms, Query{op, path, {}, {}, 0}, params);
}

bool connects(const Emitted& e, const std::string& proto, unsigned port) {
    return evaluate(e.forms, Query{"network-outbound", {}, proto, {}, port});
}

std::string private_form(const std::string& path) {
    for (const char* root : {"/tmp", "/var", "/etc"})
        if (path == root || path.starts_with(std::string(root) + "/")) return "/private" + path;
    return path;
}

}  // namespace

TEST_CASE("sbpl: strings are escaped, and what cannot be carried is refused") {
    CHECK(sbpl::quote("/a b") == "\"/a b\"");
    CHECK(sbpl::quote("/a\"b\\c") == "\"/a\\\"b\\\\c\"");
    CHECK(sbpl::quote("/caf\xc3\xa9/\xe2\x82\xac") == "\"/caf\xc3\xa9/\xe2\x82\xac\"");
    CHECK_THROWS_AS(sbpl::quote("/a\nb"), sbpl::UnrepresentableString);
    CHECK_THROWS_AS(sbpl::quote("/a\x7f"), sbpl::UnrepresentableString);
    CHECK_THROWS_AS(sbpl::quote("/a\xff"), sbpl::UnrepresentableString);
    CHECK_THROWS_AS(sbpl::quote("/a\xc0\xaf"), sbpl::UnrepresentableString);      // overlong '/'
    CHECK_THROWS_AS(sbpl::quote("/a\xed\xa0\x80"), sbpl::UnrepresentableString);  // surrogate
    CHECK_THROWS_AS(sbpl::quote("/a\xe2\x82"), sbpl::UnrepresentableString);      // truncated
}

TEST_CASE("sbpl: a path Seatbelt cannot carry is an error naming the statement") {
    ir::Policy p;
    add(p, "/home/u/bad\x01name", Effect::Allow, ir::kRead, 7);
    TargetOptions options;
    options.base_name = "test";
    try {
        sbpl::emit(coalesce_syscall_ranges(p), options);
        FAIL("expected an error");
    } catch (const sbpl::UnrepresentableString& e) {
        std::string what = e.what();
        CHECK(what.find("test.nono:7:3") != std::string::npos);
        CHECK(what.find("control character 0x01") != std::string::npos);
        CHECK(what.find('\x01') == std::string::npos);
    }
    ir::Policy q;
    add(q, "/home/u/*\xfe", Effect::Deny, ir::kRead, 9);
    CHECK_THROWS_WITH_AS(sbpl::emit(coalesce_syscall_ranges(q), options), doctest::Contains("test.nono:9:3"),
                         sbpl::UnrepresentableString);
    ir::Policy m;
    m.macos.mach_lookup["com.x\"\n"] = {{"test.nono", 11, 5}, "allow mach-lookup"};
    CHECK_THROWS_WITH_AS(sbpl::emit(coalesce_syscall_ranges(m), options), doctest::Contains("test.nono:11:5"),
                         sbpl::UnrepresentableString);
}

TEST_CASE("sbpl: the reader rejects what Seatbelt would misread") {
    CHECK_THROWS_AS(read_sbpl("(allow file-read-data (subpath \"/x\")"), ReadError);
    CHECK_THROWS_AS(read_sbpl("(allow))"), ReadError);
    CHECK_THROWS_AS(read_sbpl("(allow file-read-data (regex \"^/a\\.b$\"))"), ReadError);  // "\." reads as "."
    auto forms = read_sbpl("(allow file-read-data (regex #\"^/dev/ttys[0-9]+$\")) ; c \"\n(x \"a\\\"b\")");
    REQUIRE(forms.size() == 2);
    CHECK(forms[0].items[2].items[1].raw);
    CHECK(forms[1].items[1].text == "a\"b");
    // A raw string ends at its first quote: an escaped quote inside breaks the form apart.
    CHECK_THROWS_AS(read_sbpl("(allow file-read-data (regex #\"a\\\"b\"))"), ReadError);
    auto split = read_sbpl("(version 1)(deny default)(allow file-read-data (regex #\"a\\\" b \"c\"))");
    CHECK(check_profile(split, {}) == std::vector<std::string>{"a path filter with 3 arguments"});
}

TEST_CASE("sbpl: the vocabulary is the table's, and the emitter stays within it") {
    CHECK(sbpl::operation_names().size() == 196);
    CHECK(sbpl::filter_names().size() == 93);
    for (const auto& op : sbpl::path_operations()) {
        CHECK_MESSAGE(sbpl::is_operation(op.name), op.name);
        bool wildcard = op.name.ends_with("*") && op.name != "process-exec*";  // it has no leaf we use
        CHECK_FALSE(wildcard);
    }
    for (const auto& [form, filter] : {std::pair{"literal", "path"}, {"global-name-prefix", "global-name"}}) {
        auto f = sbpl::filter_of_form(form);
        REQUIRE(f);
        CHECK(*f == filter);
        CHECK(std::find(sbpl::filter_names().begin(), sbpl::filter_names().end(), *f) != sbpl::filter_names().end());
    }
    CHECK_FALSE(sbpl::filter_of_form("subpth"));
}

TEST_CASE("sbpl: an injection in a path stays a path") {
    const std::string evil = "/home/u/x\") (allow default) (deny file-read-data (subpath \"";
    ir::Policy p;
    p.name = "evil\n(allow default)";
    add(p, evil, Effect::Allow, ir::kRead);
    add(p, "/home/u/y\\\") (allow default", Effect::Allow, ir::kWrite);
    add(p, "/home/u/*\") (allow default) (\"", Effect::Deny, ir::kRead);
    auto e = emit(p);
    CHECK(check_profile(e.forms, {}).empty());
    for (const auto& f : e.forms) CHECK_FALSE((f.head() == "allow" && f.items.size() == 2 && f.items[1].is_symbol("default")));
    bool found = false;
    for (const auto& f : e.forms)
        for (const auto& item : f.items)
            if (item.head() == "subpath" && item.items[1].text == evil) found = true;
    CHECK(found);
    CHECK(can(e, "file-read-data", evil + "/f"));
    CHECK_FALSE(can(e, "file-read-data", "/home/u/secret"));
    CHECK_FALSE(can(e, "file-write-data", "/etc/passwd"));
}

TEST_CASE("sbpl: most specific wins, deny wins a tie, whatever the order written") {
    ir::Policy p;
    add(p, "/home/u", Effect::Allow, ir::kRead | ir::kWrite);
    add(p, "/home/u/.ssh", Effect::Deny, ir::kAllRights);
    add(p, "/home/u/.ssh/known_hosts", Effect::Allow, ir::kRead);
    add(p, "/home/u/proj", Effect::Allow, ir::kRead);
    add(p, "/home/u/proj", Effect::Deny, ir::kRead);
    add(p, "/home/u/**/.env", Effect::Deny, ir::kRead);
    add(p, "/home/u/work/.env/public", Effect::Allow, ir::kRead);
    auto e = emit(p);
    CHECK(check_profile(e.forms, {}).empty());
    CHECK(can(e, "file-read-data", "/home/u/notes.txt"));
    CHECK(can(e, "file-write-create", "/home/u/new"));
    CHECK_FALSE(can(e, "file-read-data", "/home/u/.ssh/id_rsa"));
    CHECK_FALSE(can(e, "file-write-unlink", "/home/u/.ssh/id_rsa"));
    CHECK_FALSE(can(e, "file-read-metadata", "/home/u/.ssh/id_rsa"));
    CHECK(can(e, "file-read-data", "/home/u/.ssh/known_hosts"));
    CHECK(can(e, "file-read-metadata", "/home/u/.ssh"));  // stat() on the way to known_hosts
    CHECK_FALSE(can(e, "file-write-data", "/home/u/.ssh/known_hosts"));
    CHECK_FALSE(can(e, "file-read-data", "/home/u/proj/a"));  // tie: deny
    CHECK(can(e, "file-write-data", "/home/u/proj/a"));       // write comes from /home/u
    CHECK_FALSE(can(e, "file-read-data", "/home/u/.env"));
    CHECK_FALSE(can(e, "file-read-data", "/home/u/a/b/c/d/e/f/.env"));  // deeper than every rule
    CHECK(can(e, "file-read-data", "/home/u/work/.env/public/k"));
    CHECK_FALSE(can(e, "file-read-data", "/home/u/work/.env/private"));
    CHECK_FALSE(can(e, "file-read-data", "/home/v/x"));
    CHECK_FALSE(can(e, "process-exec*", "/home/u/notes.txt"));
}

TEST_CASE("sbpl: wildcard operations never meet their leaves on paths") {
    ir::Policy p;
    add(p, "/x", Effect::Allow, ir::kAllRights);
    add(p, "/x/y", Effect::Deny, ir::kRead);
    auto e = emit(p);
    for (const auto& f : e.forms) {
        bool path_rule = false;
        for (const auto& item : f.items)
            if (item.head() == "subpath" || item.head() == "literal" || item.head() == "regex") path_rule = true;
        if (!path_rule) continue;
        for (const auto& item : f.items)
            if (item.kind == Sexp::Kind::Symbol && item.text.starts_with("file"))
                CHECK_MESSAGE(!item.text.ends_with("*"), item.text);
    }
}

TEST_CASE("sbpl: /tmp, /var and /etc are written in their /private form too") {
    ir::Policy p;
    add(p, "/tmp/work", Effect::Allow, ir::kRead | ir::kWrite);
    add(p, "/var/folders/xy/T/*.lock", Effect::Deny, ir::kWrite);
    auto e = emit(p);
    CHECK(can(e, "file-write-create", "/private/tmp/work/f"));
    CHECK(can(e, "file-write-create", "/tmp/work/f"));
    CHECK_FALSE(can(e, "file-write-create", "/private/tmp/other"));
    CHECK(can(e, "file-read-metadata", "/private/tmp"));
    CHECK(can(e, "file-read-metadata", "/private"));
    CHECK(can(e, "file-read-metadata", "/tmp"));
    CHECK(e.text.find("(regex \"^/private/var/folders/xy/T/[^/]*[.]lock(/.*)?$\")") != std::string::npos);
}

TEST_CASE("sbpl: files are the profile's alone — no grant beyond it, nothing reported weaker") {
    ir::Policy p;
    add(p, "/", Effect::Deny, ir::kAllRights);
    auto e = emit(p);
    CHECK_FALSE(can(e, "file-read-data", "/System/Library/Frameworks/Foundation.framework/Foundation"));
    CHECK_FALSE(can(e, "file-map-executable", "/usr/lib/libSystem.B.dylib"));
    CHECK_FALSE(can(e, "file-write-data", "/dev/null"));
    CHECK_FALSE(can(e, "file-ioctl", "/dev/ttys003"));
    for (const auto& item : e.output.fidelity.items) CHECK_MESSAGE(item.level != FidelityItem::Level::Weaker, item.what);
    // What is not a file stays in the process baseline: a process cannot start without it.
    CHECK(e.text.find("(allow process-fork)") != std::string::npos);
    CHECK(e.text.find("com.apple.system.opendirectoryd.libinfo") != std::string::npos);
}

TEST_CASE("sbpl: network — ports, DNS only with network, nothing without a statement") {
    ir::Policy none;
    auto closed = emit(none);
    CHECK(closed.text.find("(deny network*)") != std::string::npos);
    CHECK(closed.text.find("mDNSResponder") == std::string::npos);
    CHECK_FALSE(connects(closed, "tcp", 443));

    ir::Policy web;
    web.network.tcp_connect.push_back({443, 443, {{"test.nono", 4, 3}, "allow connect tcp 443"}});
    web.network.tcp_connect.push_back({8000, 8002, {{"test.nono", 5, 3}, "allow connect tcp 8000-8002"}});
    web.network.tcp_bind.push_back({9000, 9000, {{"test.nono", 6, 3}, "allow bind tcp 9000"}});
    auto e = emit(web);
    CHECK(check_profile(e.forms, {}).empty());
    CHECK(connects(e, "tcp", 443));
    CHECK(connects(e, "tcp", 8001));
    CHECK_FALSE(connects(e, "tcp", 80));
    CHECK_FALSE(connects(e, "udp", 53));
    CHECK(evaluate(e.forms, Query{"network-bind", {}, {}, "tcp", 9000}));
    CHECK_FALSE(evaluate(e.forms, Query{"network-bind", {}, {}, "tcp", 9001}));
    CHECK(evaluate(e.forms, Query{"network-outbound", "/private/var/run/mDNSResponder", {}, {}, 0}));
    CHECK(e.text.find("(remote tcp \"*:443\"))  ; test.nono:4: allow connect tcp 443") != std::string::npos);
    CHECK(e.text.find("network*") == std::string::npos);  // no wildcard next to the leaves
    bool dns_weaker = false;
    for (const auto& item : e.output.fidelity.items)
        if (item.level == FidelityItem::Level::Weaker && item.what.find("mDNSResponder") != std::string::npos)
            dns_weaker = true;
    CHECK(dns_weaker);

    CHECK_FALSE(connects(e, "unix-socket", 0));

    ir::Policy local;
    local.network.unix_sockets = ir::Origin{{"test.nono", 2, 3}, "allow unix"};
    local.network.tcp_bind.push_back({1, 65535, {{"test.nono", 3, 3}, "allow bind tcp 1-65535"}});
    auto u = emit(local);
    CHECK(check_profile(u.forms, {}).empty());
    CHECK(connects(u, "unix-socket", 0));
    CHECK_FALSE(connects(u, "tcp", 443));
    CHECK(evaluate(u.forms, Query{"network-bind", {}, {}, "tcp", 31337}));
    CHECK(u.text.find("mDNSResponder") == std::string::npos);  // no outbound TCP or UDP: no DNS
    CHECK(u.text.size() < 10000);                                // the full range is one rule

    ir::Policy most;  // allow network + deny connect tcp 25
    most.network.tcp_connect.push_back({1, 24, {{"test.nono", 2, 3}, "allow network"}});
    most.network.tcp_connect.push_back({26, 65535, {{"test.nono", 2, 3}, "allow network"}});
    auto m = emit(most);
    CHECK(check_profile(m.forms, {}).empty());
    CHECK(connects(m, "tcp", 443));
    CHECK(connects(m, "tcp", 65535));
    CHECK_FALSE(connects(m, "tcp", 25));
    CHECK(m.text.size() < 10000);

    ir::Policy all;
    all.network.all = ir::Origin{{"test.nono", 2, 3}, "allow network"};
    auto open = emit(all);
    CHECK(connects(open, "udp", 53));
    CHECK(connects(open, "tcp", 1));
}

TEST_CASE("sbpl: hosts through the proxy's port (a parameter), loopback as localhost, unix sockets by path") {
    auto host = [](const std::string& text, std::uint16_t port, unsigned line) {
        return ir::HostRule{{std::get<net::HostPattern>(net::parse_host(text)), port, port},
                            {{"test.nono", line, 3}, "allow connect tcp " + text + ":" + std::to_string(port)}};
    };
    const std::map<std::string, std::string> proxy_at = {{std::string(sbpl::kProxyPortParam), "4711"}};
    auto connects_at = [&](const Emitted& e, unsigned port) {
        return evaluate(e.forms, Query{"network-outbound", {}, "tcp", {}, port}, proxy_at);
    };

    ir::Policy hosts;
    hosts.network.tcp_connect_hosts = {host("api.example.com", 443, 4), host("10.1.2.0/24", 5432, 5)};
    auto h = emit(hosts);
    CHECK(check_profile(h.forms, {std::string(sbpl::kProxyPortParam)}).empty());
    CHECK(check_profile(h.forms, {}) == std::vector<std::string>{"parameter NONO_PROXY_PORT is not defined"});
    CHECK(h.text.find("(allow network-outbound (remote tcp (string-append \"localhost:\" (param \"NONO_PROXY_PORT\"))))  ; "
                      "test.nono:4: allow connect tcp api.example.com:443; test.nono:5: allow connect tcp 10.1.2.0/24:5432") !=
          std::string::npos);
    CHECK(connects_at(h, 4711));       // the proxy's port
    CHECK_FALSE(connects_at(h, 443));   // not directly: the proxy decides names
    CHECK_FALSE(connects_at(h, 5432));  // nor an address, which Seatbelt cannot name
    CHECK(h.text.find("mDNSResponder") == std::string::npos);  // the proxy resolves
    std::map<FidelityItem::Level, std::vector<std::string>> said;
    for (const auto& item : h.output.fidelity.items) said[item.level].push_back(item.what);
    CHECK(said[FidelityItem::Level::Weaker].empty());
    CHECK(std::any_of(said[FidelityItem::Level::Stricter].begin(), said[FidelityItem::Level::Stricter].end(),
                      [](const std::string& w) { return w.starts_with("hosts by address or network: Seatbelt cannot name"); }));
    CHECK(std::find(h.output.notes.begin(), h.output.notes.end(),
                    "the profile names hosts: pass -D NONO_PROXY_PORT=PORT, the port of a proxy on localhost that allows "
                    "only them (`nono exec` runs one)") != h.output.notes.end());

    // Most ports allowed: the proxy's port is allowed after the denies of the others.
    ir::Policy most = hosts;
    most.network.tcp_connect.push_back({1, 4710, {{"test.nono", 2, 3}, "allow connect tcp 1-4710"}});
    most.network.tcp_connect.push_back({4800, 65535, {{"test.nono", 2, 3}, "allow connect tcp 4800-65535"}});
    auto m = emit(most);
    CHECK(check_profile(m.forms, {std::string(sbpl::kProxyPortParam)}).empty());
    CHECK(connects_at(m, 4711));
    CHECK_FALSE(connects_at(m, 4712));

    ir::Policy local;
    local.network.loopback = ir::Origin{{"test.nono", 7, 3}, "allow loopback"};
    local.network.unix_connect["/tmp/agent.sock"] = {{"test.nono", 8, 3}, "allow unix connect /tmp/agent.sock"};
    auto l = emit(local);
    CHECK(check_profile(l.forms, {}).empty());
    CHECK(l.text.find("(allow network-outbound (remote tcp \"localhost:*\"))  ; test.nono:7: allow loopback") != std::string::npos);
    CHECK(l.text.find("(allow network-bind network-inbound (local tcp \"localhost:*\"))  ; test.nono:7: allow loopback") !=
          std::string::npos);
    CHECK(evaluate(l.forms, Query{"network-bind", {}, {}, "tcp", 31337}));
    CHECK_FALSE(connects(l, "udp", 53));
    for (const char* path : {"/tmp/agent.sock", "/private/tmp/agent.sock"})
        CHECK(l.text.find("(allow network-outbound (remote unix-socket (path-literal \"" + std::string(path) + "\")))") !=
              std::string::npos);
    CHECK(l.text.find("(remote unix-socket))") == std::string::npos);  // not every socket
    CHECK(l.text.find("(deny network*)") == std::string::npos);
}

TEST_CASE("sbpl: the checker refuses a network address Seatbelt refuses") {
    for (const char* address : {"127.0.0.1:80", "localhost:0", "example.com:443", "*:http"}) {
        CAPTURE(address);
        auto forms = read_sbpl(std::string("(version 1)\n(deny default)\n(allow network-outbound (remote tcp \"") + address +
                               "\"))\n");
        CHECK(check_profile(forms, {}) ==
              std::vector<std::string>{"a network address other than *:PORT or localhost:PORT in (remote …)"});
    }
}

TEST_CASE("sbpl: macOS statements and comments name their statement") {
    ir::Policy p;
    p.macos.mach_lookup["com.example.svc"] = {{"test.nono", 12, 5}, "allow mach-lookup com.example.svc"};
    p.macos.sysctl_read = ir::Origin{{"test.nono", 13, 5}, "allow sysctl-read"};
    add(p, "/opt/tool", Effect::Allow, ir::kRead | ir::kExec, 3);
    auto e = emit(p);
    CHECK(e.text.find("(allow mach-lookup (global-name \"com.example.svc\"))  ; test.nono:12: allow mach-lookup "
                      "com.example.svc") != std::string::npos);
    CHECK(e.text.find("(allow sysctl-read)  ; test.nono:13") != std::string::npos);
    CHECK(e.text.find("(subpath \"/opt/tool\"))  ; test.nono:3: allow /opt/tool") != std::string::npos);
    CHECK(can(e, "process-exec*", "/opt/tool/bin/x"));
}

TEST_CASE("sbpl: rights Seatbelt cannot separate are denied together, and reported") {
    ir::Policy p;
    add(p, "/w", Effect::Allow, ir::CreateFile | ir::WriteFile | ir::Truncate);
    auto e = emit(p);
    CHECK_FALSE(can(e, "file-write-create", "/w/f"));
    CHECK(can(e, "file-write-data", "/w/f"));
    bool stricter = false;
    for (const auto& item : e.output.fidelity.items)
        if (item.level == FidelityItem::Level::Stricter && item.what.find("file-write-create at /w") != std::string::npos)
            stricter = true;
    CHECK(stricter);
}

TEST_CASE("sbpl: --symbolic leaves per-user values as parameters, and names every -D") {
    ir::Policy p;
    p.bindings = {{"HOME", "/Users/u"}, {"CWD", "/Users/u/src/app"}, {"TMPDIR", "/var/folders/ab/T"},
                  {"workspace", "/Users/u/src/app"}, {"USER", "u"}};
    add(p, "/Users/u", Effect::Allow, ir::kRead);
    add(p, "/Users/u/.ssh", Effect::Deny, ir::kAllRights);
    add(p, "/Users/u/src/app", Effect::Allow, ir::kRead | ir::kWrite);
    add(p, "/var/folders/ab/T", Effect::Allow, ir::kRead | ir::kWrite);
    add(p, "/Users/u/**/.env", Effect::Deny, ir::kRead);
    auto e = emit(p, true);
    std::set<std::string> defined;
    std::map<std::string, std::string> values;
    for (const auto& note : e.output.notes)
        if (note.starts_with("-D ")) {
            auto eq = note.find('=');
            defined.insert(note.substr(3, eq - 3));
            values[note.substr(3, eq - 3)] = note.substr(eq + 1);
        }
    CHECK(defined == std::set<std::string>{"CWD", "HOME", "TMPDIR"});  // CWD and workspace: one is enough
    CHECK(values["TMPDIR"] == "/private/var/folders/ab/T");
    CHECK(check_profile(e.forms, defined).empty());
    CHECK_FALSE(check_profile(e.forms, {"HOME"}).empty());
    CHECK(e.text.find("\"/Users/u/.ssh\"") == std::string::npos);
    CHECK(can(e, "file-write-data", "/Users/u/src/app/main.py", values));
    CHECK_FALSE(can(e, "file-read-data", "/Users/u/.ssh/id_rsa", values));
    CHECK(can(e, "file-write-data", "/private/var/folders/ab/T/x", values));
    // Another user's values: the same decisions, relative to their home.
    std::map<std::string, std::string> other = {
        {"HOME", "/Users/zoe"}, {"CWD", "/Users/zoe/code/x"}, {"TMPDIR", "/private/var/folders/cd/T"}};
    CHECK(can(e, "file-write-data", "/Users/zoe/code/x/main.py", other));
    CHECK_FALSE(can(e, "file-read-data", "/Users/zoe/.ssh/id_rsa", other));
    CHECK_FALSE(can(e, "file-write-data", "/Users/u/src/app/main.py", other));
    bool glob_note = false;
    for (const auto& note : e.output.notes) glob_note = glob_note || note.find("/Users/u/**/.env") != std::string::npos;
    CHECK(glob_note);
}

// Random profiles against the IR's semantics applied literally: every operation on every
// path must be decided as the rights it needs are, in both spellings of /private paths.
TEST_CASE("sbpl: random profiles decide as the IR does") {
    std::mt19937 rng(20261129);
    auto pick = [&](auto const& options) { return options[rng() % std::size(options)]; };
    const std::string roots[] = {"/home/u", "/home/u/proj", "/tmp", "/etc", "/", "/System/Library", "/dev"};
    const std::string names[] = {"a", "b", ".env", "x.txt", "a.b", "sub"};
    const std::string wild[] = {"*", "**", "?", "*.txt", "a*", "**"};
    const ir::Rights words[] = {ir::kRead,  ir::kWrite, ir::kExec,      ir::kAllRights, ir::kRead | ir::kWrite,
                                ir::ReadFile, ir::CreateFile, ir::RemoveDir, ir::IoctlDev};
    std::size_t cases = 0, stricter_cases = 0, exact_profiles = 0;
    for (int round = 0; round < 150; ++round) {
        ir::Policy p;
        int rules = 1 + static_cast<int>(rng() % 7);
        for (int i = 0; i < rules; ++i) {
            std::string path = pick(roots);
            int extra = static_cast<int>(rng() % 4);
            bool globbed = false;
            for (int k = 0; k < extra; ++k) {
                bool w = rng() % 4 == 0;
                globbed = globbed || w;
                path += (path == "/" ? "" : "/") + (w ? pick(wild) : pick(names));
            }
            if (path.ends_with("/**") && rng() % 2) path += "/x.txt";
            add(p, path, rng() % 3 == 0 ? Effect::Deny : Effect::Allow, pick(words), static_cast<unsigned>(i + 1));
        }
        p.bindings = {{"HOME", "/home/u"}};
        auto e = emit(p);
        auto symbolic = emit(p, true);  // evaluated with HOME bound as here: the same decisions
        REQUIRE(check_profile(e.forms, {}).empty());
        REQUIRE(check_profile(symbolic.forms, {"HOME"}).empty());
        bool stricter = false;
        for (const auto& item : e.output.fidelity.items) stricter = stricter || item.level == FidelityItem::Level::Stricter;
        exact_profiles += !stricter;
        Reference ref(p);
        const ir::Policy optimized = optimize(p).policy();  // the IR's own query, to check the reference against
        for (int q = 0; q < 40; ++q) {
            std::string path = pick(roots);
            int depth = static_cast<int>(rng() % 7);
            for (int k = 0; k < depth; ++k) path += (path == "/" ? "" : "/") + pick(names);
            for (const auto& op : sbpl::path_operations()) {
                bool expected = ref.allows(op.rights, path);
                REQUIRE(decide_path(optimized, path, op.rights).allowed == expected);
                for (const std::string& spelling : {path, private_form(path)}) {
                    bool actual = can(e, std::string(op.name), spelling);
                    ++cases;
                    // Never weaker; stricter only where the fidelity report says so.
                    INFO("profile:\n" << e.text << "\nquery: " << op.name << " " << spelling);
                    if (actual != expected && stricter && !actual) {
                        ++stricter_cases;
                        continue;
                    }
                    REQUIRE(actual == expected);
                }
                REQUIRE(can(symbolic, std::string(op.name), path, p.bindings) == can(e, std::string(op.name), path));
            }
        }
    }
    MESSAGE(cases << " decisions compared, " << stricter_cases << " stricter where reported, " << exact_profiles
                  << "/150 profiles exact");
    CHECK(cases > 10000);
    CHECK(exact_profiles > 50);
}
