#include "compiler/diagnostics.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ostream>

namespace nono {

void Diagnostics::error(SourceLocation loc, std::string message, std::string hint) {
    list_.push_back({Diagnostic::Severity::Error, std::move(loc), std::move(message), std::move(hint)});
    ++errors_;
}

void Diagnostics::warning(SourceLocation loc, std::string message, std::string hint) {
    list_.push_back({Diagnostic::Severity::Warning, std::move(loc), std::move(message), std::move(hint)});
}

void Diagnostics::note(SourceLocation loc, std::string message) {
    list_.push_back({Diagnostic::Severity::Note, std::move(loc), std::move(message), {}});
}

namespace {

const char* severity_word(Diagnostic::Severity s) {
    switch (s) {
        case Diagnostic::Severity::Error: return "error";
        case Diagnostic::Severity::Warning: return "warning";
        case Diagnostic::Severity::Note: return "note";
    }
    return "error";
}

const char* severity_color(Diagnostic::Severity s) {
    switch (s) {
        case Diagnostic::Severity::Error: return "\033[1;31m";
        case Diagnostic::Severity::Warning: return "\033[1;35m";
        case Diagnostic::Severity::Note: return "\033[1;36m";
    }
    return "";
}

}  // namespace

void Diagnostics::render(std::ostream& out, const SourceMap& sources, bool color) const {
    const char* bold = color ? "\033[1m" : "";
    const char* reset = color ? "\033[0m" : "";
    const char* green = color ? "\033[1;32m" : "";
    for (const Diagnostic& d : list_) {
        out << bold << d.loc.str() << ": " << reset << (color ? severity_color(d.severity) : "")
            << severity_word(d.severity) << ": " << reset << bold << d.message << reset << '\n';
        std::string_view line = sources.line(d.loc.file, d.loc.line);
        if (d.loc.line > 0 && d.loc.column > 0 && d.loc.column <= line.size() + 1) {
            out << line << '\n';
            std::string pad;
            // Keep tabs so the caret lines up however the terminal expands them.
            for (std::size_t i = 0; i + 1 < d.loc.column; ++i) pad += line[i] == '\t' ? '\t' : ' ';
            out << pad << green << '^' << reset << '\n';
        }
        if (!d.hint.empty()) out << "hint: " << d.hint << '\n';
    }
}

bool use_color(int fd) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    return isatty(fd) == 1;
}

}  // namespace nono
