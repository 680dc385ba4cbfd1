// Runtime: writing and reading the compiled plan file (format in plan_file.hpp).
#include "plan/plan_file.hpp"

#include <algorithm>
#include <climits>

namespace nono::plan {

using landlock::Access;

namespace {

constexpr std::string_view kMagic = "NONOPLAN";
constexpr std::uint32_t kVersion = 6;

// ---------------------------------------------------------------------------- writing

class Writer {
public:
    void bytes(std::string_view s) { out_ += s; }
    template <typename T>
    void uint(T value) {
        for (std::size_t i = 0; i < sizeof(T); ++i) out_ += static_cast<char>((value >> (8 * i)) & 0xff);
    }
    void string(std::string_view s) {
        uint(static_cast<std::uint32_t>(s.size()));
        bytes(s);
    }
    template <typename List, typename Item>
    void list(const List& items, Item item) {
        uint(static_cast<std::uint32_t>(items.size()));
        for (const auto& x : items) item(x);
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

// ---------------------------------------------------------------------------- reading

class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw PlanFileError("byte " + std::to_string(at_) + ": " + what);
    }

    std::string_view bytes(std::size_t n, const char* what) {
        at_ = pos_;
        if (n > bytes_.size() - pos_) fail(std::string("the file ends inside ") + what);
        std::string_view out = bytes_.substr(pos_, n);
        pos_ += n;
        return out;
    }
    template <typename T>
    T uint(const char* what) {
        std::string_view b = bytes(sizeof(T), what);
        T value = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<unsigned char>(b[i])) << (8 * i);
        return value;
    }
    std::string string(const char* what, std::size_t max_bytes) {
        const auto n = uint<std::uint32_t>(what);
        if (n > max_bytes) fail(std::string(what) + " of " + std::to_string(n) + " bytes (at most " + std::to_string(max_bytes) + ")");
        std::string_view s = bytes(n, what);
        if (s.find('\0') != std::string_view::npos) fail(std::string(what) + " holds a NUL byte");
        return std::string(s);
    }
    // A list's count, checked against what is left: every item takes at least `min_item_bytes`.
    std::uint32_t count(const char* what, std::size_t min_item_bytes) {
        const auto n = uint<std::uint32_t>(what);
        if (n > (bytes_.size() - pos_) / min_item_bytes) fail(std::string("the file is too short for ") + std::to_string(n) + " " + what);
        return n;
    }
    void end() {
        at_ = pos_;
        if (pos_ != bytes_.size()) fail(std::to_string(bytes_.size() - pos_) + " bytes after the end of the plan");
    }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
    std::size_t at_ = 0;  // where the last field read starts
};

// A string from the file as a message may show it on a terminal: control bytes become '?',
// as in the compiler's diagnostics.
std::string shown(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return out;
}

constexpr std::size_t kMaxPath = PATH_MAX - 1;
constexpr std::size_t kMaxEnvBytes = 1u << 20;

Access fs_rights(Reader& in, const char* what) {
    const auto a = in.uint<std::uint64_t>(what);
    if (a & ~landlock::kAllFsRights) in.fail(std::string(what) + ": unknown filesystem rights");
    return a;
}

// Absolute, no empty, "." or ".." component, no trailing slash: the form lay_out and the
// glob expansion expect, and the only one the compiler writes.
void check_canonical(Reader& in, const std::string& path, const char* what) {
    bool canonical = !path.empty() && path[0] == '/' && (path.size() == 1 || path.back() != '/');
    landlock::for_each_component(path, [&](std::string_view part) {
        canonical = canonical && !part.empty() && part != "." && part != "..";
    });
    if (!canonical) in.fail(std::string(what) + " \"" + shown(path) + "\" is not a canonical absolute path");
}

std::vector<landlock::PortRange> ports(Reader& in, const char* what) {
    std::vector<landlock::PortRange> out(in.count(what, 4));
    for (landlock::PortRange& r : out) {
        r.first = in.uint<std::uint16_t>(what);
        r.last = in.uint<std::uint16_t>(what);
        if (r.first > r.last) in.fail(std::string(what) + ": a range that ends before it starts");
    }
    return out;
}

std::string env_name(Reader& in, const char* what) {
    std::string name = in.string(what, kMaxEnvBytes);
    if (name.empty() || name.find('=') != std::string::npos) in.fail(std::string(what) + " \"" + shown(name) + "\" is not a variable name");
    return name;
}

std::vector<std::string> env_names(Reader& in, const char* what) {
    std::vector<std::string> out(in.count(what, 4));
    for (std::string& name : out) name = env_name(in, what);
    return out;
}

// Kinds in increasing order, each once: the writer's order, so the bytes read back alike.
void read_limits(Reader& in, limits::Limits& out) {
    const std::uint32_t n = in.count("limits", 9);
    int last = -1;
    for (std::uint32_t i = 0; i < n; ++i) {
        const auto kind = in.uint<std::uint8_t>("a limit's kind");
        if (kind >= limits::kKinds.size()) in.fail("unknown limit kind " + std::to_string(kind));
        if (kind <= last) in.fail("limit kinds out of order or repeated");
        last = kind;
        const auto amount = in.uint<std::uint64_t>("a limit's amount");
        const limits::KindInfo& info = limits::kKinds[kind];
        if (amount == 0 || amount > limits::kMaxAmount)
            in.fail("limit " + std::string(info.name) + " of " + std::to_string(amount) + " (1 to " +
                    std::to_string(limits::kMaxAmount) + ")");
        out[info.kind] = amount;
    }
}

// What the writer writes: canonical host patterns, sorted unique rules, canonical paths.
void read_peers(Reader& in, net::Peers& out) {
    out.hosts.resize(in.count("hosts", 8));
    for (net::HostRule& r : out.hosts) {
        const std::string text = in.string("a host", 300);
        const auto parsed = net::parse_host(text);
        if (const auto* problem = std::get_if<std::string>(&parsed)) in.fail("host \"" + shown(text) + "\": " + *problem);
        r.host = std::get<net::HostPattern>(parsed);
        if (net::to_string(r.host) != text) in.fail("host \"" + shown(text) + "\" is not in its canonical form");
        r.first = in.uint<std::uint16_t>("a host's first port");
        r.last = in.uint<std::uint16_t>("a host's last port");
        if (r.first == 0 || r.first > r.last) in.fail("host \"" + text + "\": not a port range");
    }
    if (!std::is_sorted(out.hosts.begin(), out.hosts.end()) ||
        std::adjacent_find(out.hosts.begin(), out.hosts.end()) != out.hosts.end())
        in.fail("the hosts are not sorted and unique");
    const auto loopback = in.uint<std::uint8_t>("the loopback flag");
    if (loopback > 1) in.fail("the loopback flag is neither 0 nor 1");
    out.loopback = loopback == 1;
    out.unix_connect.resize(in.count("unix sockets", 4));
    for (std::string& path : out.unix_connect) {
        path = in.string("a unix socket path", kMaxPath);
        check_canonical(in, path, "the unix socket path");
    }
    if (!std::is_sorted(out.unix_connect.begin(), out.unix_connect.end()) ||
        std::adjacent_find(out.unix_connect.begin(), out.unix_connect.end()) != out.unix_connect.end())
        in.fail("the unix socket paths are not sorted and unique");
}

}  // namespace

std::string write_plan(const CompiledPlan& plan) {
    const landlock::Plan& p = plan.landlock;
    Writer out;
    out.bytes(kMagic);
    out.uint(kVersion);
    out.string(p.name);
    out.uint(p.handled_fs);
    out.uint(static_cast<std::uint8_t>(p.handle_tcp));
    out.uint(p.scoped);
    auto port_range = [&](const landlock::PortRange& r) {
        out.uint(r.first);
        out.uint(r.last);
    };
    out.list(p.tcp_connect, port_range);
    out.list(p.tcp_bind, port_range);
    out.list(p.paths, [&](const landlock::PathEntry& e) {
        out.string(e.path);
        out.uint(e.allow);
        out.uint(e.deny);
    });
    out.list(p.make_directories, [&](const std::string& d) { out.string(d); });
    out.list(p.protect, [&](const std::string& f) { out.string(f); });
    out.list(p.globs, [&](const landlock::GlobEntry& g) {
        out.string(g.pattern);
        out.uint(g.allow);
        out.uint(g.deny);
    });
    auto string = [&](const std::string& s) { out.string(s); };
    out.list(p.env.keep, string);
    out.list(p.env.drop, string);
    out.list(p.env.set, [&](const std::pair<std::string, std::string>& kv) {
        out.string(kv.first);
        out.string(kv.second);
    });
    out.string(plan.tmpdir);
    std::vector<limits::KindInfo> limited;
    for (const limits::KindInfo& k : limits::kKinds)
        if (p.limits[k.kind]) limited.push_back(k);
    out.list(limited, [&](const limits::KindInfo& k) {
        out.uint(static_cast<std::uint8_t>(k.kind));
        out.uint(*p.limits[k.kind]);
    });
    out.list(p.peers.hosts, [&](const net::HostRule& r) {
        out.string(net::to_string(r.host));
        out.uint(r.first);
        out.uint(r.last);
    });
    out.uint(static_cast<std::uint8_t>(p.peers.loopback));
    out.list(p.peers.unix_connect, string);
    out.string(plan.arch);
    out.list(plan.filter, [&](const sock_filter& insn) {
        out.uint(insn.code);
        out.uint(insn.jt);
        out.uint(insn.jf);
        out.uint(insn.k);
    });
    return out.take();
}

CompiledPlan read_plan(std::string_view bytes) {
    Reader in(bytes);
    if (bytes.substr(0, kMagic.size()) != kMagic) throw PlanFileError("not a nono plan file (compile one with `nonoc compile --target plan`)");
    in.bytes(kMagic.size(), "the magic");
    if (const auto version = in.uint<std::uint32_t>("the version"); version != kVersion)
        in.fail("plan format version " + std::to_string(version) + "; this nono reads version " + std::to_string(kVersion) +
                " (recompile the plan with this nono's nonoc)");

    CompiledPlan plan;
    landlock::Plan& p = plan.landlock;
    p.name = in.string("the profile name", kMaxPath);
    p.handled_fs = fs_rights(in, "the handled rights");
    const auto handle_tcp = in.uint<std::uint8_t>("the TCP flag");
    if (handle_tcp > 1) in.fail("the TCP flag is neither 0 nor 1");
    p.handle_tcp = handle_tcp == 1;
    p.scoped = in.uint<std::uint64_t>("the scopes");
    if (p.scoped & ~(landlock::kScopeAbstractUnixSocket | landlock::kScopeSignal)) in.fail("unknown scopes");
    p.tcp_connect = ports(in, "TCP connect ports");
    p.tcp_bind = ports(in, "TCP bind ports");

    p.paths.resize(in.count("paths", 20));
    for (landlock::PathEntry& e : p.paths) {
        e.path = in.string("a path", kMaxPath);
        check_canonical(in, e.path, "the path");
        e.allow = fs_rights(in, "a path's allowed rights");
        e.deny = fs_rights(in, "a path's denied rights");
    }
    p.make_directories.resize(in.count("directories to make", 5));
    for (std::string& d : p.make_directories) {
        d = in.string("a directory to make", kMaxPath);
        check_canonical(in, d, "the directory to make");
    }
    p.protect.resize(in.count("protected paths", 5));
    for (std::string& f : p.protect) {
        f = in.string("a protected path", kMaxPath);
        check_canonical(in, f, "the protected path");
    }
    if (!std::is_sorted(p.protect.begin(), p.protect.end())) in.fail("the protected paths are not sorted");
    p.globs.resize(in.count("globs", 20));
    for (landlock::GlobEntry& g : p.globs) {
        g.pattern = in.string("a glob", kMaxPath);
        check_canonical(in, g.pattern, "the glob");
        g.allow = fs_rights(in, "a glob's allowed rights");
        g.deny = fs_rights(in, "a glob's denied rights");
    }

    p.env.keep = env_names(in, "kept variables");
    p.env.drop = env_names(in, "dropped variables");
    p.env.set.resize(in.count("set variables", 8));
    for (auto& [name, value] : p.env.set) {
        name = env_name(in, "a set variable");
        value = in.string("a set variable's value", kMaxEnvBytes);
    }
    plan.tmpdir = in.string("the temporary directory", kMaxPath);
    check_canonical(in, plan.tmpdir, "the temporary directory");
    read_limits(in, p.limits);
    read_peers(in, p.peers);

    plan.arch = in.string("the architecture", 16);
    if (plan.arch != "x86_64" && plan.arch != "i386" && plan.arch != "x32" && plan.arch != "aarch64")
        in.fail("unknown architecture \"" + shown(plan.arch) + "\"");
    const std::uint32_t n = in.count("filter instructions", sizeof(sock_filter));
    if (n == 0 || n > BPF_MAXINSNS)
        in.fail("a seccomp filter of " + std::to_string(n) + " instructions (the kernel takes 1 to " + std::to_string(BPF_MAXINSNS) + ")");
    plan.filter.resize(n);
    for (sock_filter& insn : plan.filter) {
        insn.code = in.uint<std::uint16_t>("a filter instruction");
        insn.jt = in.uint<std::uint8_t>("a filter instruction");
        insn.jf = in.uint<std::uint8_t>("a filter instruction");
        insn.k = in.uint<std::uint32_t>("a filter instruction");
    }
    in.end();
    return plan;
}

void place_private_tmp(CompiledPlan& plan, const std::string& dir) {
    const std::string& from = plan.tmpdir;
    auto under = [&](const std::string& path) {
        return path.compare(0, from.size(), from) == 0 && (path.size() == from.size() || path[from.size()] == '/');
    };
    landlock::Plan& p = plan.landlock;
    for (landlock::GlobEntry& g : p.globs) {
        if (!under(g.pattern)) continue;
        if (dir.find_first_of("*?[") != std::string::npos)
            throw PlanFileError("the run's temporary directory " + dir + " has a glob character in its name, and the plan "
                                "has a glob under $TMPDIR; set TMPDIR to a plainer directory");
        g.pattern.replace(0, from.size(), dir);
    }
    for (landlock::PathEntry& e : p.paths)
        if (under(e.path)) e.path.replace(0, from.size(), dir);
    for (std::string& d : p.make_directories)
        if (under(d)) d.replace(0, from.size(), dir);
    for (std::string& f : p.protect)
        if (under(f)) f.replace(0, from.size(), dir);
    std::sort(p.protect.begin(), p.protect.end());
    p.paths = landlock::merge_paths(std::move(p.paths));
    for (std::string& socket : p.peers.unix_connect)
        if (under(socket)) socket.replace(0, from.size(), dir);
    std::sort(p.peers.unix_connect.begin(), p.peers.unix_connect.end());
    plan.tmpdir = dir;
}

std::string_view host_arch_name() {
#if defined(__x86_64__) && defined(__ILP32__)
    return "x32";
#elif defined(__x86_64__)
    return "x86_64";
#elif defined(__i386__)
    return "i386";
#elif defined(__aarch64__)
    return "aarch64";
#else
#error "nono supports x86_64, i386, x32 and aarch64 hosts"
#endif
}

}  // namespace nono::plan
