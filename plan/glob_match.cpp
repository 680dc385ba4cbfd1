// The plan format: the glob matcher (see glob_match.hpp).
#include "plan/glob_match.hpp"

namespace nono::landlock {

bool wildcard_in_directory(std::string_view pattern) {
    return pattern.find_first_of("*?") < pattern.rfind('/');
}

bool component_matches(std::string_view pattern, std::string_view name) {
    // Iterative wildcard matching: on a mismatch, let the last `*` absorb one more character.
    std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p, ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace nono::landlock
