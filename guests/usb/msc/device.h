// Finding, opening and claiming the USB disk through component:usb@0.2.1, and the transport
// (transport.h) over that device's bulk pipes and control endpoint.
#ifndef MSC_DEVICE_H
#define MSC_DEVICE_H

#include <stdint.h>

#include "transport.h"

typedef struct msc_device_selector {
    int by_id;  // else: the first interface of class 08 (mass storage), subclass 06 (SCSI), protocol 50 (BOT)
    uint16_t vendor;
    uint16_t product;
} msc_device_selector;

typedef struct msc_device {
    msc_transport transport;
    uint16_t vendor;
    uint16_t product;
    uint8_t bus;
    uint8_t address;
    uint8_t interface;
    uint8_t endpoint_in;
    uint8_t endpoint_out;
    uint8_t detached_kernel_driver;
    // The device's string descriptors, "" when it has none or they could not be read.
    char manufacturer[128];
    char product_name[128];
    char serial[128];
    int32_t handle;  // the component:usb device-handle
} msc_device;

// Lists devices, picks one, opens it, detaches the kernel driver from its interface if one is
// bound, claims the interface. -1 with a message for: no USB, nothing visible, nothing matching,
// access denied, no bulk endpoint pair.
int msc_device_open(msc_device *device, const msc_device_selector *selector);
void msc_device_close(msc_device *device);

#endif
