// Shared helpers of the WASI test programs. Every program prints only deterministic text, so
// the tests can compare its whole output; facts that vary (times, random bytes) are printed as
// the outcome of a check ("ok"/"FAILED ..."), never as values.
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The WASI errno names (wasi-libc's errno values are WASI's own numbering).
static inline const char *errno_name(int error) {
    switch (error) {
    case 0: return "SUCCESS";
    case E2BIG: return "E2BIG";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOSYS: return "ENOSYS";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSUP: return "ENOTSUP";
    case EPERM: return "EPERM";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    default: return "E?";
    }
}

// Prints "<label>: ok" or "<label>: FAILED (<errno>)" and remembers failures for the exit code.
static int guest_failures;

static inline void report(const char *label, int ok) {
    if (ok) {
        printf("%s: ok\n", label);
    } else {
        printf("%s: FAILED (errno %d %s)\n", label, errno, errno_name(errno));
        guest_failures++;
    }
}

// Prints "<label>: <errno name> (<number>)" for a call that returned -1, or "<label>: SUCCESS".
static inline void report_errno(const char *label, int result) {
    int error = result < 0 ? errno : 0;
    printf("%s: %s (%d)\n", label, errno_name(error), error);
}

#endif
