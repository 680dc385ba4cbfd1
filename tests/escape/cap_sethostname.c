/* Escape probe: set the hostname (CAP_SYS_ADMIN), which every program on the machine sees.
 * The name set is the current one, and the runner gives the suite its own UTS namespace, so
 * even the unsandboxed run changes nothing outside. */
#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "cap_sethostname");
    char name[256];
    if (gethostname(name, sizeof name) != 0) setup_failed("gethostname: %s", strerror(errno));
    if (sethostname(name, strlen(name)) != 0) refused(errno, "sethostname");
    escaped("set the hostname");
}
