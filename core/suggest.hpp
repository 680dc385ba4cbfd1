// "Did you mean …?": the nearest known name to a misspelling.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nono {

// The candidate closest to `word` by edit distance (insert, delete, substitute, swap of
// neighbours), if it is close enough to be a plausible typo: at most a third of the
// word's length, and at least 1.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

// "did you mean `x`?" or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace nono
