// Stage 2a, resolve: inheritance, a profile and its ancestors loaded (see load_family.hpp).
#include "compiler/load_family.hpp"

#include <algorithm>
#include <set>

namespace nono {

namespace {

class FamilyLoader {
public:
    FamilyLoader(const ProfileSearch& search, const FileLoader& load, Diagnostics& diags)
        : search_(search), load_(load), diags_(diags) {}

    Family family;

    void add_root(std::string path, ast::File file) {
        loaded_names_.insert(file.profile->name);
        std::vector<std::string> chain{file.profile->name};
        family.files.push_back({std::move(path), std::move(file)});
        load_parents(0, chain);
    }

private:
    // `chain`: the profiles from the root down to files[index], to find cycles.
    void load_parents(std::size_t index, std::vector<std::string>& chain) {
        const std::string child_file = family.files[index].path;
        const std::vector<ast::Parent> parents = family.files[index].file.profile->parents;
        for (const ast::Parent& parent : parents) {
            auto in_chain = std::find(chain.begin(), chain.end(), parent.name);
            if (in_chain != chain.end()) {
                std::vector<std::string> cycle(in_chain, chain.end());
                cycle.push_back(parent.name);
                diags_.error(parent.loc, "`extends` makes a cycle: " + joined(cycle, " -> "),
                             "a profile cannot extend itself, directly or through its parents");
                continue;
            }
            if (loaded_names_.count(parent.name)) continue;  // reached already by another route
            const std::vector<std::string> looked = parent_candidates(parent.name, child_file, search_);
            std::optional<ast::File> file;
            std::string found;
            std::size_t errors = diags_.error_count();
            // Loaded under the name shown to people, so locations read the same anywhere.
            for (const std::string& candidate : looked)
                if ((file = load_(candidate))) {
                    found = candidate;
                    break;
                }
            if (!file) {
                diags_.error(parent.loc, "unknown parent profile `" + parent.name + "`", looked_in(looked));
                family.incomplete = true;
                continue;
            }
            if (diags_.error_count() > errors) {
                family.unparsed = true;
                continue;
            }
            if (!file->profile || file->profile->name != parent.name) {
                diags_.error(parent.loc, "`" + found + "` does not define profile `" + parent.name + "`");
                continue;
            }
            loaded_names_.insert(parent.name);
            family.files.push_back({found, std::move(*file)});
            chain.push_back(parent.name);
            load_parents(family.files.size() - 1, chain);
            chain.pop_back();
        }
    }

    const ProfileSearch& search_;
    const FileLoader& load_;
    Diagnostics& diags_;
    std::set<std::string> loaded_names_;
};

}  // namespace

std::optional<Family> load_family(const std::string& path, const ProfileSearch& search, const FileLoader& load,
                                  Diagnostics& diags) {
    std::size_t errors = diags.error_count();
    std::optional<ast::File> root = load(path);
    if (!root) {
        diags.error({path, 0, 0}, "cannot read the profile file");
        return std::nullopt;
    }
    if (diags.error_count() > errors) return std::nullopt;
    if (!root->profile) {
        diags.error({path, 0, 0}, "no profile in this file", "a profile starts with `profile NAME {`");
        return std::nullopt;
    }
    FamilyLoader loader(search, load, diags);
    loader.add_root(path, std::move(*root));
    return std::move(loader.family);
}

}  // namespace nono
