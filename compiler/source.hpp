// Where a thing was written, and the texts of the files read, for diagnostics.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace nono {

// 1-based line and column; column counts bytes. line == 0 means "no place in a file"
// (a command-line flag, a built-in default).
struct SourceLocation {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;

    std::string str() const;  // "file:line:col", or "file" without a line
    auto operator<=>(const SourceLocation&) const = default;
};

// The text of every file read in one run, so a diagnostic can show its line.
class SourceMap {
public:
    void add(std::string path, std::string text);
    const std::string* text(const std::string& path) const;
    std::string_view line(const std::string& path, unsigned line) const;

private:
    std::map<std::string, std::string> texts_;
};

}  // namespace nono
