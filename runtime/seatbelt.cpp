// Runtime (macOS only): sandbox_init with parameters. Compiles to nothing elsewhere.
#if defined(__APPLE__)

#include "runtime/seatbelt_macos.hpp"

#include <sandbox.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

// Exported by libsandbox and used by Chromium and Nix, but not declared by <sandbox.h>:
// sandbox_init with the values of (param "NAME"), as { name, value, …, NULL }.
extern "C" int sandbox_init_with_parameters(const char* profile, std::uint64_t flags, const char* const parameters[],
                                            char** errorbuf);

namespace nono::runtime {

std::string apply_seatbelt(const std::string& profile, const std::map<std::string, std::string>& params) {
    std::vector<const char*> flat;
    for (const auto& [name, value] : params) {
        flat.push_back(name.c_str());
        flat.push_back(value.c_str());
    }
    flat.push_back(nullptr);
    char* error = nullptr;
    // flags 0: `profile` is SBPL text, not the name of a built-in profile.
    if (sandbox_init_with_parameters(profile.c_str(), 0, flat.data(), &error) == 0) return {};
    int saved = errno;
    std::string reason = error ? error : std::strerror(saved);
    if (error) sandbox_free_error(error);
    if (saved == EPERM)
        reason += "\nHint: this process is already sandboxed; Seatbelt profiles cannot be nested";
    return "sandbox_init: " + reason;
}

}  // namespace nono::runtime

#endif
