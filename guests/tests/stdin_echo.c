// Reading stdin to its end: echoes it upper-cased to stdout, then counts bytes and lines on stderr.
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    unsigned char buffer[4096];
    long bytes = 0, lines = 0;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0) { perror("read"); return 1; }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++) {
            if (buffer[i] == '\n') lines++;
            buffer[i] = (unsigned char)toupper(buffer[i]);
        }
        if (write(STDOUT_FILENO, buffer, (size_t)n) != n) return 1;
        bytes += n;
    }
    fprintf(stderr, "read %ld bytes, %ld lines\n", bytes, lines);
    return 0;
}
