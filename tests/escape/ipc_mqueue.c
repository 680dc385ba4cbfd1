/* Escape probe: create a POSIX message queue. Without an IPC namespace of the run's own it is
 * the machine's, found by name: it lives on after the sandbox is gone, and the same call opens
 * (or mq_unlink removes) a queue another program of the user made. Landlock sees none of
 * this: mq_open takes a name, not a path. Removed again at once. */
#include <fcntl.h>
#include <mqueue.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "ipc_mqueue");
    char name[64];
    snprintf(name, sizeof name, "/nono-escape-%d", (int)getpid());
    const mqd_t queue = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
    if (queue == (mqd_t)-1) refused(errno, "mq_open %s", name);
    mq_close(queue);
    mq_unlink(name);
    escaped("created message queue %s", name);
}
