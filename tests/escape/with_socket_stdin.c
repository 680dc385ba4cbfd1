/* Escape suite fixture: runs a command with an unconnected TCP socket as its stdin, the
 * "already-open inherited socket" a sandboxed program may receive from outside. */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: with_socket_stdin CMD [ARG...]\n");
        return 2;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || dup2(s, 0) != 0) {
        perror("socket on stdin");
        return 2;
    }
    if (s != 0) close(s);
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    return 127;
}
