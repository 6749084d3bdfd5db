// The four things Bulk-Only Transport needs from a USB stack, so that BOT, SCSI and FAT know
// nothing of the bindings: usb.c implements them over component:usb@0.2.1, and a test or another
// platform could implement them over anything else.
#ifndef MSC_TRANSPORT_H
#define MSC_TRANSPORT_H

#include <stdint.h>

// Results: 0 or one of these, libusb's numbers (what a libusb port would return as is).
#define MSC_USB_OK 0
#define MSC_USB_IO (-1)
#define MSC_USB_INVALID_PARAM (-2)
#define MSC_USB_ACCESS (-3)
#define MSC_USB_NO_DEVICE (-4)
#define MSC_USB_NOT_FOUND (-5)
#define MSC_USB_BUSY (-6)
#define MSC_USB_TIMEOUT (-7)
#define MSC_USB_OVERFLOW (-8)
#define MSC_USB_PIPE (-9)  // the endpoint stalled
#define MSC_USB_INTERRUPTED (-10)
#define MSC_USB_NO_MEM (-11)
#define MSC_USB_NOT_SUPPORTED (-12)
#define MSC_USB_OTHER (-99)

typedef struct msc_transport {
    void *context;
    // Moves `length` bytes OUT on `endpoint`; `*actual` gets how many went.
    int (*bulk_out)(void *context, uint8_t endpoint, const uint8_t *data, uint32_t length, uint32_t timeout_ms, uint32_t *actual);
    // Reads up to `length` bytes IN from `endpoint` into `data`; `*actual` gets how many came.
    int (*bulk_in)(void *context, uint8_t endpoint, uint8_t *data, uint32_t length, uint32_t timeout_ms, uint32_t *actual);
    // A control transfer; the direction is bit 7 of `request_type`; `length` is wLength.
    int (*control)(void *context, uint8_t request_type, uint8_t request, uint16_t value, uint16_t index, uint8_t *data,
                   uint16_t length, uint32_t timeout_ms, uint32_t *actual);
    int (*clear_halt)(void *context, uint8_t endpoint);
} msc_transport;

// "stall", "timeout", ...: the name of a MSC_USB_* result.
const char *msc_usb_error_name(int error);

#endif
