// Stage 2a, resolve: syscall groups. The groups the profile's files define and the standard
// ones (profiles/syscall-groups.nono); a rule's `@group` becomes its members, each name
// checked against the syscall tables.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/load_family.hpp"

namespace nono {

class SyscallGroups {
public:
    explicit SyscallGroups(Diagnostics& diags) : diags_(diags) {}
    SyscallGroups(const SyscallGroups&) = delete;  // holds pointers into itself

    // Registers the groups `files` define (a name defined twice is an error), then the
    // standard groups under the names they leave free. Returns false when the standard
    // groups' file does not parse. `files` must outlive this object.
    bool load(const std::vector<LoadedFile>& files, const ProfileSearch& search, const FileLoader& load);

    // Adds the syscall `name`, or the members of the group it names, to `into`. Unknown
    // names and groups, and cycles of groups, are reported.
    void add_syscall_name(const ast::SyscallName& name, std::set<std::string>& into);

private:
    void add_group(const ast::Statement& s, bool standard = false);
    const std::vector<std::string>& expand_group(const ast::SyscallName& ref);

    Diagnostics& diags_;
    std::optional<ast::File> standard_file_;
    std::map<std::string, const ast::SyscallGroup*> groups_;
    std::map<std::string, std::vector<std::string>> expanded_;
    std::vector<std::string> group_stack_;
};

}  // namespace nono
