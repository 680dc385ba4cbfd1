/* Escape probes: the shared reporting contract.
 *
 * Each probe tries ONE way out of a Landlock+seccomp sandbox and says how it went with one
 * line on stdout and its exit status, which tests/escape/run_escapes.sh reads:
 *   0  refused      the kernel said no (the line names the errno)
 *   1  ESCAPED      the attempt succeeded: under a sandbox this is a security bug
 *   2  setup        the probe could not even try (bad arguments, a fixture missing)
 * A probe killed by SIGSYS was refused by a seccomp filter whose action is kill.
 * Every probe must exit 1 when run unsandboxed as root; the runner checks that first, so a
 * probe that is broken cannot pass by accident. */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { PROBE_REFUSED = 0, PROBE_ESCAPED = 1, PROBE_SETUP = 2 };

static inline void probe_say(const char* tag, const char* fmt, va_list ap) {
    printf("%s: ", tag);
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
}

/* The attempt was refused; err is the errno the kernel returned. */
__attribute__((noreturn, format(printf, 2, 3)))
static inline void refused(int err, const char* fmt, ...) {
    const char* name = strerrorname_np(err);
    printf("refused %s: ", name ? name : "E?");
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    exit(PROBE_REFUSED);
}

__attribute__((noreturn, format(printf, 1, 2)))
static inline void escaped(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    probe_say("ESCAPED", fmt, ap);
    va_end(ap);
    exit(PROBE_ESCAPED);
}

__attribute__((noreturn, format(printf, 1, 2)))
static inline void setup_failed(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    probe_say("setup", fmt, ap);
    va_end(ap);
    exit(PROBE_SETUP);
}

/* The probe's arguments, or a setup failure naming what it needs. */
static inline void need_args(int argc, int n, const char* usage) {
    if (argc != n + 1) setup_failed("usage: %s", usage);
}

/* Reads one byte from fd: the proof that a denied file was really opened for reading. */
static inline void read_one_byte_or_refused(int fd, const char* what) {
    char c;
    if (read(fd, &c, 1) < 0) refused(errno, "read %s", what);
}
