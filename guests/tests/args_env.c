// Arguments and environment: exactly what the host passed, in its order, and nothing else.
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);

    int count = 0;
    for (char **entry = environ; *entry != NULL; entry++) {
        printf("env[%d]=%s\n", count, *entry);
        count++;
    }
    printf("envc=%d\n", count);

    const char *greeting = getenv("GREETING");
    printf("getenv(GREETING)=%s\n", greeting ? greeting : "(unset)");
    const char *home = getenv("HOME");
    printf("getenv(HOME)=%s\n", home ? home : "(unset)");
    return 0;
}
