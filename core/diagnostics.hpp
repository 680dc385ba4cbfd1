// Diagnostics: every stage of the compiler reports into one collector, so that all
// errors in a run are shown together, each as
//
//   file:line:col: error: message
//   <the source line>
//      ^
//   hint: did you mean `write`?
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/source.hpp"

namespace nono {

struct Diagnostic {
    enum class Severity { Error, Warning, Note };
    Severity severity = Severity::Error;
    SourceLocation loc;
    std::string message;
    std::string hint;  // optional; printed as "hint: …"
};

class Diagnostics {
public:
    void error(SourceLocation loc, std::string message, std::string hint = {});
    void warning(SourceLocation loc, std::string message, std::string hint = {});
    void note(SourceLocation loc, std::string message);

    bool has_errors() const { return errors_ > 0; }
    std::size_t error_count() const { return errors_; }
    const std::vector<Diagnostic>& all() const { return list_; }

    // Prints every diagnostic in the order reported. `color` adds ANSI colours; callers
    // decide it (a terminal, and NO_COLOR unset).
    void render(std::ostream& out, const SourceMap& sources, bool color) const;

private:
    std::vector<Diagnostic> list_;
    std::size_t errors_ = 0;
};

// "a -> b -> c": a list as a message shows it.
std::string joined(const std::vector<std::string>& items, const char* separator);

// Whether to colour output written to `fd`: a terminal, and NO_COLOR unset or empty.
bool use_color(int fd);

}  // namespace nono
