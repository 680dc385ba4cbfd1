/* Escape probe: create a setuid file where the sandbox may write (the workspace): open()
 * with mode 04755 needs no chmod at all. */
#include <fcntl.h>
#include <sys/stat.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "setuid_create");
    const char* name = "escape-setuid";
    unlink(name);
    const int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 04755);
    if (fd < 0) refused(errno, "open(O_CREAT, 04755)");
    struct stat st;
    if (fstat(fd, &st) != 0) setup_failed("fstat: %s", strerror(errno));
    unlink(name);
    if (!(st.st_mode & S_ISUID)) refused(EPERM, "created without the setuid bit (mode %o)", st.st_mode & 07777);
    escaped("created a setuid file (mode %o)", st.st_mode & 07777);
}
