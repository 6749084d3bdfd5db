/* Conveniences over wasi/usb.h (component:usb@0.2.1) so that USB drivers read like libusb code:
 * synchronous transfers (new-transfer, submit-transfer, await-transfer in one call), device
 * lookup by vendor and product, string descriptors, and error messages.
 *
 * Return codes follow libusb: a value >= 0 is success (for transfers, the bytes moved), a negative
 * one is an error, USB_ERROR_* with libusb's numbers. Everything is static inline; include the
 * header wherever it is needed (one translation unit still defines IRONWASM_CABI_IMPLEMENTATION).
 */
#ifndef IRONWASM_USB_UTIL_H
#define IRONWASM_USB_UTIL_H

#include <wasi/usb.h>

#define USB_SUCCESS 0
#define USB_ERROR_IO (-1)
#define USB_ERROR_INVALID_PARAM (-2)
#define USB_ERROR_ACCESS (-3)
#define USB_ERROR_NO_DEVICE (-4)
#define USB_ERROR_NOT_FOUND (-5)
#define USB_ERROR_BUSY (-6)
#define USB_ERROR_TIMEOUT (-7)
#define USB_ERROR_OVERFLOW (-8)
#define USB_ERROR_PIPE (-9)
#define USB_ERROR_INTERRUPTED (-10)
#define USB_ERROR_NO_MEM (-11)
#define USB_ERROR_NOT_SUPPORTED (-12)
#define USB_ERROR_OTHER (-99)

/* bmRequestType pieces (USB 2.0 table 9-2). */
#define USB_DIR_OUT 0x00
#define USB_DIR_IN 0x80
#define USB_TYPE_STANDARD 0x00
#define USB_TYPE_CLASS 0x20
#define USB_TYPE_VENDOR 0x40
#define USB_RECIP_DEVICE 0x00
#define USB_RECIP_INTERFACE 0x01
#define USB_RECIP_ENDPOINT 0x02

#define USB_REQUEST_GET_DESCRIPTOR 0x06
#define USB_DT_STRING 0x03

/* A component:usb error as a libusb return code. */
static inline int usb_rc(wasi_usb_libusb_error_t error) {
  return error >= WASI_USB_LIBUSB_ERROR_OTHER ? USB_ERROR_OTHER : -(int)error - 1;
}

/* The WIT name of a return code's error ("access", "pipe", ...); "success" for rc >= 0. */
static inline const char *usb_error_name(int rc) {
  if (rc >= 0) return "success";
  if (rc == USB_ERROR_OTHER || rc < USB_ERROR_NOT_SUPPORTED) return "other";
  return wasi_usb_libusb_error_name((wasi_usb_libusb_error_t)(-rc - 1));
}

/* What a return code means to a user, for messages. */
static inline const char *usb_strerror(int rc) {
  switch (rc) {
    case USB_SUCCESS: return "success";
    case USB_ERROR_IO: return "input/output error";
    case USB_ERROR_INVALID_PARAM: return "invalid parameter";
    case USB_ERROR_ACCESS: return "access denied by policy (or the device is open elsewhere)";
    case USB_ERROR_NO_DEVICE: return "no such device (it may have been disconnected)";
    case USB_ERROR_NOT_FOUND: return "not found (interface not claimed, or no such entity)";
    case USB_ERROR_BUSY: return "resource busy";
    case USB_ERROR_TIMEOUT: return "operation timed out";
    case USB_ERROR_OVERFLOW: return "overflow (the device sent more than asked)";
    case USB_ERROR_PIPE: return "pipe error (the endpoint stalled)";
    case USB_ERROR_INTERRUPTED: return "interrupted (transfer cancelled)";
    case USB_ERROR_NO_MEM: return "out of memory";
    case USB_ERROR_NOT_SUPPORTED: return "operation not supported (no USB backend?)";
    default: return rc > 0 ? "success" : "other error";
  }
}

/* Parses "VID:PID", each 1 to 4 hexadecimal digits (as lsusb -d takes it). Returns 1 and sets
 * both on success, 0 otherwise; `text` may be NULL (a missing argument). */
static inline int usb_parse_hex16_(const char *text, size_t len, uint16_t *out) {
  if (len == 0 || len > 4) return 0;
  unsigned value = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    unsigned digit = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
    if (digit > 15) return 0;
    value = value * 16 + digit;
  }
  *out = (uint16_t)value;
  return 1;
}

static inline int usb_parse_vid_pid(const char *text, uint16_t *vendor, uint16_t *product) {
  const char *colon = text != NULL ? strchr(text, ':') : NULL;
  uint16_t v, p;
  if (colon == NULL || !usb_parse_hex16_(text, (size_t)(colon - text), &v) || !usb_parse_hex16_(colon + 1, strlen(colon + 1), &p)) return 0;
  *vendor = v;
  *product = p;
  return 1;
}

/* One synchronous transfer of any type: new-transfer, submit-transfer, await-transfer. OUT
 * (endpoint bit 7, or bmRequestType bit 7 for control, clear) sends data[0..length); IN receives
 * at most `length` bytes into data. `iso_packets` is used for isochronous transfers only (length
 * is split evenly between them). Returns the bytes moved (IN: received; OUT: `length`) or a
 * USB_ERROR_*. */
static inline int usb_transfer(wasi_usb_borrow_device_handle_t dev, wasi_usb_transfer_type_t type, wasi_usb_transfer_setup_t setup, uint8_t endpoint,
                               uint8_t *data, uint32_t length, uint32_t iso_packets, uint32_t timeout_ms) {
  bool is_in = type == WASI_USB_TRANSFER_TYPE_CONTROL ? (setup.bm_request_type & USB_DIR_IN) != 0 : (endpoint & USB_DIR_IN) != 0;
  wasi_usb_transfer_options_t opts = {.endpoint = endpoint, .timeout_ms = timeout_ms, .stream_id = 0, .iso_packets = iso_packets};
  wasi_usb_result_transfer_t made;
  wasi_usb_method_device_handle_new_transfer(dev, type, setup, length, opts, &made);
  if (made.is_err) return usb_rc(made.val.err);
  wasi_usb_own_transfer_t xfer = made.val.ok;

  wasi_usb_result_void_t submitted;
  wasi_usb_method_transfer_submit_transfer(wasi_usb_borrow_transfer(xfer), is_in ? NULL : data, is_in ? 0 : length, &submitted);
  if (submitted.is_err) {
    wasi_usb_transfer_drop_own(xfer);
    return usb_rc(submitted.val.err);
  }

  wasi_usb_result_list_u8_t done;
  /* Received data lands in the caller's buffer: no malloc, copy or free per IN transfer. */
  if (is_in && length != 0) iw_landing_set(data, length);
  wasi_usb_await_transfer(xfer, &done);
  iw_landing_clear();
  if (done.is_err) return usb_rc(done.val.err);
  if (!is_in) {
    IW_LIST_FREE(&done.val.ok);
    return (int)length;
  }
  size_t received = done.val.ok.len < length ? done.val.ok.len : length;
  if (done.val.ok.ptr != data) {
    if (received != 0) memcpy(data, done.val.ok.ptr, received);
    IW_LIST_FREE(&done.val.ok);
  }
  return (int)received;
}

/* A control transfer (libusb_control_transfer): the direction is bmRequestType's bit 7; w_length
 * is the data stage's length (data may be NULL when it is 0). Returns the bytes moved. */
static inline int usb_control_transfer(wasi_usb_borrow_device_handle_t dev, uint8_t bm_request_type, uint8_t b_request, uint16_t w_value,
                                       uint16_t w_index, uint8_t *data, uint16_t w_length, uint32_t timeout_ms) {
  wasi_usb_transfer_setup_t setup = {bm_request_type, b_request, w_value, w_index};
  return usb_transfer(dev, WASI_USB_TRANSFER_TYPE_CONTROL, setup, 0, data, w_length, 0, timeout_ms);
}

/* A bulk transfer on `endpoint` (bit 7 set: IN). Returns the bytes moved. */
static inline int usb_bulk_transfer(wasi_usb_borrow_device_handle_t dev, uint8_t endpoint, uint8_t *data, uint32_t length, uint32_t timeout_ms) {
  wasi_usb_transfer_setup_t none = {0, 0, 0, 0};
  return usb_transfer(dev, WASI_USB_TRANSFER_TYPE_BULK, none, endpoint, data, length, 0, timeout_ms);
}

/* An interrupt transfer on `endpoint`. Returns the bytes moved. */
static inline int usb_interrupt_transfer(wasi_usb_borrow_device_handle_t dev, uint8_t endpoint, uint8_t *data, uint32_t length, uint32_t timeout_ms) {
  wasi_usb_transfer_setup_t none = {0, 0, 0, 0};
  return usb_transfer(dev, WASI_USB_TRANSFER_TYPE_INTERRUPT, none, endpoint, data, length, 0, timeout_ms);
}

/* An isochronous transfer of `packets` packets of length / packets bytes each. OUT sends the
 * data packet by packet; IN returns what every packet received, back to back. Returns the bytes
 * moved. Isochronous delivery is not guaranteed: an IN may bring fewer bytes than were sent. */
static inline int usb_iso_transfer(wasi_usb_borrow_device_handle_t dev, uint8_t endpoint, uint8_t *data, uint32_t length, uint32_t packets,
                                   uint32_t timeout_ms) {
  wasi_usb_transfer_setup_t none = {0, 0, 0, 0};
  return usb_transfer(dev, WASI_USB_TRANSFER_TYPE_ISOCHRONOUS, none, endpoint, data, length, packets, timeout_ms);
}

static inline int usb_claim_interface(wasi_usb_borrow_device_handle_t dev, uint8_t ifac) {
  wasi_usb_result_void_t r;
  wasi_usb_method_device_handle_claim_interface(dev, ifac, &r);
  return r.is_err ? usb_rc(r.val.err) : USB_SUCCESS;
}

static inline int usb_release_interface(wasi_usb_borrow_device_handle_t dev, uint8_t ifac) {
  wasi_usb_result_void_t r;
  wasi_usb_method_device_handle_release_interface(dev, ifac, &r);
  return r.is_err ? usb_rc(r.val.err) : USB_SUCCESS;
}

static inline int usb_set_interface_altsetting(wasi_usb_borrow_device_handle_t dev, uint8_t ifac, uint8_t alt) {
  wasi_usb_result_void_t r;
  wasi_usb_method_device_handle_set_interface_altsetting(dev, ifac, alt, &r);
  return r.is_err ? usb_rc(r.val.err) : USB_SUCCESS;
}

static inline int usb_clear_halt(wasi_usb_borrow_device_handle_t dev, uint8_t endpoint) {
  wasi_usb_result_void_t r;
  wasi_usb_method_device_handle_clear_halt(dev, endpoint, &r);
  return r.is_err ? usb_rc(r.val.err) : USB_SUCCESS;
}

static inline int usb_reset_device(wasi_usb_borrow_device_handle_t dev) {
  wasi_usb_result_void_t r;
  wasi_usb_method_device_handle_reset_device(dev, &r);
  return r.is_err ? usb_rc(r.val.err) : USB_SUCCESS;
}

/* Closes the device and drops the handle. */
static inline void usb_close(wasi_usb_own_device_handle_t dev) {
  wasi_usb_method_device_handle_close(wasi_usb_borrow_device_handle(dev));
  wasi_usb_device_handle_drop_own(dev);
}

/* Opens the first visible device with this vendor and product (libusb_open_device_with_vid_pid),
 * its descriptor and location copied out when the pointers are not NULL. Returns USB_SUCCESS,
 * USB_ERROR_NOT_FOUND when the guest sees no such device, or list-devices' or open's error
 * (USB_ERROR_ACCESS: the policy refused it, or another guest has it open). */
static inline int usb_open_device_with_vid_pid(uint16_t vendor_id, uint16_t product_id, wasi_usb_own_device_handle_t *out,
                                               wasi_usb_device_descriptor_t *descriptor, wasi_usb_device_location_t *location) {
  wasi_usb_result_list_device_entry_t listed;
  wasi_usb_list_devices(&listed);
  if (listed.is_err) return usb_rc(listed.val.err);
  int rc = USB_ERROR_NOT_FOUND;
  for (size_t i = 0; i < listed.val.ok.len; i++) {
    wasi_usb_device_entry_t *entry = &listed.val.ok.ptr[i];
    if (entry->descriptor.vendor_id != vendor_id || entry->descriptor.product_id != product_id) continue;
    wasi_usb_result_device_handle_t opened;
    wasi_usb_method_usb_device_open(wasi_usb_borrow_usb_device(entry->device), &opened);
    if (opened.is_err) {
      rc = usb_rc(opened.val.err);
      continue;
    }
    *out = opened.val.ok;
    if (descriptor != NULL) *descriptor = entry->descriptor;
    if (location != NULL) *location = entry->location;
    rc = USB_SUCCESS;
    break;
  }
  wasi_usb_list_device_entry_free(&listed.val.ok);
  return rc;
}

/* A string descriptor as ASCII (libusb_get_string_descriptor_ascii): reads the first language
 * id, then string `index`, and writes it NUL-terminated into buf, every character outside
 * printable ASCII as '?'. Returns its length, or a USB_ERROR_* (USB_ERROR_INVALID_PARAM for
 * index 0 or a zero-size buffer). */
static inline int usb_get_string_descriptor_ascii(wasi_usb_borrow_device_handle_t dev, uint8_t index, char *buf, size_t size, uint32_t timeout_ms) {
  if (index == 0 || size == 0) return USB_ERROR_INVALID_PARAM;
  uint8_t raw[255];
  int rc = usb_control_transfer(dev, USB_DIR_IN | USB_TYPE_STANDARD | USB_RECIP_DEVICE, USB_REQUEST_GET_DESCRIPTOR, USB_DT_STRING << 8, 0, raw,
                                sizeof raw, timeout_ms);
  if (rc < 0) return rc;
  if (rc < 4 || raw[1] != USB_DT_STRING) return USB_ERROR_IO;
  uint16_t language = (uint16_t)(raw[2] | raw[3] << 8);
  rc = usb_control_transfer(dev, USB_DIR_IN | USB_TYPE_STANDARD | USB_RECIP_DEVICE, USB_REQUEST_GET_DESCRIPTOR, (uint16_t)(USB_DT_STRING << 8 | index),
                            language, raw, sizeof raw, timeout_ms);
  if (rc < 0) return rc;
  if (rc < 2 || raw[1] != USB_DT_STRING || raw[0] > rc) return USB_ERROR_IO;
  size_t n = 0;
  for (size_t at = 2; at + 1 < raw[0] && n + 1 < size; at += 2) {
    uint16_t unit = (uint16_t)(raw[at] | raw[at + 1] << 8);
    buf[n++] = unit >= 0x20 && unit < 0x7f ? (char)unit : '?';
  }
  buf[n] = '\0';
  return (int)n;
}

#endif /* IRONWASM_USB_UTIL_H */
