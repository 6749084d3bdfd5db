/* Bindings for package ironwasm:devices@0.1.0 (wit/devices.wit): the interfaces `i2c-attach`,
 * `sensor` and `display`, written by hand with ironwasm/cabi.h the way guests/include/README.md
 * describes.
 *
 * A driver exports i2c-attach and one device interface: it defines DEVICES_EXPORT_I2C_ATTACH and
 * DEVICES_EXPORT_SENSOR (or DEVICES_EXPORT_DISPLAY) before including this header and implements
 * the exports_devices_* functions declared below; the export glue here turns them into the core
 * exports. An app defines DEVICES_IMPORT_SENSOR and/or DEVICES_IMPORT_DISPLAY and calls
 * devices_sensor_* / devices_display_*. Include it in one translation unit per module.
 *
 * Core exports (all results are in memory, so each returns the address of its return area):
 *   ironwasm:devices/i2c-attach@0.1.0#attach       (bus, delay, address) -> ptr   [i32 i32 i32] -> [i32]
 *   ironwasm:devices/sensor@0.1.0#driver-name      () -> ptr                      [] -> [i32]
 *   ironwasm:devices/sensor@0.1.0#read             () -> ptr                      [] -> [i32]
 *   ironwasm:devices/display@0.1.0#driver-name     () -> ptr                      [] -> [i32]
 *   ironwasm:devices/display@0.1.0#get-geometry    () -> ptr                      [] -> [i32]
 *   ironwasm:devices/display@0.1.0#clear           () -> ptr                      [] -> [i32]
 *   ironwasm:devices/display@0.1.0#show            (lines_ptr, lines_len) -> ptr  [i32 i32] -> [i32]
 *   and cabi_post_<export> (ptr) -> () for each of them except get-geometry (nothing to free).
 * Core imports of an app (module = the interface name): driver-name, read, get-geometry, clear
 * (ret) -> () [i32]; show (lines_ptr, lines_len, ret) -> () [i32 i32 i32].
 */
#ifndef IRONWASM_DEVICES_H
#define IRONWASM_DEVICES_H

#include <ironwasm/cabi.h>
#include <wasi/i2c.h>

#define DEVICES_I2C_ATTACH_INTERFACE "ironwasm:devices/i2c-attach@0.1.0"
#define DEVICES_SENSOR_INTERFACE "ironwasm:devices/sensor@0.1.0"
#define DEVICES_DISPLAY_INTERFACE "ironwasm:devices/display@0.1.0"

/* --- types --- */

typedef IW_OPTION(float) devices_option_f32_t;
IW_ASSERT_LAYOUT(devices_option_f32_t, 8, 4);

/* record reading { temperature: f32, humidity: option<f32>, pressure: option<f32> } */
typedef struct devices_sensor_reading {
  float temperature;
  devices_option_f32_t humidity;
  devices_option_f32_t pressure;
} devices_sensor_reading_t;
IW_ASSERT_LAYOUT(devices_sensor_reading_t, 20, 4);
IW_ASSERT_OFFSET(devices_sensor_reading_t, humidity, 4);
IW_ASSERT_OFFSET(devices_sensor_reading_t, pressure, 12);

/* variant sensor-error / display-error { not-attached, bus(error-code), device(string) }: the two
 * WIT types have the same cases, so they share this C type. Payload at 4 (the string's alignment).
 * Flat: [i32 case, i32, i32]. */
typedef struct devices_error {
  iw_discriminant_t tag;
  union {
    wasi_i2c_error_code_t bus;
    iw_string_t device;
  } val;
} devices_error_t;
typedef devices_error_t devices_sensor_error_t;
typedef devices_error_t devices_display_error_t;
#define DEVICES_ERROR_NOT_ATTACHED 0
#define DEVICES_ERROR_BUS 1
#define DEVICES_ERROR_DEVICE 2
IW_ASSERT_LAYOUT(devices_error_t, 12, 4);
IW_ASSERT_OFFSET(devices_error_t, val, 4);

/* result<reading, sensor-error> */
typedef IW_RESULT(devices_sensor_reading_t, devices_sensor_error_t) devices_sensor_result_reading_t;
IW_ASSERT_LAYOUT(devices_sensor_result_reading_t, 24, 4);
IW_ASSERT_OFFSET(devices_sensor_result_reading_t, val, 4);

/* record geometry { columns: u32, rows: u32 } */
typedef struct devices_display_geometry {
  uint32_t columns;
  uint32_t rows;
} devices_display_geometry_t;
IW_ASSERT_LAYOUT(devices_display_geometry_t, 8, 4);
IW_ASSERT_OFFSET(devices_display_geometry_t, rows, 4);

/* result<_, display-error> */
typedef IW_RESULT_ERR_ONLY(devices_display_error_t) devices_display_result_t;
IW_ASSERT_LAYOUT(devices_display_result_t, 16, 4);
IW_ASSERT_OFFSET(devices_display_result_t, val, 4);

/* result<_, string> (attach) */
typedef IW_RESULT_ERR_ONLY(iw_string_t) devices_result_void_string_t;
IW_ASSERT_LAYOUT(devices_result_void_string_t, 12, 4);
IW_ASSERT_OFFSET(devices_result_void_string_t, val, 4);

/* list<string> (show's lines) */
typedef IW_LIST(iw_string_t) devices_list_string_t;
IW_ASSERT_LAYOUT(devices_list_string_t, 8, 4);

static inline void devices_error_free(devices_error_t *error) {
  if (error->tag == DEVICES_ERROR_DEVICE) iw_string_free(&error->val.device);
}

static inline void devices_sensor_result_reading_free(devices_sensor_result_reading_t *result) {
  if (result->is_err) devices_error_free(&result->val.err);
}

static inline void devices_display_result_free(devices_display_result_t *result) {
  if (result->is_err) devices_error_free(&result->val.err);
}

static inline void devices_result_void_string_free(devices_result_void_string_t *result) {
  if (result->is_err) iw_string_free(&result->val.err);
}

/* Appends a readable form of a sensor or display error, e.g. "bus error: no-acknowledge(address)". */
static inline void devices_error_describe(iw_builder_t *b, const devices_error_t *error) {
  switch (error->tag) {
    case DEVICES_ERROR_NOT_ATTACHED: iw_builder_append_cstr(b, "not attached"); break;
    case DEVICES_ERROR_BUS:
      iw_builder_append_cstr(b, "bus error: ");
      iw_builder_append_cstr(b, wasi_i2c_error_code_name(error->val.bus));
      break;
    default:
      iw_builder_append_cstr(b, "device error: ");
      iw_builder_append_string(b, error->val.device);
      break;
  }
}

/* --- imports (apps) --- */

#ifdef DEVICES_IMPORT_SENSOR
IW_IMPORT(DEVICES_SENSOR_INTERFACE, "driver-name")
extern void devices_sensor_import_driver_name(iw_string_t *ret);
IW_IMPORT(DEVICES_SENSOR_INTERFACE, "read")
extern void devices_sensor_import_read(devices_sensor_result_reading_t *ret);

/* driver-name: func() -> string (free it with iw_string_free) */
static inline void devices_sensor_driver_name(iw_string_t *ret) { devices_sensor_import_driver_name(ret); }
/* read: func() -> result<reading, sensor-error> (free it with devices_sensor_result_reading_free) */
static inline void devices_sensor_read(devices_sensor_result_reading_t *ret) { devices_sensor_import_read(ret); }
#endif /* DEVICES_IMPORT_SENSOR */

#ifdef DEVICES_IMPORT_DISPLAY
IW_IMPORT(DEVICES_DISPLAY_INTERFACE, "driver-name")
extern void devices_display_import_driver_name(iw_string_t *ret);
IW_IMPORT(DEVICES_DISPLAY_INTERFACE, "get-geometry")
extern void devices_display_import_get_geometry(devices_display_geometry_t *ret);
IW_IMPORT(DEVICES_DISPLAY_INTERFACE, "clear")
extern void devices_display_import_clear(devices_display_result_t *ret);
IW_IMPORT(DEVICES_DISPLAY_INTERFACE, "show")
extern void devices_display_import_show(const iw_string_t *lines, size_t lines_len, devices_display_result_t *ret);

static inline void devices_display_driver_name(iw_string_t *ret) { devices_display_import_driver_name(ret); }
static inline void devices_display_get_geometry(devices_display_geometry_t *ret) { devices_display_import_get_geometry(ret); }
/* clear / show: free the result with devices_display_result_free. show's lines stay ours. */
static inline void devices_display_clear(devices_display_result_t *ret) { devices_display_import_clear(ret); }
static inline void devices_display_show(const iw_string_t *lines, size_t count, devices_display_result_t *ret) {
  devices_display_import_show(lines, count, ret);
}
#endif /* DEVICES_IMPORT_DISPLAY */

/* --- exports (drivers) ---
 * Each core export returns the address of a static return area; the host copies the results out
 * and then calls the matching cabi_post_ function, which frees what they own, before it calls the
 * guest again. Strings put into results must therefore be malloc'd (iw_string_dup, iw_builder). */

#ifdef DEVICES_EXPORT_I2C_ATTACH
/* attach: func(bus: i2c, delay: delay, address: u16) -> result<_, string>. The driver now owns both
 * handles: it keeps them, or drops them (wasi_i2c_*_drop_own) when it will not use them. */
void exports_devices_i2c_attach_attach(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address,
                                       devices_result_void_string_t *ret);

static devices_result_void_string_t exports_devices_i2c_attach_attach_area;

IW_EXPORT(DEVICES_I2C_ATTACH_INTERFACE "#attach")
devices_result_void_string_t *exports_devices_i2c_attach_export_attach(int32_t bus, int32_t delay, int32_t address) {
  exports_devices_i2c_attach_attach((wasi_i2c_own_i2c_t){bus}, (wasi_i2c_own_delay_t){delay}, (wasi_i2c_address_t)address,
                                    &exports_devices_i2c_attach_attach_area);
  return &exports_devices_i2c_attach_attach_area;
}

IW_EXPORT("cabi_post_" DEVICES_I2C_ATTACH_INTERFACE "#attach")
void exports_devices_i2c_attach_post_attach(devices_result_void_string_t *ret) { devices_result_void_string_free(ret); }
#endif /* DEVICES_EXPORT_I2C_ATTACH */

#ifdef DEVICES_EXPORT_SENSOR
/* driver-name: func() -> string, e.g. "hts221 1.0" */
void exports_devices_sensor_driver_name(iw_string_t *ret);
/* read: func() -> result<reading, sensor-error> */
void exports_devices_sensor_read(devices_sensor_result_reading_t *ret);

static iw_string_t exports_devices_sensor_driver_name_area;
static devices_sensor_result_reading_t exports_devices_sensor_read_area;

IW_EXPORT(DEVICES_SENSOR_INTERFACE "#driver-name")
iw_string_t *exports_devices_sensor_export_driver_name(void) {
  exports_devices_sensor_driver_name(&exports_devices_sensor_driver_name_area);
  return &exports_devices_sensor_driver_name_area;
}

IW_EXPORT("cabi_post_" DEVICES_SENSOR_INTERFACE "#driver-name")
void exports_devices_sensor_post_driver_name(iw_string_t *ret) { iw_string_free(ret); }

IW_EXPORT(DEVICES_SENSOR_INTERFACE "#read")
devices_sensor_result_reading_t *exports_devices_sensor_export_read(void) {
  exports_devices_sensor_read(&exports_devices_sensor_read_area);
  return &exports_devices_sensor_read_area;
}

IW_EXPORT("cabi_post_" DEVICES_SENSOR_INTERFACE "#read")
void exports_devices_sensor_post_read(devices_sensor_result_reading_t *ret) { devices_sensor_result_reading_free(ret); }
#endif /* DEVICES_EXPORT_SENSOR */

#ifdef DEVICES_EXPORT_DISPLAY
/* driver-name: func() -> string, e.g. "hd44780-pcf8574 1.0" */
void exports_devices_display_driver_name(iw_string_t *ret);
/* get-geometry: func() -> geometry */
void exports_devices_display_get_geometry(devices_display_geometry_t *ret);
/* clear: func() -> result<_, display-error> */
void exports_devices_display_clear(devices_display_result_t *ret);
/* show: func(lines: list<string>) -> result<_, display-error>. The lines are lent for the call: the
 * glue frees them afterwards. */
void exports_devices_display_show(const devices_list_string_t *lines, devices_display_result_t *ret);

static iw_string_t exports_devices_display_driver_name_area;
static devices_display_geometry_t exports_devices_display_get_geometry_area;
static devices_display_result_t exports_devices_display_clear_area;
static devices_display_result_t exports_devices_display_show_area;

IW_EXPORT(DEVICES_DISPLAY_INTERFACE "#driver-name")
iw_string_t *exports_devices_display_export_driver_name(void) {
  exports_devices_display_driver_name(&exports_devices_display_driver_name_area);
  return &exports_devices_display_driver_name_area;
}

IW_EXPORT("cabi_post_" DEVICES_DISPLAY_INTERFACE "#driver-name")
void exports_devices_display_post_driver_name(iw_string_t *ret) { iw_string_free(ret); }

/* Two u32s flatten to two values, one more than a result may have, so even the geometry comes back
 * through memory; it owns nothing, so there is no post-return function. */
IW_EXPORT(DEVICES_DISPLAY_INTERFACE "#get-geometry")
devices_display_geometry_t *exports_devices_display_export_get_geometry(void) {
  exports_devices_display_get_geometry(&exports_devices_display_get_geometry_area);
  return &exports_devices_display_get_geometry_area;
}

IW_EXPORT(DEVICES_DISPLAY_INTERFACE "#clear")
devices_display_result_t *exports_devices_display_export_clear(void) {
  exports_devices_display_clear(&exports_devices_display_clear_area);
  return &exports_devices_display_clear_area;
}

IW_EXPORT("cabi_post_" DEVICES_DISPLAY_INTERFACE "#clear")
void exports_devices_display_post_clear(devices_display_result_t *ret) { devices_display_result_free(ret); }

/* The host wrote the list and each string with our cabi_realloc: all of it is ours to free. */
IW_EXPORT(DEVICES_DISPLAY_INTERFACE "#show")
devices_display_result_t *exports_devices_display_export_show(iw_string_t *lines, size_t lines_len) {
  devices_list_string_t list = {lines, lines_len};
  exports_devices_display_show(&list, &exports_devices_display_show_area);
  for (size_t i = 0; i < list.len; i++) iw_string_free(&list.ptr[i]);
  IW_LIST_FREE(&list);
  return &exports_devices_display_show_area;
}

IW_EXPORT("cabi_post_" DEVICES_DISPLAY_INTERFACE "#show")
void exports_devices_display_post_show(devices_display_result_t *ret) { devices_display_result_free(ret); }
#endif /* DEVICES_EXPORT_DISPLAY */

#endif /* IRONWASM_DEVICES_H */
