/* Reads the sensor and shows the reading on whatever display driver is linked in (world
 * ironwasm:devices/sensor-display-app). tick() does one round and returns what it showed:
 *
 *   display narrower than 8 columns (a 4-digit 7-segment display): the temperature alone,
 *     "21.5" (one decimal if it fits the digits, else none: "-12")
 *   wider displays, one line each, as many as there are rows:
 *     "21.5 C 45 %"   temperature, and humidity where the sensor measures it
 *     "1013 hPa"      pressure, where the sensor measures it
 *     "hts221 1.0"    the sensor driver's name, on displays of 3 rows or more
 *
 * tick returns the lines shown joined by "\n"; if the sensor fails it shows "sensor error" ("Err"
 * on narrow displays) and returns "sensor: <error>"; if the display fails it returns
 * "display: <error>" (after "sensor: <error>; " when both failed).
 *
 * Core imports: driver-name and read from ironwasm:devices/sensor@0.1.0; get-geometry and show
 * from ironwasm:devices/display@0.1.0. No WASI.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#define DEVICES_IMPORT_SENSOR
#define DEVICES_IMPORT_DISPLAY
#include <ironwasm/devices.h>

#define MAX_LINES 3
#define NARROW_COLUMNS 8

/* Visible characters of a line as a display counts them: a '.' after a character shares its cell
 * on 7-segment displays, so for those only non-'.' characters count. */
static uint32_t visible(iw_builder_t *line) {
  uint32_t count = 0;
  for (size_t i = 0; i < line->len; i++)
    if (line->ptr[i] != '.') count++;
  return count;
}

/* The temperature for a display of `columns` digits: one decimal if it fits, else a whole number. */
static void append_temperature_narrow(iw_builder_t *line, float celsius, uint32_t columns) {
  iw_builder_append_fixed(line, celsius, 1);
  if (visible(line) <= columns) return;
  line->len = 0;
  iw_builder_append_fixed(line, celsius, 0);
}

/* Shows `count` lines; on failure appends the display's error to `report` and returns false. */
static bool show(const iw_builder_t *lines, size_t count, iw_builder_t *report) {
  iw_string_t views[MAX_LINES];
  for (size_t i = 0; i < count; i++) views[i] = (iw_string_t){lines[i].ptr, lines[i].len};
  devices_display_result_t result;
  devices_display_show(views, count, &result);
  if (!result.is_err) return true;
  iw_builder_append_cstr(report, "display: ");
  devices_error_describe(report, &result.val.err);
  devices_display_result_free(&result);
  return false;
}

/* The lines for a reading on a display of `columns` x `rows` (rows at most MAX_LINES); returns the count. */
static size_t format(const devices_sensor_reading_t *r, uint32_t columns, uint32_t rows, iw_builder_t *lines) {
  if (columns < NARROW_COLUMNS) {
    append_temperature_narrow(&lines[0], r->temperature, columns);
    return 1;
  }
  size_t count = 0;
  iw_builder_append_fixed(&lines[count], r->temperature, 1);
  iw_builder_append_cstr(&lines[count], " C");
  if (r->humidity.is_some) {
    iw_builder_append_cstr(&lines[count], " ");
    iw_builder_append_fixed(&lines[count], r->humidity.val, 0);
    iw_builder_append_cstr(&lines[count], " %");
  }
  count++;
  if (r->pressure.is_some && count < rows) {
    iw_builder_append_fixed(&lines[count], r->pressure.val, 0);
    iw_builder_append_cstr(&lines[count++], " hPa");
  }
  if (rows >= 3 && count < rows) {
    iw_string_t name;
    devices_sensor_driver_name(&name);
    iw_builder_append_string(&lines[count++], name);
    iw_string_free(&name);
  }
  return count;
}

static iw_string_t tick(void) {
  devices_display_geometry_t geometry;
  devices_display_get_geometry(&geometry);
  uint32_t rows = geometry.rows < MAX_LINES ? geometry.rows : MAX_LINES;
  iw_builder_t lines[MAX_LINES] = {0};
  iw_builder_t report = {0};
  size_t count;

  devices_sensor_result_reading_t reading;
  devices_sensor_read(&reading);
  if (reading.is_err) {
    iw_builder_append_cstr(&lines[0], geometry.columns < NARROW_COLUMNS ? "Err" : "sensor error");
    count = 1;
    iw_builder_append_cstr(&report, "sensor: ");
    devices_error_describe(&report, &reading.val.err);
  } else {
    count = format(&reading.val.ok, geometry.columns, rows, lines);
  }

  iw_builder_t display_error = {0};
  if (!show(lines, count, &display_error)) {
    /* The display's error replaces the lines, or follows the sensor's. */
    if (report.len != 0) iw_builder_append_cstr(&report, "; ");
    iw_builder_append(&report, display_error.ptr, display_error.len);
  } else if (!reading.is_err) {
    for (size_t i = 0; i < count; i++) {
      if (i != 0) iw_builder_append_cstr(&report, "\n");
      iw_builder_append(&report, lines[i].ptr, lines[i].len);
    }
  }
  free(display_error.ptr);
  devices_sensor_result_reading_free(&reading);
  for (size_t i = 0; i < MAX_LINES; i++) free(lines[i].ptr);
  return iw_builder_finish(&report);
}

/* export tick: func() -> string, through a return area that cabi_post_tick frees. */
static iw_string_t tick_area;

IW_EXPORT("tick")
iw_string_t *export_tick(void) {
  tick_area = tick();
  return &tick_area;
}

IW_EXPORT("cabi_post_tick")
void post_tick(iw_string_t *ret) { iw_string_free(ret); }
