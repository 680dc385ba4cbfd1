/* Fixture: prints the namespaces the calling process is in, one "NAME:[INODE]" a line
 * (user, mnt, pid, ipc, uts), so that the escape runner can tell whether a run really had
 * its own. Exits 2 when one cannot be read. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    const char* names[] = {"user", "mnt", "pid", "ipc", "uts"};
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
        char path[64], link[64];
        snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
        const ssize_t n = readlink(path, link, sizeof link - 1);
        if (n < 0) {
            perror(path);
            return 2;
        }
        link[n] = '\0';
        printf("%s\n", link);
    }
    return 0;
}
