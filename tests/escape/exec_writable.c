/* Escape probe: write a program into the writable workspace and execute it, where the
 * profile allows writing there but not executing. */
#include <sys/stat.h>

#include "payload.h"

int main(int argc, char** argv) {
    run_as_payload_if_asked(argc, argv, "from the workspace");
    need_args(argc, 0, "exec_writable");
    const char* path = "./escape-payload";
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0) refused(errno, "create %s", path);
    copy_self_to(fd);
    close(fd);
    char* args[] = {(char*)path, (char*)payload_flag, NULL};
    execv(path, args);
    refused(errno, "execve %s", path);
}
