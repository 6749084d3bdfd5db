// Clocks: the monotonic clock never goes back and advances, the realtime clock is a plausible date,
// and resolutions are positive.
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <wasi/api.h>

#include "guest_test.h"

static int64_t nanoseconds(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void) {
    int64_t previous = nanoseconds(CLOCK_MONOTONIC);
    report("monotonic readable", previous >= 0);
    int never_backwards = 1;
    for (int i = 0; i < 10000; i++) {
        int64_t now = nanoseconds(CLOCK_MONOTONIC);
        if (now < previous) never_backwards = 0;
        previous = now;
    }
    report("monotonic never goes back", never_backwards);

    int64_t start = nanoseconds(CLOCK_MONOTONIC);
    int64_t now = start;
    for (int spins = 0; now == start && spins < 100000000; spins++) now = nanoseconds(CLOCK_MONOTONIC);
    report("monotonic advances", now > start);

    // Between 2020-01-01 and 2100-01-01.
    int64_t real = nanoseconds(CLOCK_REALTIME);
    report("realtime is a plausible date", real > 1577836800LL * 1000000000 && real < 4102444800LL * 1000000000);
    time_t seconds = time(NULL);
    report("time() agrees with realtime", seconds >= real / 1000000000 - 5 && seconds <= real / 1000000000 + 5);

    struct timespec resolution;
    report("monotonic resolution positive", clock_getres(CLOCK_MONOTONIC, &resolution) == 0 && (resolution.tv_sec > 0 || resolution.tv_nsec > 0));
    report("realtime resolution positive", clock_getres(CLOCK_REALTIME, &resolution) == 0 && (resolution.tv_sec > 0 || resolution.tv_nsec > 0));

    __wasi_timestamp_t stamp;
    report("raw clock_time_get monotonic", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &stamp) == 0 && stamp > 0);
    __wasi_errno_t bad = __wasi_clock_time_get(99, 1, &stamp);
    printf("clock_time_get unknown clock: %s (%d)\n", errno_name(bad), bad);

    printf("failures: %d\n", guest_failures);
    return guest_failures == 0 ? 0 : 1;
}
