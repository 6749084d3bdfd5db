// Standard streams: buffered and unbuffered writes to stdout and stderr, in a known order.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    printf("stdout: printf %d %s %.2f\n", 42, "text", 2.5);
    fputs("stdout: fputs\n", stdout);
    fflush(stdout);

    fputs("stderr: fputs\n", stderr);
    fprintf(stderr, "stderr: fprintf %x\n", 0xbeef);

    const char raw_out[] = "stdout: write(1)\n";
    const char raw_err[] = "stderr: write(2)\n";
    if (write(STDOUT_FILENO, raw_out, strlen(raw_out)) != (ssize_t)strlen(raw_out)) return 1;
    if (write(STDERR_FILENO, raw_err, strlen(raw_err)) != (ssize_t)strlen(raw_err)) return 1;

    // UTF-8 passes through untouched.
    puts("stdout: utf-8 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    return 0;
}
