/* Escape probe: execute code from an anonymous memory file (memfd_create + execveat with
 * AT_EMPTY_PATH). A memfd lives on an internal mount no path rule reaches, so only the
 * seccomp filter can stop it. */
#include <sys/mman.h>
#include <sys/syscall.h>

#include "payload.h"

extern char** environ;

int main(int argc, char** argv) {
    run_as_payload_if_asked(argc, argv, "from a memfd");
    need_args(argc, 0, "exec_memfd");
    int fd = memfd_create("escape-payload", 0);
    if (fd < 0) refused(errno, "memfd_create");
    copy_self_to(fd);
    char* args[] = {"escape-payload", (char*)payload_flag, NULL};
    syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
    refused(errno, "execveat of the memfd");
}
