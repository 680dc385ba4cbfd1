// Stage 2a, resolve: where a profile's file is found (see find_profile.hpp).
#include "compiler/find_profile.hpp"

#include <cstdlib>
#include <filesystem>

namespace nono {

namespace fs = std::filesystem;

std::vector<std::string> profile_path_from_env() {
    std::vector<std::string> dirs;
    const char* env = std::getenv("NONO_PROFILE_PATH");
    std::string_view rest = env ? env : "";
    while (!rest.empty()) {
        std::size_t colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        if (!dir.empty()) dirs.emplace_back(dir);
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
    return dirs;
}

std::string builtin_profile_dir() {
    std::error_code ec;
    if (fs::is_directory(NONO_INSTALLED_PROFILE_DIR, ec)) return NONO_INSTALLED_PROFILE_DIR;
    return NONO_SOURCE_PROFILE_DIR;
}

namespace {

bool is_file_argument(const std::string& s) {
    auto ends_with = [&](std::string_view suffix) {
        return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return s.find('/') != std::string::npos || ends_with(".nono") || ends_with(".yaml");
}

std::string join(const std::string& dir, const std::string& file) {
    if (dir.empty() || dir == ".") return file;
    return dir.back() == '/' ? dir + file : dir + "/" + file;
}

std::string folder_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// The files a profile NAME may be in, in search order.
std::vector<std::string> candidates(const std::string& name, const std::vector<std::string>& dirs) {
    std::vector<std::string> out;
    for (const std::string& dir : dirs)
        for (const char* ext : {".nono", ".yaml"}) out.push_back(join(dir, name + ext));
    return out;
}

// A place looked in, for a hint: relative to the working directory when below it, so
// that messages read the same in every checkout.
std::string shown(const std::string& path) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (ec || path.empty() || path[0] != '/') return path;
    fs::path rel = fs::path(path).lexically_relative(cwd);
    if (rel.empty() || *rel.begin() == "..") return path;
    return rel.string();
}

}  // namespace

std::string looked_in(const std::vector<std::string>& places) {
    std::string out;
    for (const std::string& p : places) out += (out.empty() ? "" : ", ") + shown(p);
    return "looked in: " + out;
}

std::optional<std::string> find_profile(const std::string& name_or_path, const ProfileSearch& search,
                                        Diagnostics& diags) {
    std::error_code ec;
    if (is_file_argument(name_or_path)) {
        if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
        if (fs::exists(name_or_path, ec))
            diags.error({name_or_path, 0, 0}, "not a regular file", "a profile is a .nono or .yaml file");
        else
            diags.error({name_or_path, 0, 0}, "no such profile file");
        return std::nullopt;
    }
    std::vector<std::string> dirs = search.profile_path;
    dirs.push_back(search.builtin_dir);
    std::vector<std::string> looked = candidates(name_or_path, dirs);
    for (const std::string& file : looked)
        if (fs::is_regular_file(file, ec)) return file;
    diags.error({name_or_path, 0, 0}, "no profile named `" + name_or_path + "`", looked_in(looked));
    return std::nullopt;
}

std::vector<std::string> parent_candidates(const std::string& name, const std::string& child_file,
                                           const ProfileSearch& search) {
    std::vector<std::string> dirs{folder_of(child_file)};
    dirs.insert(dirs.end(), search.profile_path.begin(), search.profile_path.end());
    dirs.push_back(search.builtin_dir);
    std::vector<std::string> files = candidates(name, dirs);
    for (std::string& file : files) file = shown(file);
    return files;
}

std::string standard_groups_file(const ProfileSearch& search) {
    return shown(join(search.builtin_dir, "syscall-groups.nono"));
}

}  // namespace nono
