// Runtime: the paths a git configuration runs code from (see git_config.hpp).
#include "runtime/git_config.hpp"

#include <algorithm>
#include <cctype>

#include "plan/landlock_plan.hpp"

namespace nono::runtime {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A variable's value as git reads it: quotes removed, the escapes \" \\ \n \t \b taken,
// a comment (# or ; outside quotes) dropped, blanks around it trimmed.
std::string value_of(std::string_view raw) {
    std::string out;
    std::size_t kept = 0;  // the value's length without trailing blanks outside quotes
    bool quoted = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '"') {
            quoted = !quoted;
            kept = out.size();
        } else if (!quoted && (c == '#' || c == ';')) {
            break;
        } else if (c == '\\' && i + 1 < raw.size()) {
            const char e = raw[++i];
            out += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'b' ? '\b' : e;
            kept = out.size();
        } else if (quoted || !blank(c) || !out.empty()) {
            out += c;
            if (quoted || !blank(c)) kept = out.size();
        }
    }
    out.resize(kept);
    return out;
}

// `path` absolute (from `base` when relative, from `home` after `~/`), `.` and `..` taken out.
std::string absolute(const std::string& path, const std::string& base, const std::string& home) {
    std::string joined = path.starts_with("~/") ? home + path.substr(1) : path.starts_with("/") ? path : base + "/" + path;
    std::vector<std::string_view> parts;
    landlock::for_each_component(joined, [&](std::string_view c) {
        if (c == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!c.empty() && c != ".") {
            parts.push_back(c);
        }
    });
    std::string out;
    for (std::string_view p : parts) (out += '/') += p;
    return out.empty() ? "/" : out;
}

}  // namespace

std::vector<GitConfigPath> git_config_paths(std::string_view text, const std::string& config_dir,
                                            const std::string& work_tree, const std::string& home) {
    std::vector<GitConfigPath> out;
    std::string section;  // lower case, without its subsection
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        while (!line.empty() && blank(line.front())) line.remove_prefix(1);
        if (line.starts_with('[')) {  // [section], [section "subsection"], [section.subsection]
            const std::size_t close = line.find(']');
            if (close == std::string_view::npos) continue;
            const std::string_view header = line.substr(1, close - 1);
            section = lower(header.substr(0, std::min(header.find_first_of(" \t\"."), header.size())));
            line.remove_prefix(close + 1);  // a variable may follow on the same line
            while (!line.empty() && blank(line.front())) line.remove_prefix(1);
        }
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos) continue;  // a boolean: no path
        std::string_view name = line.substr(0, equals);
        while (!name.empty() && blank(name.back())) name.remove_suffix(1);
        const std::string key = lower(name);
        const std::string value = value_of(line.substr(equals + 1));
        // Empty, or `~user/`: nothing this can name for certain.
        if (value.empty() || (value.starts_with('~') && (!value.starts_with("~/") || home.empty()))) continue;
        if (section == "core" && key == "hookspath" && (!work_tree.empty() || value.starts_with('/') || value.starts_with("~/")))
            out.push_back({absolute(value, work_tree, home), "git hooks path"});
        else if ((section == "include" || section == "includeif") && key == "path")
            out.push_back({absolute(value, config_dir, home), "git config include"});
    }
    return out;
}

}  // namespace nono::runtime
