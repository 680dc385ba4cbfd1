// Runtime (macOS only): applies a compiled SBPL profile to the current process with
// sandbox_init(3), before exec. On other systems this header declares nothing, so code
// that uses it must be under `#if defined(__APPLE__)` too and cannot reach Linux builds.
#pragma once

#if defined(__APPLE__)

#include <map>
#include <string>

namespace nono::runtime {

// Applies `profile` (the text nonoc writes to NAME.sb) with the values of its
// (param "NAME") references. Returns an empty string on success, else the reason; on
// failure nothing is applied (Seatbelt compiles the whole profile first).
std::string apply_seatbelt(const std::string& profile, const std::map<std::string, std::string>& params);

}  // namespace nono::runtime

#endif
