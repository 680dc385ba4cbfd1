// How long applying a carve-out takes when the allowed directory is large: a directory of
// N entries with one denied child becomes N - 1 Landlock rules, opened and added one by
// one when the sandbox is applied. Prints the median of RUNS for the dry resolution
// (list and open every entry) and for the whole sandbox_self (ruleset, rules,
// restrict_self) in a forked child, as wall time and as CPU time of the thread (on a
// loaded machine the wall time includes waiting for a core), and the cost of one bare
// syscall on this machine, which bounds the rest: two syscalls per entry (openat,
// landlock_add_rule; the descriptors are closed in batches). The resolution assumes the
// newest ABI, so it also runs where Landlock does not (valgrind: instruction counts).
//
//   expansion_bench [ENTRIES] [RUNS]
//   valgrind --tool=callgrind --toggle-collect='nono::runtime::resolve_ruleset*' expansion_bench 100000 1
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/sandbox.hpp"

using namespace nono;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Clock {
    double wall_ms = 0, cpu_ms = 0;
    static Clock now() {
        timespec wall, cpu;
        clock_gettime(CLOCK_MONOTONIC, &wall);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
        return {wall.tv_sec * 1e3 + wall.tv_nsec / 1e6, cpu.tv_sec * 1e3 + cpu.tv_nsec / 1e6};
    }
    Clock since() const {
        Clock n = now();
        return {n.wall_ms - wall_ms, n.cpu_ms - cpu_ms};
    }
};

double syscall_us() {
    Clock start = Clock::now();
    for (int i = 0; i < 20000; ++i) (void)getppid();
    return start.since().cpu_ms * 1000 / 20000;
}

// The time sandbox_self takes in a forked child; negative if it failed.
Clock sandbox_time(const landlock::Plan& plan) {
    int fds[2];
    Clock failed{-1, -1};
    if (pipe(fds) != 0) return failed;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        Clock start = Clock::now(), took = failed;
        try {
            runtime::sandbox_self(plan, {false, {}, {fds[1]}});
            took = start.since();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "expansion_bench: %s\n", e.what());
        }
        (void)!write(fds[1], &took, sizeof took);
        _exit(0);
    }
    close(fds[1]);
    Clock took = failed;
    if (read(fds[0], &took, sizeof took) != sizeof took) took = failed;
    close(fds[0]);
    waitpid(pid, nullptr, 0);
    return took;
}

}  // namespace

int main(int argc, char** argv) {
    const int entries = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    char tmpl[] = "/tmp/nono-expansion-XXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    const std::string dir = tmpl;
    for (int i = 0; i < entries; ++i) close(open((dir + "/f" + std::to_string(i)).c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
    std::filesystem::create_directory(dir + "/secret");

    landlock::Plan plan;
    plan.paths = {{dir, landlock::kAccessFsReadFile | landlock::kAccessFsReadDir, 0, 0},
                  {dir + "/secret", 0, landlock::kAllFsRights, 0}};

    std::vector<double> resolve_wall, resolve_cpu, apply_wall, apply_cpu;
    std::size_t rules = 0;
    for (int r = 0; r < runs; ++r) {
        Clock start = Clock::now();
        rules = runtime::resolve_ruleset(plan, landlock::kNewestKnownAbi).rules.size();
        Clock took = start.since();
        resolve_wall.push_back(took.wall_ms);
        resolve_cpu.push_back(took.cpu_ms);
        took = sandbox_time(plan);
        if (took.wall_ms < 0) return 1;
        apply_wall.push_back(took.wall_ms);
        apply_cpu.push_back(took.cpu_ms);
    }
    std::filesystem::remove_all(dir);

    std::printf("## Carve-out expansion: %d entries, %zu rules, median of %d\n\n", entries + 1, rules, runs);
    std::printf("| step                               | wall ms | CPU ms |\n|------------------------------------|--------:|-------:|\n");
    std::printf("| resolve (list and open each entry) | %7.1f | %6.1f |\n", median(resolve_wall), median(resolve_cpu));
    std::printf("| sandbox_self (+ add_rule each)     | %7.1f | %6.1f |\n", median(apply_wall), median(apply_cpu));
    std::printf("\none bare syscall (getppid) on this machine: %.2f us of CPU\n", syscall_us());
    return rules == static_cast<std::size_t>(entries) ? 0 : 1;
}
