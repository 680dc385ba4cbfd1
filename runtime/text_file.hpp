// Runtime: a small text file (/proc, cgroupfs, a tool's configuration) read whole.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace nono::runtime {

// Its contents, or "" when it cannot be read.
inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace nono::runtime
