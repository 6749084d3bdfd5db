/* The second simulated thermometer driver, swapped in for v1 at run time: fahrenheit readings that
 * rise by a quarter degree per read, and channels 2 and up report an error (nothing connected).
 *
 * Core imports: [export]ironwasm:example/thermometer@0.1.0 [resource-new]probe. No WASI.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#define THERMOMETER_EXPORTS
#include "thermometer.h"

struct exports_thermometer_probe {
  uint8_t channel;
  uint32_t reads;
};

void exports_thermometer_driver_name(iw_string_t *ret) { *ret = iw_string_dup("sim-thermometer v2"); }

exports_thermometer_probe_t *exports_thermometer_constructor_probe(uint8_t channel) {
  exports_thermometer_probe_t *probe = malloc(sizeof *probe);
  if (probe == NULL) abort();
  probe->channel = channel;
  probe->reads = 0;
  return probe;
}

void exports_thermometer_method_probe_read(exports_thermometer_probe_t *self, thermometer_result_reading_string_t *ret) {
  iw_builder_t text = {0};
  if (self->channel >= 2) {
    iw_builder_append_cstr(&text, "channel ");
    iw_builder_append_u32(&text, self->channel);
    iw_builder_append_cstr(&text, " is not connected");
    ret->is_err = true;
    ret->val.err = iw_builder_finish(&text);
    return;
  }
  iw_builder_append_cstr(&text, "v2/probe-");
  iw_builder_append_u32(&text, self->channel);
  ret->is_err = false;
  ret->val.ok.value = 70.25f + 0.25f * (float)(self->reads % 8) + 2.0f * (float)self->channel;
  ret->val.ok.unit = THERMOMETER_UNIT_FAHRENHEIT;
  ret->val.ok.probe = iw_builder_finish(&text);
  self->reads++;
}

void exports_thermometer_probe_destructor(exports_thermometer_probe_t *self) { free(self); }
