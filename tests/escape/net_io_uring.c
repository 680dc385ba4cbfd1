/* Escape probe: create a socket through io_uring (IORING_OP_SOCKET), which never calls
 * socket(2), so a seccomp filter on socket() does not see it. The socket asked for is a raw
 * one (see raw_socket.h). */
#include <linux/io_uring.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "probe.h"
#include "raw_socket.h"

static void* map_ring(int ring_fd, size_t size, off_t offset) {
    void* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, offset);
    if (p == MAP_FAILED) setup_failed("mmap io_uring: %s", strerror(errno));
    return p;
}

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "net_io_uring");
    struct io_uring_params params = {0};
    int ring = (int)syscall(SYS_io_uring_setup, 1, &params);
    if (ring < 0) refused(errno, "io_uring_setup");

    size_t sq_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    size_t cq_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
    char* sq = map_ring(ring, sq_size > cq_size ? sq_size : cq_size, IORING_OFF_SQ_RING);
    char* cq = (params.features & IORING_FEAT_SINGLE_MMAP) ? sq : map_ring(ring, cq_size, IORING_OFF_CQ_RING);
    struct io_uring_sqe* sqes = map_ring(ring, params.sq_entries * sizeof(struct io_uring_sqe), IORING_OFF_SQES);

    struct io_uring_sqe* sqe = &sqes[0];
    memset(sqe, 0, sizeof *sqe);
    sqe->opcode = IORING_OP_SOCKET;
    sqe->fd = RAW_DOMAIN;
    sqe->off = RAW_TYPE;
    sqe->len = RAW_PROTOCOL;
    unsigned* sq_tail = (unsigned*)(sq + params.sq_off.tail);
    unsigned* sq_mask = (unsigned*)(sq + params.sq_off.ring_mask);
    unsigned* sq_array = (unsigned*)(sq + params.sq_off.array);
    sq_array[*sq_tail & *sq_mask] = 0;
    atomic_store_explicit((_Atomic unsigned*)sq_tail, *sq_tail + 1, memory_order_release);

    if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
        refused(errno, "io_uring_enter");
    unsigned head = atomic_load_explicit((_Atomic unsigned*)(cq + params.cq_off.head), memory_order_acquire);
    unsigned mask = *(unsigned*)(cq + params.cq_off.ring_mask);
    struct io_uring_cqe* cqe = (struct io_uring_cqe*)(cq + params.cq_off.cqes) + (head & mask);
    if (cqe->res < 0) refused(-cqe->res, "IORING_OP_SOCKET");
    escaped("io_uring created a raw socket without socket(2)");
}
