// Writing command output to files without ever leaving half of one.
#pragma once

#include <string>

namespace nono::cli {

// Replaces (or creates) `path` with `text` through a new file renamed over it, so that a
// failure leaves either the old file or the new one, never half of each. An existing
// file keeps its mode; a new one gets 0666 less the umask. On failure, `error` says why.
bool replace_file(const std::string& path, const std::string& text, std::string& error);

}  // namespace nono::cli
