/* The example app (world ironwasm:example/app): run(samples) names the driver, opens probe 0,
 * takes `samples` readings and returns a report: a header line, then one line per reading
 *   sim-thermometer v1, probe 0
 *   1: 21.50 C (ch0)
 *   2: error: channel 2 is not connected
 *
 * Core imports, all from ironwasm:example/thermometer@0.1.0: driver-name, [constructor]probe,
 * [method]probe.read, [resource-drop]probe. No WASI. Exports: run, cabi_post_run, cabi_realloc,
 * memory.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#define THERMOMETER_IMPORTS
#include "thermometer.h"

static void append_reading(iw_builder_t *report, const thermometer_reading_t *reading) {
  iw_builder_append_fixed(report, reading->value, 2);
  iw_builder_append_cstr(report, reading->unit == THERMOMETER_UNIT_FAHRENHEIT ? " F (" : " C (");
  iw_builder_append_string(report, reading->probe);
  iw_builder_append_cstr(report, ")");
}

static iw_string_t run(uint32_t samples) {
  iw_builder_t report = {0};
  iw_string_t name;
  thermometer_driver_name(&name);
  iw_builder_append_string(&report, name);
  iw_builder_append_cstr(&report, ", probe 0\n");
  iw_string_free(&name);

  thermometer_own_probe_t probe = thermometer_constructor_probe(0);
  for (uint32_t i = 1; i <= samples; i++) {
    thermometer_result_reading_string_t result;
    thermometer_method_probe_read(thermometer_borrow_probe(probe), &result);
    iw_builder_append_u32(&report, i);
    iw_builder_append_cstr(&report, ": ");
    if (result.is_err) {
      iw_builder_append_cstr(&report, "error: ");
      iw_builder_append_string(&report, result.val.err);
    } else {
      append_reading(&report, &result.val.ok);
    }
    iw_builder_append_cstr(&report, "\n");
    thermometer_result_reading_string_free(&result);
  }
  thermometer_probe_drop_own(probe);
  return iw_builder_finish(&report);
}

/* export run: func(samples: u32) -> string: the string is returned through a return area, which
 * cabi_post_run frees after the host copied it. */
static iw_string_t run_area;

IW_EXPORT("run")
iw_string_t *export_run(int32_t samples) {
  run_area = run((uint32_t)samples);
  return &run_area;
}

IW_EXPORT("cabi_post_run")
void post_run(iw_string_t *ret) { iw_string_free(ret); }
