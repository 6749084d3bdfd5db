#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "transport.h"

static char message[512];

int msc_error(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    return -1;
}

int msc_error_context(const char *format, ...) {
    char prefix[256];
    va_list args;
    va_start(args, format);
    vsnprintf(prefix, sizeof prefix, format, args);
    va_end(args);
    char previous[sizeof message];
    memcpy(previous, message, sizeof message);
    snprintf(message, sizeof message, "%s: %s", prefix, previous);
    return -1;
}

const char *msc_error_message(void) { return message[0] != 0 ? message : "unknown error"; }

const char *msc_usb_error_name(int error) {
    switch (error) {
    case MSC_USB_OK: return "success";
    case MSC_USB_IO: return "I/O error";
    case MSC_USB_INVALID_PARAM: return "invalid parameter";
    case MSC_USB_ACCESS: return "access denied";
    case MSC_USB_NO_DEVICE: return "no device (disconnected)";
    case MSC_USB_NOT_FOUND: return "not found";
    case MSC_USB_BUSY: return "busy";
    case MSC_USB_TIMEOUT: return "timed out";
    case MSC_USB_OVERFLOW: return "overflow";
    case MSC_USB_PIPE: return "endpoint stalled";
    case MSC_USB_INTERRUPTED: return "interrupted";
    case MSC_USB_NO_MEM: return "out of memory";
    case MSC_USB_NOT_SUPPORTED: return "not supported";
    default: return "other USB error";
    }
}
