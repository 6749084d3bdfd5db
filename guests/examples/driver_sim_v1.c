/* A simulated thermometer driver (world ironwasm:example/driver): every probe reports celsius
 * readings that repeat a fixed four-step pattern, offset by its channel number.
 *
 * Core imports: [export]ironwasm:example/thermometer@0.1.0 [resource-new]probe. No WASI: malloc
 * comes from wasi-libc but needs nothing from the host.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#define THERMOMETER_EXPORTS
#include "thermometer.h"

struct exports_thermometer_probe {
  uint8_t channel;
  uint32_t reads;
};

static const float pattern[4] = {21.5f, 22.0f, 22.5f, 22.0f};

void exports_thermometer_driver_name(iw_string_t *ret) { *ret = iw_string_dup("sim-thermometer v1"); }

exports_thermometer_probe_t *exports_thermometer_constructor_probe(uint8_t channel) {
  exports_thermometer_probe_t *probe = malloc(sizeof *probe);
  if (probe == NULL) abort();
  probe->channel = channel;
  probe->reads = 0;
  return probe;
}

void exports_thermometer_method_probe_read(exports_thermometer_probe_t *self, thermometer_result_reading_string_t *ret) {
  iw_builder_t name = {0};
  iw_builder_append_cstr(&name, "ch");
  iw_builder_append_u32(&name, self->channel);
  ret->is_err = false;
  ret->val.ok.value = pattern[self->reads % 4] + (float)self->channel;
  ret->val.ok.unit = THERMOMETER_UNIT_CELSIUS;
  ret->val.ok.probe = iw_builder_finish(&name);
  self->reads++;
}

void exports_thermometer_probe_destructor(exports_thermometer_probe_t *self) { free(self); }
