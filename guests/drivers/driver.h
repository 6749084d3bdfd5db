/* What every I2C driver here shares: the device it was attached to (the bus and delay handles the
 * host granted, and the address), register access over wasi:i2c that records how it failed, and
 * the conversion of that failure into the WIT error variants.
 *
 * A driver defines DEVICES_EXPORT_SENSOR or DEVICES_EXPORT_DISPLAY, includes this header (once: it
 * holds the module's one device and defines cabi_realloc), and implements
 * exports_devices_i2c_attach_attach with attach_begin / attach_fail.
 */
#ifndef GUESTS_DRIVERS_DRIVER_H
#define GUESTS_DRIVERS_DRIVER_H

#define IRONWASM_CABI_IMPLEMENTATION
#define DEVICES_EXPORT_I2C_ATTACH
#include <ironwasm/devices.h>

static struct {
  bool attached;
  wasi_i2c_own_i2c_t bus;
  wasi_i2c_own_delay_t delay;
  wasi_i2c_address_t address;
} device;

/* How the last bus or device operation failed: a bus error code, or a message about the device. */
static struct {
  bool is_bus;
  wasi_i2c_error_code_t code;
  iw_builder_t message;
} failure;

static inline void append_hex8(iw_builder_t *b, uint8_t value) {
  static const char digits[] = "0123456789ABCDEF";
  char text[4] = {'0', 'x', digits[value >> 4], digits[value & 15]};
  iw_builder_append(b, text, sizeof text);
}

static inline bool fail_bus(wasi_i2c_error_code_t code) {
  failure.is_bus = true;
  failure.code = code;
  return false;
}

/* Starts a device failure; the caller appends the message to the returned builder. */
static inline iw_builder_t *fail_device(void) {
  failure.is_bus = false;
  failure.message.len = 0;
  return &failure.message;
}

static inline bool fail_device_text(const char *text) {
  iw_builder_append_cstr(fail_device(), text);
  return false;
}

static inline void failure_describe(iw_builder_t *b) {
  if (failure.is_bus) {
    iw_builder_append_cstr(b, "bus error ");
    iw_builder_append_cstr(b, wasi_i2c_error_code_name(failure.code));
  } else {
    iw_builder_append(b, failure.message.ptr, failure.message.len);
  }
}

/* The last failure as sensor-error / display-error. */
static inline void failure_to_error(devices_error_t *error) {
  if (failure.is_bus) {
    error->tag = DEVICES_ERROR_BUS;
    error->val.bus = failure.code;
  } else {
    error->tag = DEVICES_ERROR_DEVICE;
    error->val.device = iw_string_copy(failure.message.ptr, failure.message.len);
  }
}

/* --- bus access (false on failure, with `failure` set) --- */

static inline bool bus_write(wasi_i2c_address_t address, const uint8_t *bytes, size_t len) {
  wasi_i2c_result_void_error_code_t result;
  wasi_i2c_method_i2c_write(wasi_i2c_borrow_i2c(device.bus), address, bytes, len, &result);
  return result.is_err ? fail_bus(result.val.err) : true;
}

/* Writes `write`, then reads exactly `len` bytes into `into` (a repeated start between the two). */
static inline bool bus_write_read(wasi_i2c_address_t address, const uint8_t *write, size_t write_len, uint8_t *into, size_t len) {
  wasi_i2c_result_list_u8_error_code_t result;
  wasi_i2c_method_i2c_write_read(wasi_i2c_borrow_i2c(device.bus), address, write, write_len, len, &result);
  if (result.is_err) return fail_bus(result.val.err);
  bool complete = result.val.ok.len == len;
  if (complete && len != 0) memcpy(into, result.val.ok.ptr, len);
  wasi_i2c_result_list_u8_error_code_free(&result);
  if (!complete) {
    iw_builder_t *message = fail_device();
    iw_builder_append_cstr(message, "asked for ");
    iw_builder_append_u32(message, (uint32_t)len);
    iw_builder_append_cstr(message, " bytes, the bus returned another count");
    return false;
  }
  return true;
}

/* The attached device's registers: one register address byte, then data. */
static inline bool reg_read(uint8_t reg, uint8_t *into, size_t len) { return bus_write_read(device.address, &reg, 1, into, len); }

static inline bool reg_write(uint8_t reg, uint8_t value) {
  uint8_t bytes[2] = {reg, value};
  return bus_write(device.address, bytes, sizeof bytes);
}

static inline void delay_us(uint32_t us) { wasi_i2c_method_delay_delay_ns(wasi_i2c_borrow_delay(device.delay), us * 1000u); }

/* --- attach --- */

static inline void device_detach(void) {
  if (!device.attached) return;
  wasi_i2c_i2c_drop_own(device.bus);
  wasi_i2c_delay_drop_own(device.delay);
  device.attached = false;
}

/* Takes the granted handles (dropping any from an earlier attach). */
static inline void attach_begin(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address) {
  device_detach();
  device.attached = true;
  device.bus = bus;
  device.delay = delay;
  device.address = address;
}

/* Fails attach with "<chip> at 0xNN: <the last failure>" and gives the handles back. */
static inline void attach_fail(const char *chip, devices_result_void_string_t *ret) {
  iw_builder_t text = {0};
  iw_builder_append_cstr(&text, chip);
  iw_builder_append_cstr(&text, " at ");
  append_hex8(&text, (uint8_t)device.address);
  iw_builder_append_cstr(&text, ": ");
  failure_describe(&text);
  device_detach();
  ret->is_err = true;
  ret->val.err = iw_builder_finish(&text);
}

static inline void attach_ok(devices_result_void_string_t *ret) { ret->is_err = false; }

/* --- text, for displays --- */

/* The character at *at of UTF-8 `text` as a printable ASCII byte, or ' ' for anything the displays
 * here cannot draw (controls, and every non-ASCII code point, which counts as one character);
 * advances *at past it. */
static inline char text_next(iw_string_t text, size_t *at) {
  uint8_t c = text.ptr[(*at)++];
  if (c >= 0x80) {
    while (*at < text.len && (text.ptr[*at] & 0xC0) == 0x80) (*at)++;
    return ' ';
  }
  return (c >= 0x20 && c < 0x7F) ? (char)c : ' ';
}

#endif /* GUESTS_DRIVERS_DRIVER_H */
