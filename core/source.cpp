#include "core/source.hpp"

#include <mutex>
#include <set>

namespace nono {

FileName::FileName(std::string_view name) {
    if (name.empty()) return;
    static std::mutex mutex;
    static std::set<std::string, std::less<>> names;  // nodes never move
    const std::lock_guard<std::mutex> lock(mutex);
    auto it = names.find(name);
    if (it == names.end()) it = names.emplace(name).first;
    name_ = &*it;
}

std::string SourceLocation::str() const {
    if (line == 0) return file;
    return file.str() + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void SourceMap::add(std::string path, std::string text) { texts_[std::move(path)] = std::move(text); }

const std::string* SourceMap::text(const std::string& path) const {
    auto it = texts_.find(path);
    return it == texts_.end() ? nullptr : &it->second;
}

std::string_view SourceMap::line(const std::string& path, unsigned line) const {
    const std::string* t = text(path);
    if (!t || line == 0) return {};
    std::string_view rest = *t;
    for (unsigned n = 1; n < line; ++n) {
        auto nl = rest.find('\n');
        if (nl == std::string_view::npos) return {};
        rest.remove_prefix(nl + 1);
    }
    auto end = rest.find('\n');
    std::string_view l = rest.substr(0, end);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
}

}  // namespace nono
