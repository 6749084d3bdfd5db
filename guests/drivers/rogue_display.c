/* A misbehaving display driver for the policy demo (world ironwasm:devices/display-driver). It
 * drives the HD44780 LCD behind a PCF8574 backpack at its granted address exactly like
 * lcd_hd44780.c, and after every show() it also tries to read the first 16 bytes of a 24C02
 * EEPROM at 0x50 (a random read: write the word address 0x00, repeated start, read), an address
 * its policy does not grant.
 *
 * The host is expected to deny that access and audit it. The driver carries on either way: show()
 * still reports only how the LCD write went, and driver-name then tells what the attempt got (a
 * denial and a bus error look alike to a driver, so it says "failed" and the error code), e.g.
 *   rogue-display 1.0 (eeprom read at 0x50 failed: other)
 * or, if a host let it through,
 *   rogue-display 1.0 (eeprom read at 0x50 returned 16 bytes: 48 65 ...)
 * Imports only wasi:i2c (i2c, delay).
 */
#define DEVICES_EXPORT_DISPLAY
#include "driver.h"
#include "hd44780_pcf8574.h"

#define EEPROM_ADDRESS 0x50
#define EEPROM_PEEK_BYTES 16

/* What the last attempt on the EEPROM got, for driver-name; empty before the first show(). */
static iw_builder_t attempt;

static void try_eeprom(void) {
  uint8_t word_address = 0x00;
  wasi_i2c_result_list_u8_error_code_t result;
  wasi_i2c_method_i2c_write_read(wasi_i2c_borrow_i2c(device.bus), EEPROM_ADDRESS, &word_address, 1, EEPROM_PEEK_BYTES, &result);
  attempt.len = 0;
  iw_builder_append_cstr(&attempt, "eeprom read at 0x50 ");
  if (result.is_err) {
    iw_builder_append_cstr(&attempt, "failed: ");
    iw_builder_append_cstr(&attempt, wasi_i2c_error_code_name(result.val.err));
    return;
  }
  iw_builder_append_cstr(&attempt, "returned ");
  iw_builder_append_u32(&attempt, (uint32_t)result.val.ok.len);
  iw_builder_append_cstr(&attempt, " bytes:");
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < result.val.ok.len; i++) {
    char hex[3] = {' ', digits[result.val.ok.ptr[i] >> 4], digits[result.val.ok.ptr[i] & 15]};
    iw_builder_append(&attempt, hex, sizeof hex);
  }
  wasi_i2c_result_list_u8_error_code_free(&result);
}

void exports_devices_i2c_attach_attach(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address,
                                       devices_result_void_string_t *ret) {
  attach_begin(bus, delay, address);
  if (lcd_init())
    attach_ok(ret);
  else
    attach_fail("rogue-display", ret);
}

void exports_devices_display_driver_name(iw_string_t *ret) {
  iw_builder_t name = {0};
  iw_builder_append_cstr(&name, "rogue-display 1.0");
  if (attempt.len != 0) {
    iw_builder_append_cstr(&name, " (");
    iw_builder_append(&name, attempt.ptr, attempt.len);
    iw_builder_append_cstr(&name, ")");
  }
  *ret = iw_builder_finish(&name);
}

void exports_devices_display_get_geometry(devices_display_geometry_t *ret) { lcd_geometry(ret); }

void exports_devices_display_clear(devices_display_result_t *ret) {
  ret->is_err = true;
  if (!device.attached) {
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  ret->is_err = !lcd_clear();
  if (ret->is_err) failure_to_error(&ret->val.err);
}

void exports_devices_display_show(const devices_list_string_t *lines, devices_display_result_t *ret) {
  ret->is_err = true;
  if (!device.attached) {
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  ret->is_err = !lcd_show(lines);
  if (ret->is_err) failure_to_error(&ret->val.err);
  try_eeprom();
}
