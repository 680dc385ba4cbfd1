// Stage 1 entry: reads a profile file and hands its text to the right front end.
#include "compiler/load.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "grammar/parse.hpp"
#include "yaml/yaml_form.hpp"

namespace nono {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The whole file, or an error. The size is checked on the open descriptor before
// reading, and the read is capped, so a huge or growing file cannot exhaust memory.
std::optional<std::string> read_file(const std::string& path, Diagnostics& diags) {
    const SourceLocation where{path, 0, 0};
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diags.error(where, std::string("cannot open: ") + std::strerror(errno));
        return std::nullopt;
    }
    struct stat st {};
    std::optional<std::string> text;
    if (::fstat(fd, &st) != 0) {
        diags.error(where, std::string("cannot read: ") + std::strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        diags.error(where, std::string("cannot read: ") + std::strerror(EISDIR));
    } else if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > kMaxProfileBytes) {
        diags.error(where, "file too large (" + std::to_string(st.st_size) + " bytes; at most " +
                               std::to_string(kMaxProfileBytes / (1024 * 1024)) + " MiB)");
    } else {
        std::string data;
        char buffer[65536];
        for (;;) {
            ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                diags.error(where, std::string("cannot read: ") + std::strerror(errno));
                break;
            }
            if (n == 0) {
                text = std::move(data);
                break;
            }
            data.append(buffer, static_cast<std::size_t>(n));
            if (data.size() > kMaxProfileBytes) {
                diags.error(where, "file too large (more than " + std::to_string(kMaxProfileBytes / (1024 * 1024)) +
                                       " MiB)");
                break;
            }
        }
    }
    ::close(fd);
    return text;
}

}  // namespace

ast::File load_profile_file(const std::string& path, SourceMap& sources, Diagnostics& diags) {
    std::optional<std::string> text = read_file(path, diags);
    if (!text) return {};
    sources.add(path, *text);
    const std::string& stored = *sources.text(path);
    if (ends_with(path, ".yaml") || ends_with(path, ".yml")) return parse_yaml(stored, path, diags);
    return parse_nono(stored, path, diags);
}

}  // namespace nono
