/* Escape probe: open a perf event (a side channel and a kernel attack surface). */
#include <linux/perf_event.h>
#include <sys/syscall.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "perf_event_open");
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.exclude_kernel = 1;
    if (syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0) < 0) refused(errno, "perf_event_open");
    escaped("opened a perf event");
}
