// The supervisor's metadata part without namespaces: the cost of one chmod() (a path) and
// one fchmod() (a descriptor) decided and performed by the supervisor through seccomp user
// notification, against the same calls without it, on a file of a temporary directory that
// the rules let the command write.
//
//   metadata_bench [CALLS]      (default 20000)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "bench/measure_in_child.hpp"
#include "runtime/mediate_metadata.hpp"
#include "runtime/mediation.hpp"
#include "runtime/sandbox.hpp"

using namespace nono;
using Clock = std::chrono::steady_clock;

namespace {

struct Costs {
    double chmod_us = -1, fchmod_us = -1;
};

// `count` chmods and fchmods of `file` in a child; with `mediated`, under the mediation
// filter with a Mediator in this process that lets it write `dir`. Microseconds per call.
Costs metadata_cost(const std::string& dir, const std::string& file, unsigned count, bool mediated) {
    std::optional<runtime::Mediator> mediator;
    if (mediated) {
        runtime::ConcreteRuleset landlock;
        landlock.handled_fs = landlock::kAllFsRights;
        landlock.rules = {{dir, landlock::kAllFsRights, true}};
        mediator.emplace();
        mediator->mediate_metadata(landlock);
    }
    const auto costs = measure_in_child<Costs>(mediator ? &*mediator : nullptr, [&]() -> std::optional<Costs> {
        Costs c;
        auto start = Clock::now();
        for (unsigned i = 0; i < count; ++i)
            if (chmod(file.c_str(), i % 2 ? 0600 : 0644) != 0) return std::nullopt;
        c.chmod_us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / count;
        const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
        start = Clock::now();
        for (unsigned i = 0; i < count; ++i)
            if (fchmod(fd, i % 2 ? 0600 : 0644) != 0) return std::nullopt;
        c.fchmod_us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / count;
        return c;
    });
    return costs.value_or(Costs{});
}

}  // namespace

int main(int argc, char** argv) {
    const unsigned calls = argc > 1 ? static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10)) : 20000;
    char dir_template[] = "/tmp/nono-metadata-bench.XXXXXX";
    if (!mkdtemp(dir_template)) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = dir_template, file = dir + "/file";
    close(open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
    std::printf("metadata_bench: chmod and fchmod of a file in a write grant, %u times each\n\n", calls);
    if (const auto unavailable = runtime::mediation_unavailable()) {
        std::printf("mediation: not measured (%s)\n", unavailable->c_str());
    } else {
        const Costs plain = metadata_cost(dir, file, calls, false);
        const Costs mediated = metadata_cost(dir, file, calls, true);
        std::printf("| call   | without mediation (us) | mediated (us) | added (us) |\n");
        std::printf("|--------|-----------:|----------:|----------:|\n");
        std::printf("| chmod  | %10.2f | %9.2f | %9.2f |\n", plain.chmod_us, mediated.chmod_us, mediated.chmod_us - plain.chmod_us);
        std::printf("| fchmod | %10.2f | %9.2f | %9.2f |\n", plain.fchmod_us, mediated.fchmod_us, mediated.fchmod_us - plain.fchmod_us);
    }
    unlink(file.c_str());
    rmdir(dir.c_str());
    return 0;
}
