// Runtime: reading limit amounts, finding a delegated cgroup v2 subtree, and setrlimit.
#include "runtime/limits.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fstream>
#include <span>
#include <sstream>

#include "runtime/sandbox.hpp"

namespace nono::limits {

namespace {

struct Suffix {
    char letter;
    std::uint64_t factor;
};
constexpr Suffix kSizeSuffixes[] = {{'K', 1ull << 10}, {'M', 1ull << 20}, {'G', 1ull << 30}, {'T', 1ull << 40}};
constexpr Suffix kTimeSuffixes[] = {{'s', 1}, {'m', 60}, {'h', 3600}};

std::string unit_words(Unit unit) {
    return unit == Unit::Bytes ? "a size needs a unit: K, M, G or T (powers of 1024), as in `4G`"
                               : "a time needs a unit: s, m or h, as in `30m`";
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

bool lists_word(const std::string& text, std::string_view word) {
    std::istringstream in(text);
    for (std::string w; in >> w;)
        if (w == word) return true;
    return false;
}

}  // namespace

std::optional<Kind> kind_named(std::string_view name) {
    for (const KindInfo& k : kKinds)
        if (k.name == name) return k.kind;
    return std::nullopt;
}

std::vector<std::string> kind_names() {
    std::vector<std::string> names;
    for (const KindInfo& k : kKinds) names.emplace_back(k.name);
    return names;
}

Amount parse_amount(Kind kind, std::string_view text) {
    const Unit unit = info(kind).unit;
    Amount a;
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0) {
        a.error = "expected a number";
        a.hint = unit == Unit::Count ? "as in `limit " + std::string(info(kind).name) + " 512`" : unit_words(unit);
        return a;
    }
    std::uint64_t factor = 1;
    const std::string_view rest = text.substr(digits);
    auto bad_unit = [&](const char* what) {
        const std::string shown = rest.size() <= 8 ? std::string(rest) : std::string(rest.substr(0, 8)) + "…";
        a.error = std::string(what) + " `" + shown + "` for " + std::string(info(kind).name);
        a.error_offset = digits;
        a.hint = unit == Unit::Count ? std::string(info(kind).name) + " is a count, written without a unit"
                                     : unit_words(unit);
        return a;
    };
    if (unit == Unit::Count) {
        if (!rest.empty()) return bad_unit("unexpected unit");
    } else {
        if (rest.empty()) {
            a.error = "missing unit after the number";
            a.error_offset = digits;
            a.hint = unit_words(unit);
            return a;
        }
        const auto& suffixes = unit == Unit::Bytes ? std::span<const Suffix>(kSizeSuffixes) : std::span<const Suffix>(kTimeSuffixes);
        auto it = std::find_if(suffixes.begin(), suffixes.end(), [&](const Suffix& s) { return rest.size() == 1 && rest[0] == s.letter; });
        if (it == suffixes.end()) return bad_unit("unknown unit");
        factor = it->factor;
    }
    std::uint64_t number = 0;
    for (char c : text.substr(0, digits)) {
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (number > (kMaxAmount - d) / 10) number = kMaxAmount + 1ull;
        else number = number * 10 + d;
    }
    if (number == 0) {
        a.error = "a limit of zero";
        a.hint = "zero would let the command do nothing at all; leave the limit out for no limit";
        return a;
    }
    if (number > kMaxAmount / factor) {
        a.error = "limit too large";
        a.hint = "at most " + format_amount(kind, kMaxAmount / factor * factor);
        return a;
    }
    a.value = number * factor;
    return a;
}

std::string format_amount(Kind kind, std::uint64_t value) {
    const Unit unit = info(kind).unit;
    if (unit == Unit::Count) return std::to_string(value);
    const auto& suffixes = unit == Unit::Bytes ? std::span<const Suffix>(kSizeSuffixes) : std::span<const Suffix>(kTimeSuffixes);
    // Sizes below 1K have no unit of their own: the YAML form may state bytes exactly.
    for (auto it = suffixes.rbegin(); it != suffixes.rend(); ++it)
        if (value % it->factor == 0) return std::to_string(value / it->factor) + it->letter;
    return std::to_string(value);
}

bool Limits::empty() const {
    return std::none_of(amounts.begin(), amounts.end(), [](const auto& a) { return a.has_value(); });
}

// ---------------------------------------------------------------------------- cgroup v2

std::optional<std::string> unified_cgroup(std::string_view text) {
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = text.substr(0, end);
        if (line.rfind("0::", 0) == 0) return std::string(line.substr(3));
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return std::nullopt;
}

Delegation find_delegation(std::string_view proc_self_cgroup, const std::string& cgroup_mount) {
    const std::optional<std::string> own = unified_cgroup(proc_self_cgroup);
    if (!own) return {{}, "this process is in no cgroup v2 hierarchy (cgroup v1 only)"};
    if (*own == "/") return {{}, "this process is in the root cgroup, which is not delegated to anyone"};
    const std::string parent = cgroup_mount + own->substr(0, own->rfind('/'));
    const std::string controllers = read_text(parent + "/cgroup.subtree_control");
    for (const char* needed : {"memory", "pids"})
        if (!lists_word(controllers, needed))
            return {{}, parent + " does not hand the " + needed + " controller to its children (cgroup.subtree_control)"};
    if (access(parent.c_str(), W_OK) != 0 || access((parent + "/cgroup.procs").c_str(), W_OK) != 0)
        return {{}, parent + " is not delegated to this user (not writable)"};
    return {parent, {}};
}

Delegation probe_delegation() { return find_delegation(read_text("/proc/self/cgroup"), "/sys/fs/cgroup"); }

// ---------------------------------------------------------------------------- applying

Enforcement probe_enforcement() { return {probe_delegation(), getuid() == 0}; }

std::vector<std::string> weaker_than_written(const Limits& limits, const Enforcement& e) {
    std::vector<std::string> weaker;
    // The run's cgroup is the supervisor's to create and remove; until it does, no run has one.
    const std::string why = "no cgroup of the run (" +
                            (e.delegation.directory.empty()
                                 ? e.delegation.reason
                                 : e.delegation.directory + " is delegated, but this nono does not create the run's cgroup yet") +
                            ")";
    if (limits[Kind::Memory])
        weaker.push_back("limit memory " + format_amount(Kind::Memory, *limits[Kind::Memory]) + ": " + why +
                         "; RLIMIT_AS bounds each process, not the run's processes together");
    if (limits[Kind::Processes] && e.root)
        weaker.push_back("limit processes " + format_amount(Kind::Processes, *limits[Kind::Processes]) + ": " + why +
                         "; RLIMIT_NPROC does not bind root, so the run's processes are not bounded");
    return weaker;
}

std::string describe(const Limits& limits, const Enforcement& e) {
    std::string out = "core dumps: off (RLIMIT_CORE 0)\n";
    for (const KindInfo& k : kKinds) {
        if (!limits[k.kind]) continue;
        out += "limit " + std::string(k.name) + " " + format_amount(k.kind, *limits[k.kind]) + ": ";
        switch (k.kind) {
            case Kind::Memory: out += "RLIMIT_AS, per process (address space: runtimes that reserve it need more)"; break;
            case Kind::Processes:
                out += e.root ? "RLIMIT_NPROC, which root ignores" : "RLIMIT_NPROC, counting all of this user's processes";
                break;
            case Kind::OpenFiles: out += "RLIMIT_NOFILE, per process"; break;
            case Kind::CpuTime: out += "RLIMIT_CPU, per process (SIGXCPU, then SIGKILL a second later)"; break;
            case Kind::FileSize: out += "RLIMIT_FSIZE (a longer write fails with EFBIG)"; break;
        }
        out += "\n";
    }
    if (limits[Kind::Memory] || limits[Kind::Processes])
        out += "cgroup v2: " + (e.delegation.directory.empty() ? "none: " + e.delegation.reason
                                                                : "delegated at " + e.delegation.directory) + "\n";
    return out;
}

void apply_rlimits(const Limits& limits) {
    auto set = [](int resource, const char* name, rlim_t soft, rlim_t hard) {
        rlimit now{};
        if (getrlimit(resource, &now) != 0)
            throw runtime::SandboxError(std::string("Failed to read ") + name + ": " + std::strerror(errno),
                                        "Hint: the kernel refused getrlimit.");
        // A limit the process already has is kept when it is the lower one: never raise.
        const rlimit wanted{std::min(soft, now.rlim_max), std::min(hard, now.rlim_max)};
        if (setrlimit(resource, &wanted) != 0)
            throw runtime::SandboxError(std::string("Failed to set ") + name + ": " + std::strerror(errno),
                                        "Hint: the kernel refused setrlimit.");
    };
    set(RLIMIT_CORE, "RLIMIT_CORE", 0, 0);
    auto both = [&](Kind kind, int resource, const char* name) {
        if (limits[kind]) set(resource, name, *limits[kind], *limits[kind]);
    };
    both(Kind::Memory, RLIMIT_AS, "RLIMIT_AS");
    both(Kind::Processes, RLIMIT_NPROC, "RLIMIT_NPROC");
    both(Kind::OpenFiles, RLIMIT_NOFILE, "RLIMIT_NOFILE");
    both(Kind::FileSize, RLIMIT_FSIZE, "RLIMIT_FSIZE");
    // SIGXCPU at the limit lets a program report it (or die of it, 128+24); one that
    // ignores it is killed a second later.
    if (const auto& cpu = limits[Kind::CpuTime]) set(RLIMIT_CPU, "RLIMIT_CPU", *cpu, *cpu + 1);
    if (limits[Kind::FileSize] && std::signal(SIGXFSZ, SIG_IGN) == SIG_ERR)
        throw runtime::SandboxError(std::string("Failed to ignore SIGXFSZ: ") + std::strerror(errno),
                                    "Hint: the kernel refused sigaction.");
}

}  // namespace nono::limits
