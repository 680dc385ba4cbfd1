/* Escape probe: read another process's command line through /proc/PID (its arguments
 * often carry tokens), for a process outside the sandbox. Argument: its pid. */
#include <fcntl.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "proc_cmdline PID");
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/cmdline", argv[1]);
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) refused(errno, "open %s", path);
    char text[256];
    const ssize_t n = read(fd, text, sizeof text);
    if (n < 0) refused(errno, "read %s", path);
    if (n == 0) setup_failed("%s is empty: the process is gone", path);
    escaped("read the command line of process %s outside the sandbox", argv[1]);
}
