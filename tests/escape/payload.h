/* Escape probes that execute code: the copy of the probe that must never run.
 * The exec probes copy their own binary somewhere it may not be executed from and exec it
 * with the argument "--payload"; if the kernel lets it start, it reports the escape. */
#pragma once

#include <fcntl.h>

#include "probe.h"

static const char payload_flag[] = "--payload";

static inline void run_as_payload_if_asked(int argc, char** argv, const char* how) {
    if (argc == 2 && strcmp(argv[1], payload_flag) == 0) escaped("code the sandbox wrote ran (%s)", how);
}

/* Copies this program's binary to fd; a failing write is the sandbox refusing it. */
static inline void copy_self_to(int out) {
    int in = open("/proc/self/exe", O_RDONLY);
    if (in < 0) setup_failed("open /proc/self/exe: %s", strerror(errno));
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) refused(errno, "write the payload");
    if (n < 0) setup_failed("read /proc/self/exe: %s", strerror(errno));
    close(in);
}
