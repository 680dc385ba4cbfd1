// Path text helpers shared by lowering, the optimizer, queries and the tests.
#include "compiler/paths.hpp"

#include <string>
#include <vector>

#include "compiler/ir.hpp"
#include "runtime/glob_expand.hpp"  // one wildcard matcher for queries and for expansion

namespace nono {

std::string canonical_path(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t slash = path.find('/', i);
        if (slash == std::string_view::npos) slash = path.size();
        std::string_view part = path.substr(i, slash - i);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        i = slash + 1;
    }
    std::string out;
    for (std::string_view part : parts) (out += '/') += part;
    return out.empty() ? "/" : out;
}

bool is_glob(std::string_view path) { return path.find_first_of("*?") != std::string_view::npos; }

namespace {

bool match_components(const std::vector<std::string>& pattern, std::size_t p, const std::vector<std::string>& path,
                      std::size_t n) {
    if (p == pattern.size()) return n == path.size();
    if (pattern[p] == "**") {
        for (std::size_t skip = n; skip <= path.size(); ++skip)
            if (match_components(pattern, p + 1, path, skip)) return true;
        return false;
    }
    return n < path.size() && landlock::component_matches(pattern[p], path[n]) && match_components(pattern, p + 1, path, n + 1);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
    return match_components(ir::split_path(pattern), 0, ir::split_path(path), 0);
}

}  // namespace nono
