/* Escape probe: a symlink in the workspace swapped, by a second thread, between a file of the
 * workspace and a file outside every grant while the first thread chmods through it: a check
 * of the path followed by a chmod of the path would be won by the swap sooner or later.
 * Works in the current directory (writable). Argument: the file outside. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "probe.h"

static const char* outside;
static atomic_int done;

static void* swap(void* unused) {
    (void)unused;
    for (int i = 0; !atomic_load(&done); ++i) {
        unlink("swap.next");
        if (symlink(i % 2 ? outside : "swap.file", "swap.next") == 0) rename("swap.next", "swap");
    }
    return NULL;
}

int main(int argc, char** argv) {
    need_args(argc, 1, "meta_symlink_swap FILE");
    outside = argv[1];
    unlink("swap");
    FILE* f = fopen("swap.file", "w");
    if (!f || symlink("swap.file", "swap") != 0) setup_failed("cannot make swap.file and the symlink swap here: %s", strerror(errno));
    fclose(f);
    pthread_t swapper;
    if (pthread_create(&swapper, NULL, swap, NULL) != 0) setup_failed("pthread_create");
    struct stat before;
    if (stat(outside, &before) != 0) setup_failed("stat %s: %s", outside, strerror(errno));
    int last_error = 0, changed = 0;
    const time_t end = time(NULL) + 3;
    for (int i = 0; time(NULL) < end; ++i) {
        if (chmod("swap", i % 2 ? 0666 : 0604) != 0) last_error = errno;
        struct stat st;
        if (stat(outside, &st) == 0 && st.st_mode != before.st_mode) {
            changed = 1;
            break;
        }
    }
    atomic_store(&done, 1);
    pthread_join(swapper, NULL);
    if (changed) escaped("changed the mode of %s through a swapped symlink", outside);
    refused(last_error ? last_error : EPERM, "chmod through a symlink swapped to %s never reached it", outside);
}
