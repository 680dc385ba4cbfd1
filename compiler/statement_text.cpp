// Stage 2a, resolve: rendering (see statement_text.hpp).
#include "compiler/statement_text.hpp"

#include <algorithm>
#include <string_view>

namespace nono {

std::string StatementTexts::text_at(const SourceLocation& loc) {
    const std::string* text = sources_.text(loc.file);
    if (!text || loc.line == 0) return {};
    std::vector<std::size_t>& starts = line_starts_[loc.file];
    if (starts.empty()) {
        starts.push_back(0);
        for (std::size_t nl = text->find('\n'); nl != std::string::npos; nl = text->find('\n', nl + 1))
            starts.push_back(nl + 1);
    }
    if (loc.line > starts.size()) return {};
    std::string_view line = std::string_view(*text).substr(starts[loc.line - 1]);
    line = line.substr(0, line.find('\n'));
    if (loc.column > 0 && loc.column <= line.size()) line.remove_prefix(loc.column - 1);
    bool quoted = false;
    std::size_t end = 0;
    for (; end < line.size(); ++end) {
        if (line[end] == '\\' && quoted) ++end;
        else if (line[end] == '"') quoted = !quoted;
        else if (line[end] == '#' && !quoted) break;
    }
    line = line.substr(0, std::min(end, line.size()));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\\' || line.back() == '\r'))
        line.remove_suffix(1);
    return std::string(line);
}

}  // namespace nono
