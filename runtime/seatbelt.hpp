// Runtime (Seatbelt): applies a compiled SBPL profile to the calling process with
// sandbox_init_with_parameters, then execs the command. Built on macOS against the
// system's libsandbox, and on Linux against tests/support/fake_libsandbox (which records
// what it is given), so that everything but the kernel's part is tested there.
//
// In the command's process, in order: build the command's environment; close inherited
// descriptors; setrlimit; sandbox_init_with_parameters; execve. Fails closed: when a step
// fails the command is not run (exit 125).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plan/landlock_plan.hpp"
#include "plan/limits.hpp"

namespace nono::runtime {

// What nono applies on macOS: the profile (the text `nonoc compile --target sbpl` writes),
// the values of its (param "NAME") references, and what the runtime itself does around it.
struct SeatbeltSandbox {
    std::string profile;
    std::map<std::string, std::string> params;
    landlock::EnvPlan env;
    limits::Limits limits;
    std::vector<int> keep_fds;  // descriptors above 2 passed to the command
};

// Applies `profile` with the values of its (param "NAME") references. Returns an empty
// string on success, else the reason; on failure nothing is applied (Seatbelt compiles the
// whole profile first).
std::string apply_seatbelt(const std::string& profile, const std::map<std::string, std::string>& params);

// All of it: environment, descriptors, limits, the sandbox, exec. On any failure prints
// "nono: REASON" (and a hint) and exits 125 without running the command.
[[noreturn]] void run_in_seatbelt(const SeatbeltSandbox& sandbox, const std::vector<std::string>& argv);

}  // namespace nono::runtime
