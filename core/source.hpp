// Where a thing was written, and the texts of the files read, for diagnostics.
#pragma once

#include <compare>
#include <map>
#include <string>
#include <string_view>

namespace nono {

// A file's name, kept once per process: every location in a file points at the same
// copy, so copying a location copies no string (a profile's AST holds thousands).
class FileName {
public:
    FileName() = default;
    FileName(std::string_view name);
    FileName(const std::string& name) : FileName(std::string_view(name)) {}
    FileName(const char* name) : FileName(std::string_view(name)) {}

    const std::string& str() const {
        static const std::string none;
        return name_ ? *name_ : none;
    }
    operator const std::string&() const { return str(); }
    bool empty() const { return !name_; }

    bool operator==(const FileName& other) const { return name_ == other.name_; }
    // By name, so that no order depends on where the names are stored.
    std::strong_ordering operator<=>(const FileName& other) const { return str().compare(other.str()) <=> 0; }

private:
    const std::string* name_ = nullptr;  // nullptr for ""
};

// 1-based line and column; column counts bytes. line == 0 means "no place in a file"
// (a command-line flag, a built-in default).
struct SourceLocation {
    FileName file;
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
