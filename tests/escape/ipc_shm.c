/* Escape probe: attach a SysV shared memory segment that another program created outside
 * the sandbox (the runner's), and read it. Without an IPC namespace the segments are the
 * machine's: Landlock sees none of this. Argument: the segment's id. */
#include <sys/shm.h>

#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "ipc_shm SHMID");
    void* segment = shmat(atoi(argv[1]), NULL, SHM_RDONLY);
    if (segment == (void*)-1) refused(errno, "shmat %s", argv[1]);
    escaped("attached the outside segment %s and read %d", argv[1], *(volatile char*)segment);
}
