// How compile time and memory grow with profile size: generated profiles of N path
// statements (plus 300 syscall statements and a few globs) go through the whole pipeline
// (parse, resolve with the standard groups, lower, every optimizer pass). Each size runs
// in a forked child, so that its peak RSS is its own; prints the median wall and CPU time
// of RUNS and the peak RSS, as a table.
//
//   compile_bench [MAX_STATEMENTS] [RUNS]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "compiler/syscalls.hpp"

using namespace nono;

namespace {

double now_ms(clockid_t clock) {
    timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

std::string generate(std::size_t paths) {
    static const char* access[] = {"read", "read,write", "exec", "read,exec", "write"};
    std::string text = "profile bench {\n  syscalls default allow\n";
    for (std::size_t i = 0; i < paths; ++i) {
        text += i % 5 == 4 ? "  deny " : "  allow ";
        text += access[i % 5];
        text += " /srv/d" + std::to_string(i % 97) + "/s" + std::to_string(i / 97 % 89) + "/f" + std::to_string(i) + "\n";
    }
    for (int g = 0; g < 5; ++g) text += "  deny read /srv/d" + std::to_string(g) + "/**/.env\n";
    const std::span<const std::string_view> names = all_syscall_names();
    for (std::size_t i = 0; i < 300; ++i) {
        const std::string name(names[(i * 7) % names.size()]);
        if (i % 3 == 0)
            text += "  deny syscall " + name + " if arg0 == " + std::to_string(i) + " errno EPERM\n";
        else
            text += (i % 3 == 1 ? "  deny syscall " : "  allow syscall ") + name + "\n";
    }
    return text + "}\n";
}

struct Sample {
    double wall_ms = 0, cpu_ms = 0;
    long peak_kb = 0;
    bool ok = false;
};

// Compiles `path` RUNS times in a child; reports the median times and the child's peak RSS.
Sample measure(const std::string& path, int runs) {
    int fds[2];
    if (pipe(fds) != 0) return {};
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        std::vector<double> wall, cpu;
        bool ok = true;
        for (int r = 0; r < runs; ++r) {
            SourceMap sources;
            Diagnostics diags;
            double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
            ok = ok && compile_profile(path, CompileOptions{}, sources, diags).has_value();
            wall.push_back(now_ms(CLOCK_MONOTONIC) - w0);
            cpu.push_back(now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0);
            if (diags.has_errors()) diags.render(std::cerr, sources, false);
        }
        std::sort(wall.begin(), wall.end());
        std::sort(cpu.begin(), cpu.end());
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        Sample s{wall[wall.size() / 2], cpu[cpu.size() / 2], usage.ru_maxrss, ok};
        ssize_t written = write(fds[1], &s, sizeof s);
        _exit(written == sizeof s ? 0 : 1);
    }
    close(fds[1]);
    Sample s;
    if (read(fds[0], &s, sizeof s) != sizeof s) s.ok = false;
    close(fds[0]);
    waitpid(pid, nullptr, 0);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t max = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
    int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("nono-compile-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::printf("compile_bench: whole pipeline, 300 syscall statements + 5 globs + N path statements, median of %d\n",
                runs);
    std::printf("%12s %12s %12s %12s %14s\n", "statements", "wall ms", "cpu ms", "peak RSS MB", "us/statement");
    int status = 0;
    for (std::size_t n = 10; n <= max; n *= 10) {
        std::string path = (dir / ("bench-" + std::to_string(n) + ".nono")).string();
        std::ofstream(path) << generate(n);
        Sample s = measure(path, n >= 100000 ? std::max(1, runs / 3) : runs);
        if (!s.ok) {
            std::printf("%12zu  failed to compile\n", n);
            status = 1;
            continue;
        }
        std::printf("%12zu %12.2f %12.2f %12.1f %14.2f\n", n, s.wall_ms, s.cpu_ms, s.peak_kb / 1024.0,
                    s.cpu_ms * 1000.0 / static_cast<double>(n + 305));
    }
    std::filesystem::remove_all(dir);
    return status;
}
