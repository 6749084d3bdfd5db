// Random bytes: not all zero, different on each call, and spread over all byte values.
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#include "guest_test.h"

static int all_zero(const unsigned char *bytes, size_t length) {
    for (size_t i = 0; i < length; i++) if (bytes[i] != 0) return 0;
    return 1;
}

int main(void) {
    unsigned char first[32], second[32];
    report("getentropy first", getentropy(first, sizeof first) == 0);
    report("getentropy second", getentropy(second, sizeof second) == 0);
    report("not all zero", !all_zero(first, sizeof first) && !all_zero(second, sizeof second));
    report("differs between calls", memcmp(first, second, sizeof first) != 0);

    static unsigned char large[65536];
    report("random_get 64 KiB", __wasi_random_get(large, sizeof large) == 0);
    int seen[256] = {0};
    for (size_t i = 0; i < sizeof large; i++) seen[large[i]]++;
    int distinct = 0, most = 0;
    for (int i = 0; i < 256; i++) {
        if (seen[i] > 0) distinct++;
        if (seen[i] > most) most = seen[i];
    }
    // 65536 uniform bytes: every value appears about 256 times; 512 would be a 16-sigma event.
    report("every byte value appears", distinct == 256);
    report("no byte value dominates", most < 512);

    report("random_get of zero bytes", __wasi_random_get(large, 0) == 0);
    printf("failures: %d\n", guest_failures);
    return guest_failures == 0 ? 0 : 1;
}
