// Large outputs: exactly 1 MiB to stdout in writes of varied sizes (1 byte to 64 KiB, through
// stdio and raw write), then the FNV-1a hash of the bytes on stderr so the host can check them.
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define TOTAL (1 << 20)

static unsigned char data[TOTAL];

int main(void) {
    // Printable lines so the output is also readable in a terminal.
    for (int i = 0; i < TOTAL; i++) data[i] = (i % 64 == 63) ? '\n' : (unsigned char)('a' + (i * 7 + i / 64) % 26);

    size_t written = 0;
    size_t sizes[] = {1, 7, 100, 4096, 65536, 333};
    int next = 0;
    while (written < TOTAL) {
        size_t size = sizes[next++ % 6];
        if (size > TOTAL - written) size = TOTAL - written;
        if (next % 2 == 0) {
            if (fwrite(data + written, 1, size, stdout) != size) return 1;
        } else {
            fflush(stdout);
            size_t done = 0;
            while (done < size) {
                ssize_t n = write(STDOUT_FILENO, data + written + done, size - done);
                if (n <= 0) return 1;
                done += (size_t)n;
            }
        }
        written += size;
    }
    fflush(stdout);

    uint32_t hash = 2166136261u;
    for (int i = 0; i < TOTAL; i++) { hash ^= data[i]; hash *= 16777619u; }
    fprintf(stderr, "wrote %zu bytes, fnv1a %08x\n", written, hash);
    return 0;
}
