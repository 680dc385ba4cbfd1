#include "core/diagnostics.hpp"

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

constexpr std::size_t kMaxShownLine = 200;

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

namespace {

// Control bytes from a hostile file (NUL, ESC sequences that drive the terminal) are shown
// as '?', one column each, so the caret still lines up. Tabs stay for alignment.
std::string printable(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = '?';
    return out;
}

}  // namespace

void Diagnostics::render(std::ostream& out, const SourceMap& sources, bool color) const {
    const char* bold = color ? "\033[1m" : "";
    const char* reset = color ? "\033[0m" : "";
    const char* green = color ? "\033[1;32m" : "";
    for (const Diagnostic& d : list_) {
        out << bold << d.loc.str() << ": " << reset << (color ? severity_color(d.severity) : "")
            << severity_word(d.severity) << ": " << reset << bold << printable(d.message) << reset << '\n';
        std::string_view line = sources.line(d.loc.file, d.loc.line);
        if (d.loc.line > 0 && d.loc.column > 0 && d.loc.column <= line.size() + 1) {
            // A very long line is cut to a window around the caret: hostile input must
            // not flood the terminal with one line per error.
            std::size_t caret = d.loc.column - 1;
            std::size_t start = 0;
            if (line.size() > kMaxShownLine && caret > kMaxShownLine / 2) start = caret - kMaxShownLine / 2;
            const std::string_view shown = line.substr(start, kMaxShownLine);
            caret -= start;
            std::string pad;
            if (start > 0) {
                out << "…";
                pad += ' ';
            }
            out << printable(shown) << (start + shown.size() < line.size() ? "…" : "") << '\n';
            // Keep tabs so the caret lines up however the terminal expands them.
            for (std::size_t i = 0; i < caret; ++i) pad += shown[i] == '\t' ? '\t' : ' ';
            out << pad << green << '^' << reset << '\n';
        }
        if (!d.hint.empty()) out << "hint: " << printable(d.hint) << '\n';
    }
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
    return out;
}

bool use_color(int fd) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    return isatty(fd) == 1;
}

}  // namespace nono
