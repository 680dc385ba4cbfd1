/* Escape probe: give a file outside every grant to another user (CAP_CHOWN); Landlock has
 * no right for ownership. */
#include "probe.h"

int main(int argc, char** argv) {
    need_args(argc, 1, "cap_chown FILE");
    if (chown(argv[1], 65534, 65534) != 0) refused(errno, "chown %s", argv[1]);
    escaped("gave %s to nobody", argv[1]);
}
