// Benchmark: the seccomp filters nono emits against libseccomp's (default linear chain and
// SCMP_FLTATR_CTL_OPTIMIZE=2 tree) on birdcage's published 291-syscall allowlist and on
// every other entry of it (146). Printed as one table: program length, instructions
// executed per syscall (interpreter; over x86_64 numbers 0-459, as in the research
// baseline), the time to install the filter and the time of a denied syscall.
// `--smoke` runs every step once, briefly, for ctest (no figure is checked there).
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "compiler/emitters/seccomp/emit_seccomp.hpp"
#include "compiler/emitters/seccomp/interpret.hpp"
#include "tests/support/seccomp_reference.hpp"

namespace {

using nono::ir::Action;
using nono::ir::Arch;
using Program = std::vector<sock_filter>;

constexpr std::uint32_t kDomain = 460;  // numbers 0..459

std::vector<std::string> read_list(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') names.push_back(line);
    return names;
}

nono::ir::SyscallTable table_of(const std::vector<std::string>& names) {
    auto t = nono::testing::make_table(Arch::X86_64, {Action::Kind::Errno, EACCES});
    for (const auto& name : names) nono::testing::allow(t, name);
    return t;
}

struct Counts {
    double allowed_avg = 0, denied_avg = 0;
    unsigned allowed_max = 0, any_max = 0;
};

Counts count(const Program& program, const nono::ir::SyscallTable& table) {
    Counts c;
    unsigned allowed = 0, denied = 0;
    auto run = [&](std::uint32_t nr) {
        seccomp_data data{};
        data.nr = static_cast<int>(nr);
        data.arch = AUDIT_ARCH_X86_64;
        return nono::seccomp::run_filter(program, data).executed;
    };
    for (std::uint32_t nr = 0; nr < kDomain; ++nr) {
        const unsigned n = run(nr);
        c.any_max = std::max(c.any_max, n);
        if (table.decisions.count(nr)) {
            c.allowed_avg += n, ++allowed;
            c.allowed_max = std::max(c.allowed_max, n);
        } else {
            c.denied_avg += n, ++denied;
        }
    }
    for (std::uint32_t nr : {0x40000000u, 0x40000100u, 0x7fffffffu, 0xfffffffeu, 0xffffffffu})
        c.any_max = std::max(c.any_max, run(nr));
    c.allowed_avg /= allowed;
    c.denied_avg /= denied;
    return c;
}

// Runs `measure` in a child (a filter cannot be removed once installed) and returns what
// it wrote to shared memory. The child may be unable to exit cleanly under a filter that
// denies exit_group; its status is not looked at.
double in_child(const std::function<double()>& measure) {
    void* shared = mmap(nullptr, sizeof(double), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    auto* result = static_cast<double*>(shared);
    *result = -1;
    const pid_t pid = fork();
    if (pid == 0) {
        *result = measure();
        _exit(0);
    }
    waitpid(pid, nullptr, 0);
    const double value = *result;
    munmap(shared, sizeof(double));
    return value;
}

int install(const Program& program) {
    sock_fprog prog{static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};
    return static_cast<int>(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best of `rounds` installs, in microseconds. Installs stack, so each round adds a filter.
double install_time(const Program& program, int rounds) {
    return in_child([&] {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1.0;
        double best = 1e9;
        for (int i = 0; i < rounds; ++i) {
            const auto start = std::chrono::steady_clock::now();
            if (install(program) != 0) return -1.0;
            best = std::min(best, seconds_since(start) * 1e6);
        }
        return best;
    });
}

// Best of 5 loops of a denied syscall, in nanoseconds per call (no filter: none installed).
double denied_call_time(const Program& program, long nr, int calls) {
    return in_child([&] {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || (!program.empty() && install(program) != 0)) return -1.0;
        double best = 1e9;
        for (int round = 0; round < 5; ++round) {
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < calls; ++i) syscall(nr, 0, 0, 0);
            best = std::min(best, seconds_since(start) * 1e9 / calls);
        }
        return best;
    });
}

}  // namespace

int main(int argc, char** argv) {
    const bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
    const auto full = read_list(std::string(NONO_REPO_DIR) + "/bench/data/birdcage-allowlist-291.txt");
    std::vector<std::string> half;
    for (std::size_t i = 0; i < full.size(); i += 2) half.push_back(full[i]);
    const long denied_nr = SYS_acct;  // in neither list

    std::printf("%-12s %-20s %6s %6s %11s %11s %11s %11s %12s %11s\n", "list", "generator", "ranges", "length",
                "allowed avg", "allowed max", "denied avg", "max (bound)", "install us", "denied ns");
    for (const auto& [label, names] : {std::pair{"birdcage-291", full}, std::pair{"every-other", half}}) {
        const auto table = table_of(names);
        const auto ranges = nono::coalesce_syscall_ranges(table);
        const unsigned bound = static_cast<unsigned>(std::ceil(std::log2(static_cast<double>(ranges.size())))) + 5;
        const std::pair<const char*, Program> generators[] = {
            {"nono", nono::seccomp::emit_seccomp(table, ranges)},
            {"libseccomp default", nono::testing::libseccomp_filter(table, 1)},
            {"libseccomp optimize=2", nono::testing::libseccomp_filter(table, 2)},
        };
        for (const auto& [generator, program] : generators) {
            if (auto why = nono::seccomp::check_program(program)) {
                std::fprintf(stderr, "%s: invalid program: %s\n", generator, why->c_str());
                return 1;
            }
            const Counts c = count(program, table);
            const double install_us = install_time(program, smoke ? 1 : 20);
            const double denied_ns = denied_call_time(program, denied_nr, smoke ? 100 : 200000);
            char max_text[32];
            std::snprintf(max_text, sizeof max_text, "%u (%u)", c.any_max, bound);
            std::printf("%-12s %-20s %6zu %6zu %11.2f %11u %11.2f %11s %12.1f %11.1f\n", label, generator,
                        ranges.size(), program.size(), c.allowed_avg, c.allowed_max, c.denied_avg, max_text,
                        install_us, denied_ns);
        }
    }
    std::printf("without a filter, an unknown syscall (ENOSYS) takes %.1f ns\n",
                denied_call_time({}, 1000, smoke ? 100 : 200000));
    return 0;
}
