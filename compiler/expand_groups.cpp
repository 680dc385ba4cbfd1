// Stage 2a, resolve: syscall groups (see expand_groups.hpp).
#include "compiler/expand_groups.hpp"

#include <algorithm>

#include "compiler/syscalls.hpp"
#include "core/suggest.hpp"

namespace nono {

bool SyscallGroups::load(const std::vector<LoadedFile>& files, const ProfileSearch& search, const FileLoader& load) {
    for (const LoadedFile& f : files) {
        for (const ast::Statement& s : f.file.items) add_group(s);
        for (const ast::Statement& s : f.file.profile->statements) add_group(s);
    }
    std::size_t errors = diags_.error_count();
    std::optional<ast::File> file = load(standard_groups_file(search));
    if (diags_.error_count() > errors) return false;
    if (!file) return true;
    standard_file_ = std::move(*file);
    // A profile's own definition of a standard group's name replaces the standard one.
    for (const ast::Statement& s : standard_file_->items) add_group(s, true);
    return true;
}

void SyscallGroups::add_group(const ast::Statement& s, bool standard) {
    const auto* g = std::get_if<ast::SyscallGroup>(&s.body);
    if (!g) return;
    auto [it, inserted] = groups_.emplace(g->name, g);
    if (!inserted && !standard)
        diags_.error(g->loc, "syscall group `@" + g->name + "` is defined twice",
                     "the other definition is at " + it->second->loc.str());
}

// Group members, expanded; memoized so that an error in a group is reported once.
const std::vector<std::string>& SyscallGroups::expand_group(const ast::SyscallName& ref) {
    static const std::vector<std::string> none;
    auto done = expanded_.find(ref.name);
    if (done != expanded_.end()) return done->second;
    auto group = groups_.find(ref.name);
    if (group == groups_.end()) {
        std::vector<std::string> known;
        for (const auto& [name, g] : groups_) known.push_back(name);
        auto near = nearest(ref.name, known);
        diags_.error(ref.loc, "unknown syscall group `@" + ref.name + "`",
                     near ? "did you mean `@" + *near + "`?" : std::string{});
        return expanded_[ref.name];
    }
    auto cycle_start = std::find(group_stack_.begin(), group_stack_.end(), ref.name);
    if (cycle_start != group_stack_.end()) {
        std::vector<std::string> cycle;
        for (auto it = cycle_start; it != group_stack_.end(); ++it) cycle.push_back("@" + *it);
        cycle.push_back("@" + ref.name);
        diags_.error(ref.loc, "syscall groups form a cycle: " + joined(cycle, " -> "));
        return none;
    }
    group_stack_.push_back(ref.name);
    std::set<std::string> members;
    for (const ast::SyscallName& m : group->second->members) add_syscall_name(m, members);
    group_stack_.pop_back();
    return expanded_[ref.name] = std::vector<std::string>(members.begin(), members.end());
}

void SyscallGroups::add_syscall_name(const ast::SyscallName& n, std::set<std::string>& into) {
    if (n.group) {
        const std::vector<std::string>& members = expand_group(n);
        into.insert(members.begin(), members.end());
        return;
    }
    const std::span<const std::string_view> known = all_syscall_names();
    if (!std::binary_search(known.begin(), known.end(), std::string_view(n.name))) {
        diags_.error(n.loc, "unknown syscall `" + n.name + "`: not a syscall on x86_64, i386, x32 or aarch64",
                     did_you_mean(n.name, std::vector<std::string>(known.begin(), known.end())));
        return;
    }
    into.insert(n.name);
}

}  // namespace nono
