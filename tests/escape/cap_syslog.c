/* Escape probe: read the kernel log (CAP_SYSLOG where dmesg_restrict is on), which holds
 * addresses and other programs' messages. */
#include <sys/klog.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "cap_syslog");
    static char log[1 << 16];
    const int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof log);
    if (n < 0) refused(errno, "syslog(SYSLOG_ACTION_READ_ALL)");
    escaped("read %d bytes of the kernel log", n);
}
