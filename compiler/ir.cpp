#include "compiler/ir.hpp"

#include <linux/audit.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "compiler/constants.hpp"
#include "plan/landlock_plan.hpp"  // for_each_component, shared with the runtime
#include "plan/precedence.hpp"

namespace nono::ir {

namespace {

struct RightName {
    Right right;
    std::string_view name;
};

// Canonical order for printing.
constexpr RightName kRightNames[] = {
    {ReadFile, "read-file"},       {ReadDir, "read-dir"},         {Execute, "exec"},
    {WriteFile, "write-file"},     {Truncate, "truncate"},        {CreateFile, "create-file"},
    {CreateDir, "create-dir"},     {CreateSymlink, "create-symlink"}, {CreateFifo, "create-fifo"},
    {CreateSocket, "create-socket"}, {CreateChar, "create-char"}, {CreateBlock, "create-block"},
    {RemoveFile, "remove-file"},   {RemoveDir, "remove-dir"},     {Refer, "refer"},
    {IoctlDev, "ioctl-dev"},
};

}  // namespace

std::optional<Rights> rights_of_word(std::string_view word) {
    if (word == "read") return kRead;
    if (word == "write") return kWrite;
    if (word == "exec") return kExec;
    for (const auto& [right, name] : kRightNames)
        if (name == word) return right;
    return std::nullopt;
}

std::string_view right_name(Right r) {
    for (const auto& [right, name] : kRightNames)
        if (right == r) return name;
    return "?";
}

std::string rights_to_string(Rights rights) {
    std::string out;
    auto append = [&](std::string_view word) {
        if (!out.empty()) out += ", ";
        out += word;
    };
    if ((rights & kRead) == kRead) append("read"), rights &= ~kRead;
    if ((rights & kWrite) == kWrite) append("write"), rights &= ~kWrite;
    for (const auto& [right, name] : kRightNames)
        if (rights & right) append(name);
    return out.empty() ? "nothing" : out;
}

std::string SyscallTable::name_of(std::uint32_t nr) const {
    auto it = std::lower_bound(names.begin(), names.end(), nr,
                               [](const SyscallName& s, std::uint32_t n) { return s.nr < n; });
    if (it == names.end() || it->nr != nr) return "syscall " + std::to_string(nr);
    return std::string(it->name);
}

std::string_view arch_name(Arch a) {
    switch (a) {
        case Arch::X86_64: return "x86_64";
        case Arch::I386: return "i386";
        case Arch::X32: return "x32";
        case Arch::Aarch64: return "aarch64";
    }
    return "?";
}

std::optional<Arch> arch_from_name(std::string_view name) {
    for (Arch a : kAllArches)
        if (arch_name(a) == name) return a;
    return std::nullopt;
}

std::uint32_t audit_arch(Arch a) {
    switch (a) {
        case Arch::X86_64: return AUDIT_ARCH_X86_64;
        case Arch::I386: return AUDIT_ARCH_I386;
        case Arch::X32: return AUDIT_ARCH_X86_64;
        case Arch::Aarch64: return AUDIT_ARCH_AARCH64;
    }
    return 0;
}

std::uint32_t syscall_number_bias(Arch a) { return a == Arch::X32 ? 0x40000000u : 0; }

Arch host_arch() {
#if defined(__x86_64__) && defined(__ILP32__)
    return Arch::X32;
#elif defined(__x86_64__)
    return Arch::X86_64;
#elif defined(__i386__)
    return Arch::I386;
#elif defined(__aarch64__)
    return Arch::Aarch64;
#else
#error "nono supports x86_64, i386, x32 and aarch64 hosts"
#endif
}

std::string action_to_string(const Action& a) {
    switch (a.kind) {
        case Action::Kind::Allow: return "allow";
        case Action::Kind::Errno: {
            return "errno " + errno_name(a.errno_value).value_or(std::to_string(a.errno_value));
        }
        case Action::Kind::KillProcess: return "kill";
        case Action::Kind::KillThread: return "kill-thread";
        case Action::Kind::Trap: return "trap";
        case Action::Kind::Log: return "log";
    }
    return "?";
}

bool SyscallDecision::same_behaviour(const SyscallDecision& other) const {
    if (otherwise != other.otherwise || rules.size() != other.rules.size()) return false;
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (rules[i].checks != other.rules[i].checks || rules[i].action != other.rules[i].action) return false;
    return true;
}

SyscallRanges::SyscallRanges(std::vector<SyscallRange> ranges) : ranges_(std::move(ranges)) {
    bool valid = !ranges_.empty() && ranges_.front().first == 0 && ranges_.back().last == 0xffffffffu;
    for (std::size_t i = 0; valid && i < ranges_.size(); ++i)
        valid = ranges_[i].first <= ranges_[i].last &&
                (i == 0 || (ranges_[i - 1].last + 1 == ranges_[i].first &&
                            !ranges_[i - 1].decision.same_behaviour(ranges_[i].decision)));
    if (!valid) throw std::invalid_argument("syscall ranges must cover every number once, neighbours differing");
}

Rights effective_rights(const PathNode& node, Rights parent_effective) {
    Rights allowed = 0, denied = 0;
    for (const PathRule& rule : node.rules) (rule.effect == Effect::Allow ? allowed : denied) |= rule.rights;
    return rights_after(parent_effective, allowed, denied);
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    landlock::for_each_component(path, [&](std::string_view part) { parts.emplace_back(part); });
    return parts;
}

void add_path_rule(Policy& policy, std::string_view path, PathRule rule) {
    auto invalid = [&](const char* why) {
        throw std::invalid_argument("not a canonical absolute path (" + std::string(why) + "): " + std::string(path));
    };
    if (path.empty() || path[0] != '/') invalid("not absolute");
    if (path.size() > 1 && path.back() == '/') invalid("trailing slash");
    if (path.find('\0') != std::string_view::npos) invalid("NUL byte");
    PathNode* node = &policy.root;
    landlock::for_each_component(path, [&](std::string_view part) {
        if (part.empty()) invalid("empty component");
        if (part == "." || part == "..") invalid("dot component");
        auto it = node->children.find(part);
        if (it == node->children.end()) it = node->children.emplace(std::string(part), PathNode{}).first;
        node = &it->second;
    });
    node->rules.push_back(std::move(rule));
}

const SyscallTable* syscall_table(const Policy& policy, Arch arch) {
    for (const SyscallTable& table : policy.syscalls)
        if (table.arch == arch) return &table;
    return nullptr;
}

const PathNode* find_node(const PathNode& root, std::string_view path) {
    const PathNode* node = &root;
    landlock::for_each_component(path, [&](std::string_view part) {
        if (!node) return;
        auto it = node->children.find(part);
        node = it == node->children.end() ? nullptr : &it->second;
    });
    return node;
}

}  // namespace nono::ir
