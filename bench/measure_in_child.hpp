// For the benchmarks of the supervisor's mediation: a measurement made in a child process,
// under the mediation filter and served from this process, as a sandboxed command is.
#pragma once

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "runtime/mediation.hpp"

// Runs `measure` in a child, with the filter of `mediator` and its listener handed to it
// when `mediator` is given (nullptr: without mediation); returns what the child measured,
// or nullopt after saying how it failed. `measure` returns a trivially copyable Result, or
// nullopt when what it measures failed.
template <typename Result, typename Measure>
std::optional<Result> measure_in_child(nono::runtime::Mediator* mediator, Measure measure) {
    int timing[2];
    if (pipe(timing) != 0) std::abort();
    const pid_t child = fork();
    if (child == 0) {
        if (mediator) {
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            nono::runtime::hand_over_listener(mediator->command_end(), mediator->what());
        }
        const std::optional<Result> result = measure();
        if (!result || write(timing[1], &*result, sizeof *result) != sizeof *result) _exit(1);
        _exit(0);
    }
    close(timing[1]);
    if (mediator) mediator->start();
    Result result{};
    const bool told = read(timing[0], &result, sizeof result) == sizeof result;
    close(timing[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (told) return result;
    std::fprintf(stderr, "the measuring child failed: status %#x\n", status);
    return std::nullopt;
}
