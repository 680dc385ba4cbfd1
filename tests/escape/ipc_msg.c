/* Escape probe: create a SysV message queue, which lives on in the machine's IPC namespace
 * after the sandbox is gone, where any process of the user finds it. Removed again at once. */
#include <sys/msg.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "ipc_msg");
    const int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (id < 0) refused(errno, "msgget");
    msgctl(id, IPC_RMID, NULL);
    escaped("created message queue %d", id);
}
