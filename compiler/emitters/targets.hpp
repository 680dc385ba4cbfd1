// The back ends behind one small interface: each target turns the optimized IR (only the
// optimizer makes an OptimizedPolicy) into the artifacts a person or the runtime uses, and
// reports its fidelity. `nonoc compile`
// iterates this table; adding a target is one line in targets.cpp.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "compiler/fidelity.hpp"
#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"
#include "plan/landlock_abi.hpp"

namespace nono {

struct TargetOptions {
    std::string base_name;  // artifact files are named base_name + suffix ("python-agent.bpf")
    ir::Arch arch = ir::host_arch();  // seccomp: the architecture to filter for
    bool symbolic = false;            // sbpl: leave per-user values as (param "NAME")
    // landlock and plan: the Landlock ABI the fidelity report is judged against. An artifact
    // is for other machines too, so the compiling kernel's ABI never decides it; `nono`
    // judges the plan again against the kernel it runs on.
    int landlock_abi = landlock::kNewestKnownAbi;
};

struct Artifact {
    std::string file_name;
    std::string content;  // bytes; binary for .bpf
};

struct TargetOutput {
    std::vector<Artifact> artifacts;
    Fidelity fidelity;
    std::vector<std::string> notes;  // printed after the artifacts (e.g. sbpl's -D arguments)
};

struct Target {
    std::string name;  // "landlock", "seccomp", "sbpl"
    ir::Platform platform;
    std::function<TargetOutput(const OptimizedPolicy&, const TargetOptions&)> emit;
};

const std::vector<Target>& targets();

}  // namespace nono
