/* Escape probe: write a program into a directory the profile lets the sandbox write but
 * not execute from (TMPDIR, for profiles that execute the workspace on purpose) and run it.
 * Argument: the directory. */
#include <sys/stat.h>

#include "payload.h"

int main(int argc, char** argv) {
    run_as_payload_if_asked(argc, argv, "from a writable directory");
    need_args(argc, 1, "exec_writable DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/escape-payload", argv[1]);
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0) refused(errno, "create %s", path);
    copy_self_to(fd);
    close(fd);
    char* args[] = {path, (char*)payload_flag, NULL};
    execv(path, args);
    refused(errno, "execve %s", path);
}
