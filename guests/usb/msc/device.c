#include "device.h"

#define IRONWASM_CABI_IMPLEMENTATION
#include <ironwasm/usb_util.h>
#include <string.h>

#include "error.h"

#define CLASS_MASS_STORAGE 0x08
#define SUBCLASS_SCSI 0x06
#define PROTOCOL_BULK_ONLY 0x50
#define CONTROL_TIMEOUT_MS 5000

static wasi_usb_borrow_device_handle_t borrow(const msc_device *device) { return (wasi_usb_borrow_device_handle_t){device->handle}; }

// ---- the transport ---------------------------------------------------------------------------

// usb_util.h's return codes are libusb's, as are MSC_USB_*: they pass through unchanged.
static int bulk_out(void *context, uint8_t endpoint, const uint8_t *data, uint32_t length, uint32_t timeout_ms, uint32_t *actual) {
    // usb_bulk_transfer only reads an OUT buffer.
    int rc = usb_bulk_transfer(borrow(context), endpoint, (uint8_t *)data, length, timeout_ms);
    *actual = rc > 0 ? (uint32_t)rc : 0;
    return rc < 0 ? rc : MSC_USB_OK;
}

static int bulk_in(void *context, uint8_t endpoint, uint8_t *data, uint32_t length, uint32_t timeout_ms, uint32_t *actual) {
    int rc = usb_bulk_transfer(borrow(context), endpoint, data, length, timeout_ms);
    *actual = rc > 0 ? (uint32_t)rc : 0;
    return rc < 0 ? rc : MSC_USB_OK;
}

static int control(void *context, uint8_t request_type, uint8_t request, uint16_t value, uint16_t index, uint8_t *data, uint16_t length,
                   uint32_t timeout_ms, uint32_t *actual) {
    int rc = usb_control_transfer(borrow(context), request_type, request, value, index, data, length, timeout_ms);
    *actual = rc > 0 ? (uint32_t)rc : 0;
    return rc < 0 ? rc : MSC_USB_OK;
}

static int clear_halt(void *context, uint8_t endpoint) { return usb_clear_halt(borrow(context), endpoint); }

// ---- finding the disk --------------------------------------------------------------------------

typedef struct candidate {
    uint8_t interface, endpoint_in, endpoint_out;
    int found;      // a mass-storage BOT interface
    int endpoints;  // ... with a bulk IN and a bulk OUT endpoint
} candidate;

static void find_interface(wasi_usb_borrow_usb_device_t device, candidate *match) {
    memset(match, 0, sizeof *match);
    wasi_usb_result_configuration_descriptor_t config;
    wasi_usb_method_usb_device_get_active_configuration_descriptor(device, &config);
    if (config.is_err) return;
    for (size_t i = 0; i < config.val.ok.interfaces.len && !match->endpoints; i++) {
        const wasi_usb_interface_descriptor_t *in = &config.val.ok.interfaces.ptr[i];
        if (in->alternate_setting != 0 || in->interface_class != CLASS_MASS_STORAGE || in->interface_subclass != SUBCLASS_SCSI ||
            in->interface_protocol != PROTOCOL_BULK_ONLY)
            continue;
        match->found = 1;
        match->interface = in->interface_number;
        match->endpoint_in = match->endpoint_out = 0;
        for (size_t e = 0; e < in->endpoints.len; e++) {
            const wasi_usb_endpoint_descriptor_t *ep = &in->endpoints.ptr[e];
            if ((ep->attributes & 0x03) != 0x02) continue;
            if (ep->endpoint_address & 0x80) {
                if (!match->endpoint_in) match->endpoint_in = ep->endpoint_address;
            } else if (!match->endpoint_out) {
                match->endpoint_out = ep->endpoint_address;
            }
        }
        match->endpoints = match->endpoint_in && match->endpoint_out;
    }
    wasi_usb_result_configuration_descriptor_free(&config);
}

int msc_device_open(msc_device *device, const msc_device_selector *selector) {
    memset(device, 0, sizeof *device);
    wasi_usb_result_void_t initialized;
    wasi_usb_init(&initialized);
    if (initialized.is_err)
        return msc_error("USB is not available to this program (component:usb init: %s)", usb_strerror(usb_rc(initialized.val.err)));
    wasi_usb_result_list_device_entry_t listed;
    wasi_usb_list_devices(&listed);
    if (listed.is_err) return msc_error("listing USB devices failed: %s", usb_strerror(usb_rc(listed.val.err)));
    size_t visible = listed.val.ok.len;
    wasi_usb_device_entry_t *chosen = NULL;
    candidate match = {0};
    int id_without_interface = 0;
    for (size_t i = 0; i < visible && chosen == NULL; i++) {
        wasi_usb_device_entry_t *entry = &listed.val.ok.ptr[i];
        if (selector->by_id && (entry->descriptor.vendor_id != selector->vendor || entry->descriptor.product_id != selector->product)) continue;
        find_interface(wasi_usb_borrow_usb_device(entry->device), &match);
        if (match.endpoints) chosen = entry;
        else if (selector->by_id) id_without_interface = 1;
    }
    int result = -1;
    if (chosen == NULL) {
        if (visible == 0) msc_error("no USB device is visible to this program (none is plugged in, or the policy grants none)");
        else if (id_without_interface)
            msc_error("USB device %04x:%04x has no mass-storage interface with bulk endpoints (class 08, subclass 06 SCSI, protocol 50 bulk-only)",
                      selector->vendor, selector->product);
        else if (selector->by_id) msc_error("no visible USB device is %04x:%04x (%zu device%s visible)", selector->vendor, selector->product, visible, visible == 1 ? "" : "s");
        else msc_error("none of the %zu visible USB device%s is a mass-storage device (interface class 08, subclass 06 SCSI, protocol 50 bulk-only)", visible, visible == 1 ? "" : "s");
        goto done;
    }
    device->vendor = chosen->descriptor.vendor_id;
    device->product = chosen->descriptor.product_id;
    device->bus = chosen->location.bus_number;
    device->address = chosen->location.device_address;
    device->interface = match.interface;
    device->endpoint_in = match.endpoint_in;
    device->endpoint_out = match.endpoint_out;

    wasi_usb_result_device_handle_t opened;
    wasi_usb_method_usb_device_open(wasi_usb_borrow_usb_device(chosen->device), &opened);
    if (opened.is_err) {
        msc_error("opening USB device %04x:%04x failed: %s", device->vendor, device->product, usb_strerror(usb_rc(opened.val.err)));
        goto done;
    }
    device->handle = opened.val.ok.handle;
    device->transport = (msc_transport){.context = device, .bulk_out = bulk_out, .bulk_in = bulk_in, .control = control, .clear_halt = clear_halt};

    // Strings are for the user only: a device that fails them still works.
    const uint8_t indexes[3] = {chosen->descriptor.manufacturer_index, chosen->descriptor.product_index, chosen->descriptor.serial_number_index};
    char *const strings[3] = {device->manufacturer, device->product_name, device->serial};
    for (int i = 0; i < 3; i++)
        if (indexes[i] == 0 || usb_get_string_descriptor_ascii(borrow(device), indexes[i], strings[i], sizeof device->serial, CONTROL_TIMEOUT_MS) < 0)
            strings[i][0] = 0;

    // Linux binds usb-storage at enumeration; the interface is ours only once it lets go.
    wasi_usb_result_bool_t active;
    wasi_usb_method_device_handle_kernel_driver_active(borrow(device), device->interface, &active);
    if (!active.is_err && active.val.ok) {
        wasi_usb_result_void_t detached;
        wasi_usb_method_device_handle_detach_kernel_driver(borrow(device), device->interface, &detached);
        if (detached.is_err) {
            msc_error("detaching the kernel driver from interface %u of %04x:%04x failed: %s", device->interface, device->vendor, device->product,
                      usb_strerror(usb_rc(detached.val.err)));
            goto done;
        }
        device->detached_kernel_driver = 1;
    }
    int rc = usb_claim_interface(borrow(device), device->interface);
    if (rc != USB_SUCCESS) {
        msc_error("claiming interface %u of USB device %04x:%04x failed: %s", device->interface, device->vendor, device->product, usb_strerror(rc));
        goto done;
    }
    result = 0;
done:
    wasi_usb_list_device_entry_free(&listed.val.ok);
    if (result != 0 && device->handle != 0) {
        usb_close((wasi_usb_own_device_handle_t){device->handle});
        device->handle = 0;
    }
    return result;
}

void msc_device_close(msc_device *device) {
    if (device->handle == 0) return;
    usb_release_interface(borrow(device), device->interface);
    // Give the interface back to the kernel driver we took it from.
    if (device->detached_kernel_driver) {
        wasi_usb_result_void_t attached;
        wasi_usb_method_device_handle_attach_kernel_driver(borrow(device), device->interface, &attached);
    }
    usb_close((wasi_usb_own_device_handle_t){device->handle});
    device->handle = 0;
}
