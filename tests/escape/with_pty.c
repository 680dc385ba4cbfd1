/* Escape suite fixture: runs a command with a new terminal as its stdin and controlling
 * terminal, standing for the user's terminal that a sandboxed program inherits (stdout and
 * stderr stay as they are, so the runner reads the probe's line). Exits with the command's
 * status, 128+N when it died of signal N, as a shell reports it. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: with_pty CMD [ARG...]\n");
        return 2;
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        perror("open a pseudo-terminal");
        return 2;
    }
    const char* terminal = ptsname(master);
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 2;
    }
    if (child == 0) {
        int tty = -1;
        if (setsid() < 0 || (tty = open(terminal, O_RDWR)) < 0 || ioctl(tty, TIOCSCTTY, 0) != 0 || dup2(tty, 0) != 0) {
            perror("make the terminal controlling");
            _exit(2);
        }
        close(tty);
        close(master);
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int status;
    if (waitpid(child, &status, 0) != child) {
        perror("waitpid");
        return 2;
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
