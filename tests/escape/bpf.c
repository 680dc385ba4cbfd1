/* Escape probe: use the bpf() syscall (maps and programs are a large kernel attack surface). */
#include <linux/bpf.h>
#include <sys/syscall.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "bpf");
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    if (syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr) < 0) refused(errno, "bpf(BPF_MAP_CREATE)");
    escaped("created a BPF map");
}
