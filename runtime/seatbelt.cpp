// Runtime (Seatbelt): sandbox_init with parameters, in the command's process before exec.
#include "runtime/seatbelt.hpp"

#include <sandbox.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "runtime/command.hpp"
#include "runtime/enforce_limits.hpp"

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

void run_in_seatbelt(const SeatbeltSandbox& sandbox, const std::vector<std::string>& argv) {
    // Prepared before the sandbox, which may refuse what preparing it reads, and before the
    // memory limit, so that nothing after it allocates.
    const PreparedCommand command(argv, command_environment(sandbox.env, ::environ));
    try {
        // Before the sandbox: an open descriptor to a denied file would bypass every rule.
        close_inherited_fds(sandbox.keep_fds);
        limits::apply_rlimits(sandbox.limits);
    } catch (const SandboxError& e) {
        std::fprintf(stderr, "nono: %s\n%s\n", e.what(), e.hint.c_str());
        _exit(kExitSandboxFailed);
    }
    const std::string failed = apply_seatbelt(sandbox.profile, sandbox.params);
    if (!failed.empty()) {
        std::fprintf(stderr, "nono: %s\n", failed.c_str());
        _exit(kExitSandboxFailed);
    }
    command.exec();
}

}  // namespace nono::runtime
