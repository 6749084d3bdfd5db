/* A 16x2 HD44780 character LCD behind a PCF8574 backpack (world ironwasm:devices/display-driver);
 * the wiring and the datasheet facts are in hd44780_pcf8574.h.
 *
 * attach initializes the LCD (4-bit mode) at the granted address, usually 0x27 or 0x3F; clear and
 * show write only to that address. Imports only wasi:i2c (i2c, delay).
 */
#define DEVICES_EXPORT_DISPLAY
#include "driver.h"
#include "hd44780_pcf8574.h"

void exports_devices_i2c_attach_attach(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address,
                                       devices_result_void_string_t *ret) {
  attach_begin(bus, delay, address);
  if (lcd_init())
    attach_ok(ret);
  else
    attach_fail("hd44780-pcf8574", ret);
}

void exports_devices_display_driver_name(iw_string_t *ret) { *ret = iw_string_dup("hd44780-pcf8574 1.0"); }

void exports_devices_display_get_geometry(devices_display_geometry_t *ret) { lcd_geometry(ret); }

static void finish(bool ok, devices_display_result_t *ret) {
  ret->is_err = !ok;
  if (!ok) failure_to_error(&ret->val.err);
}

void exports_devices_display_clear(devices_display_result_t *ret) {
  if (!device.attached) {
    ret->is_err = true;
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  finish(lcd_clear(), ret);
}

void exports_devices_display_show(const devices_list_string_t *lines, devices_display_result_t *ret) {
  if (!device.attached) {
    ret->is_err = true;
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  finish(lcd_show(lines), ret);
}
