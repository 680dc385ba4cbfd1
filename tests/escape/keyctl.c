/* Escape probe: reach the user's kernel keyring (shared with every process of the user,
 * outside the sandbox too: Kerberos tickets, fscrypt and ecryptfs keys). */
#include <linux/keyctl.h>
#include <sys/syscall.h>

#include "probe.h"

int main(int argc, char** argv) {
    (void)argv;
    need_args(argc, 0, "keyctl");
    long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0);
    if (id < 0) refused(errno, "keyctl(KEYCTL_GET_KEYRING_ID, user keyring)");
    escaped("reached the user keyring %ld", id);
}
