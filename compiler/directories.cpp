// Which directories may stand for HOME, TMPDIR or an XDG directory (directories.hpp).
#include "compiler/directories.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>

namespace nono {

namespace fs = std::filesystem;

namespace {

// `/` and the system's own top-level directories, and everything under those that only
// the system writes: never a home, a temporary directory or a user's data.
bool is_system_directory(const fs::path& real) {
    static const std::set<std::string> top = {"/",     "/bin",  "/boot", "/dev",  "/etc",  "/home",  "/lib",
                                              "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc",
                                              "/run",  "/sbin", "/srv",  "/sys",  "/usr",  "/var"};
    static const std::set<std::string> system_trees = {"/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
                                                        "/libx32", "/proc", "/sbin", "/sys", "/usr"};
    const auto first = ++real.begin();
    return top.count(real.string()) || (first != real.end() && system_trees.count("/" + first->string()));
}

}  // namespace

std::string unfit_directory(const std::string& name, const std::string& value) {
    std::error_code ec;
    const fs::path real = fs::canonical(value, ec);
    if (ec && name.rfind("XDG_", 0) == 0 && !fs::exists(fs::symlink_status(value, ec))) return {};
    struct stat st;
    if (stat(real.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return name + " is `" + value + "`, which is not an existing directory";
    const std::string named = value == real.string() ? "`" + value + "`" : "`" + value + "` (" + real.string() + ")";
    if (is_system_directory(real)) return name + " is " + named + ", a system directory";
    const bool shared_temporary = name == "TMPDIR" && (st.st_mode & S_ISVTX);
    if (st.st_uid != getuid() && !shared_temporary)
        return name + " is " + named + ", owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " +
               std::to_string(getuid()) + ")";
    return {};
}

}  // namespace nono
