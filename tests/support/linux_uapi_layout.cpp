// Compiled with compiler/linux_uapi first on the include path (nono_linux_uapi_check): the
// copies' structs have the kernel's layout, which the seccomp emitter's offsets rely on.
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cstddef>

static_assert(sizeof(sock_filter) == 8 && offsetof(sock_filter, jt) == 2 && offsetof(sock_filter, k) == 4);
static_assert(offsetof(seccomp_data, arch) == 4 && offsetof(seccomp_data, instruction_pointer) == 8 &&
              offsetof(seccomp_data, args) == 16 && sizeof(seccomp_data) == 64);
