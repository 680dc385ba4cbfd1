// Path text helpers shared by lowering, the optimizer, queries and the tests.
#include "core/paths.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "plan/glob_match.hpp"

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

// Whether `path` from character n on matches `pattern` from character p on, each the start
// of a component (just past a '/') or past the end. Walks the strings in place: the
// optimizer asks this for every node and glob, so no component is copied.
bool match_rest(std::string_view pattern, std::size_t p, std::string_view path, std::size_t n) {
    if (p >= pattern.size()) return n >= path.size();
    const std::size_t p_end = std::min(pattern.find('/', p), pattern.size());
    const std::string_view component = pattern.substr(p, p_end - p);
    if (component == "**") {  // any number of components, none included
        for (std::size_t skip = n;; skip = std::min(path.find('/', skip), path.size()) + 1) {
            if (match_rest(pattern, p_end + 1, path, skip)) return true;
            if (skip >= path.size()) return false;
        }
    }
    if (n >= path.size()) return false;
    const std::size_t n_end = std::min(path.find('/', n), path.size());
    return landlock::component_matches(component, path.substr(n, n_end - n)) && match_rest(pattern, p_end + 1, path, n_end + 1);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return match_rest(pattern, 1, path, 1); }

}  // namespace nono
