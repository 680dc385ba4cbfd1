// Runtime: the places of the user's own (see own_places.hpp).
#include "runtime/own_places.hpp"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

namespace nono::runtime {

std::vector<std::string> own_places() {
    std::vector<std::string> places;
    for (const char* name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"}) {
        const char* value = std::getenv(name);
        if (value && value[0] == '/') places.push_back(std::filesystem::path(value).lexically_normal().string());
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) places.emplace_back(cwd);
    for (std::string& p : places)
        while (p.size() > 1 && p.back() == '/') p.pop_back();
    std::erase(places, "/");  // a HOME or working directory of `/` makes nothing everywhere
    return places;
}

}  // namespace nono::runtime
