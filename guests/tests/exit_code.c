// Exit codes, by each way a command can end (argv[1] chooses): exit(3) from libc, returning 5 from
// main, proc_exit(7) directly, exit(0) after output, and an exit from deep inside nested calls.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

__attribute__((noinline)) static void exit_deep(int depth) {
    if (depth == 0) { printf("exiting from depth 0 with 9\n"); exit(9); }
    exit_deep(depth - 1);
    printf("unreachable %d\n", depth);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "exit";
    if (strcmp(mode, "exit") == 0) {
        printf("exiting with 3\n");
        exit(3);
    }
    if (strcmp(mode, "return") == 0) {
        printf("returning 5\n");
        return 5;
    }
    if (strcmp(mode, "proc_exit") == 0) {
        printf("proc_exit 7\n");
        fflush(stdout);
        __wasi_proc_exit(7);
    }
    if (strcmp(mode, "zero") == 0) {
        printf("exiting with 0\n");
        exit(0);
    }
    if (strcmp(mode, "deep") == 0) exit_deep(50);
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
