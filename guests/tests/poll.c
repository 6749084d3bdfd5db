// Sleeping and poll_oneoff: sleeps last at least as long as asked; of several clock subscriptions
// the earliest fires first; an fd subscription that is ready wins over a long timeout.
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "guest_test.h"

static int64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static __wasi_subscription_t clock_subscription(__wasi_userdata_t userdata, __wasi_timestamp_t timeout, __wasi_subclockflags_t flags) {
    __wasi_subscription_t s = {0};
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.precision = 0;
    s.u.u.clock.flags = flags;
    return s;
}

int main(void) {
    const int64_t ms = 1000000;

    int64_t start = monotonic_ns();
    struct timespec request = {0, 50 * ms};
    report("nanosleep 50ms returns 0", nanosleep(&request, NULL) == 0);
    report("nanosleep slept >= 50ms", monotonic_ns() - start >= 50 * ms);

    start = monotonic_ns();
    report("usleep 20ms returns 0", usleep(20000) == 0);
    report("usleep slept >= 20ms", monotonic_ns() - start >= 20 * ms);

    start = monotonic_ns();
    report("poll(no fds, 30ms) times out", poll(NULL, 0, 30) == 0);
    report("poll slept >= 30ms", monotonic_ns() - start >= 30 * ms);

    // Two relative clocks: only the 10ms one fires.
    __wasi_subscription_t subscriptions[2] = {
        clock_subscription(40, 40 * ms, 0),
        clock_subscription(10, 10 * ms, 0),
    };
    __wasi_event_t events[2];
    __wasi_size_t count = 0;
    start = monotonic_ns();
    report("poll_oneoff two clocks", __wasi_poll_oneoff(subscriptions, events, 2, &count) == 0);
    int64_t waited = monotonic_ns() - start;
    printf("events: %u, first userdata: %llu, error: %u, type clock: %d\n", (unsigned)count,
           (unsigned long long)events[0].userdata, (unsigned)events[0].error, events[0].type == __WASI_EVENTTYPE_CLOCK);
    report("waited >= 10ms", waited >= 10 * ms);

    // An absolute deadline on the monotonic clock.
    __wasi_timestamp_t now;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now);
    subscriptions[0] = clock_subscription(7, now + 25 * ms, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    start = monotonic_ns();
    report("poll_oneoff absolute clock", __wasi_poll_oneoff(subscriptions, events, 1, &count) == 0 && count == 1 && events[0].userdata == 7);
    report("absolute deadline reached", monotonic_ns() - start >= 20 * ms);

    // stdout is always writable: its event comes long before the 5s timeout.
    __wasi_subscription_t mixed[2] = { clock_subscription(1, 5000 * ms, 0), {0} };
    mixed[1].userdata = 2;
    mixed[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    mixed[1].u.u.fd_write.file_descriptor = 1;
    start = monotonic_ns();
    report("poll_oneoff stdout writable", __wasi_poll_oneoff(mixed, events, 2, &count) == 0);
    int fd_event = 0;
    for (__wasi_size_t i = 0; i < count; i++)
        if (events[i].userdata == 2 && events[i].type == __WASI_EVENTTYPE_FD_WRITE && events[i].error == 0) fd_event = 1;
    report("fd_write event delivered", fd_event);
    report("no wait for the timeout", monotonic_ns() - start < 2000 * ms);

    // Errors are reported per event or for the call: a bad fd, and no subscriptions at all.
    mixed[1].u.u.fd_write.file_descriptor = 99;
    __wasi_errno_t error = __wasi_poll_oneoff(mixed, events, 2, &count);
    int bad_fd_event = 0;
    for (__wasi_size_t i = 0; i < count; i++)
        if (events[i].userdata == 2 && events[i].error == __WASI_ERRNO_BADF) bad_fd_event = 1;
    printf("poll_oneoff bad fd: call %s, event EBADF: %d\n", errno_name(error), bad_fd_event);
    error = __wasi_poll_oneoff(mixed, events, 0, &count);
    printf("poll_oneoff no subscriptions: %s (%d)\n", errno_name(error), error);

    printf("failures: %d\n", guest_failures);
    return guest_failures == 0 ? 0 : 1;
}
