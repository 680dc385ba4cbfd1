/* Escape probe: push characters into the terminal's input queue (TIOCSTI), so the shell
 * that started the sandbox runs them after it exits. The runner gives the probe a terminal
 * on stdin. */
#include <sys/ioctl.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "tiocsti");
    if (!isatty(0)) setup_failed("stdin is not a terminal");
    char c = '\n';
    if (ioctl(0, TIOCSTI, &c) != 0) refused(errno, "ioctl(TIOCSTI)");
    escaped("injected input into the terminal");
}
