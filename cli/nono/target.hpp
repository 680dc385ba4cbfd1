// The sandbox this build of nono applies, behind one interface: Landlock and seccomp
// (target_linux.cpp) or Seatbelt (target_seatbelt.cpp). CMake compiles one of them, so
// launch.cpp, exec.cpp and run.cpp hold no platform code.
#pragma once

#include <string>

#include "cli/nono/launch.hpp"
#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"

namespace nono::cli {

// The platform whose `on` blocks a profile is resolved for.
ir::Platform target_platform();

// Runs the command under `optimized` (compiled for target_platform()) in the supervisor, or
// with --dry-run prints what would be applied. Returns the command's status as a shell
// reports it, 0 after a dry run, 125 when nothing was run.
int run_policy(const OptimizedPolicy& optimized, const LaunchFlags& flags, const RunTmpDir& tmp);

}  // namespace nono::cli
