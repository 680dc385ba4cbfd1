/* The floor for a launcher like nono: a static program that only execs its arguments.
 * exec_bench runs /bin/true through it, so that what nono adds beyond starting a
 * static process of its own shows in the difference. */
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    execv(argv[1], argv + 1);
    return 127;
}
