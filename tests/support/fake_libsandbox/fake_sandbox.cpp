// The fake libsandbox behind tests/support/fake_libsandbox/sandbox.h: records the profile
// and parameters a Seatbelt runtime hands over, and fails on demand (see sandbox.h).
#include <sandbox.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

extern "C" int sandbox_init_with_parameters(const char* profile, uint64_t flags, const char* const parameters[],
                                            char** errorbuf) {
    if (const char* record = std::getenv("NONO_FAKE_SANDBOX_RECORD")) {
        std::ofstream out(record, std::ios::binary);
        out << profile;
        for (const char* const* p = parameters; p && p[0] && p[1]; p += 2) out << "-D " << p[0] << '=' << p[1] << '\n';
        if (flags != 0) out << "flags " << flags << '\n';  // 0: the profile is text, not a built-in name
    }
    if (const char* fail = std::getenv("NONO_FAKE_SANDBOX_FAIL")) {
        if (std::strcmp(fail, "EPERM") == 0) {
            if (errorbuf) *errorbuf = nullptr;
            errno = EPERM;
        } else {
            if (errorbuf) *errorbuf = strdup(fail);
            errno = EINVAL;
        }
        return -1;
    }
    return 0;
}

extern "C" int sandbox_init(const char* profile, uint64_t flags, char** errorbuf) {
    const char* none[] = {nullptr};
    return sandbox_init_with_parameters(profile, flags, none, errorbuf);
}

extern "C" void sandbox_free_error(char* errorbuf) { std::free(errorbuf); }
