/* A stand-in for macOS's <sandbox.h>, so that nono's Seatbelt runtime compiles and runs on
 * Linux: the declarations are Apple's (sandbox_init(3); sandbox_init_with_parameters is
 * private, declared by its callers as Chromium's sandbox/mac/seatbelt.cc does). The
 * implementation (fake_sandbox.cpp) applies nothing: it records what it was given and
 * fails when asked to.
 *   NONO_FAKE_SANDBOX_RECORD=FILE  the profile text, then "-D NAME=VALUE" per parameter
 *   NONO_FAKE_SANDBOX_FAIL=TEXT    fail with errno EINVAL and TEXT as the error buffer;
 *                                  "EPERM" fails as a nested sandbox does */
#ifndef NONO_FAKE_SANDBOX_H
#define NONO_FAKE_SANDBOX_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int sandbox_init(const char* profile, uint64_t flags, char** errorbuf);
void sandbox_free_error(char* errorbuf);

#ifdef __cplusplus
}
#endif

#endif
