/* Bindings for interface ironwasm:example/thermometer@0.1.0 (wit/example/thermometer.wit), written
 * by hand with ironwasm/cabi.h the way guests/include/README.md describes.
 *
 * An app that imports the interface defines THERMOMETER_IMPORTS before including this header and
 * calls thermometer_*; a driver that exports it defines THERMOMETER_EXPORTS, defines
 * `struct exports_thermometer_probe` and implements the four exports_thermometer_* functions
 * declared below. Include it in one translation unit per module (the export glue is defined here).
 */
#ifndef IRONWASM_EXAMPLE_THERMOMETER_H
#define IRONWASM_EXAMPLE_THERMOMETER_H

#include <ironwasm/cabi.h>

#define THERMOMETER_INTERFACE "ironwasm:example/thermometer@0.1.0"

/* enum unit { celsius, fahrenheit } */
typedef iw_discriminant_t thermometer_unit_t;
#define THERMOMETER_UNIT_CELSIUS 0
#define THERMOMETER_UNIT_FAHRENHEIT 1

/* record reading { value: f32, unit: unit, probe: string } */
typedef struct thermometer_reading {
  float value;
  thermometer_unit_t unit;
  iw_string_t probe;
} thermometer_reading_t;
IW_ASSERT_LAYOUT(thermometer_reading_t, 16, 4);
IW_ASSERT_OFFSET(thermometer_reading_t, value, 0);
IW_ASSERT_OFFSET(thermometer_reading_t, unit, 4);
IW_ASSERT_OFFSET(thermometer_reading_t, probe, 8);

/* result<reading, string>: discriminant at 0, payload at 4 (the larger alignment of both cases). */
typedef IW_RESULT(thermometer_reading_t, iw_string_t) thermometer_result_reading_string_t;
IW_ASSERT_LAYOUT(thermometer_result_reading_string_t, 20, 4);
IW_ASSERT_OFFSET(thermometer_result_reading_string_t, val, 4);

static inline void thermometer_reading_free(thermometer_reading_t *reading) { iw_string_free(&reading->probe); }

static inline void thermometer_result_reading_string_free(thermometer_result_reading_string_t *result) {
  if (result->is_err)
    iw_string_free(&result->val.err);
  else
    thermometer_reading_free(&result->val.ok);
}

#ifdef THERMOMETER_IMPORTS

/* Handles to probes the driver made: own (ours to drop) and borrow (lent for one call). */
typedef struct thermometer_own_probe {
  iw_handle_t handle;
} thermometer_own_probe_t;
typedef struct thermometer_borrow_probe {
  iw_handle_t handle;
} thermometer_borrow_probe_t;

/* The core imports. Results of more than one flat value come back through a return area whose
 * address is the last parameter; strings in them were allocated with our cabi_realloc. */
IW_IMPORT(THERMOMETER_INTERFACE, "driver-name")
extern void thermometer_import_driver_name(iw_string_t *ret);
IW_IMPORT(THERMOMETER_INTERFACE, "[constructor]probe")
extern int32_t thermometer_import_constructor_probe(int32_t channel);
IW_IMPORT(THERMOMETER_INTERFACE, "[method]probe.read")
extern void thermometer_import_method_probe_read(int32_t self, thermometer_result_reading_string_t *ret);
IW_IMPORT(THERMOMETER_INTERFACE, "[resource-drop]probe")
extern void thermometer_import_resource_drop_probe(int32_t handle);

/* driver-name: func() -> string. Free the name with iw_string_free. */
static inline void thermometer_driver_name(iw_string_t *ret) { thermometer_import_driver_name(ret); }

/* constructor(channel: u8) */
static inline thermometer_own_probe_t thermometer_constructor_probe(uint8_t channel) {
  return (thermometer_own_probe_t){thermometer_import_constructor_probe(channel)};
}

static inline thermometer_borrow_probe_t thermometer_borrow_probe(thermometer_own_probe_t probe) {
  return (thermometer_borrow_probe_t){probe.handle};
}

/* read: func() -> result<reading, string>. Free the result with thermometer_result_reading_string_free. */
static inline void thermometer_method_probe_read(thermometer_borrow_probe_t self, thermometer_result_reading_string_t *ret) {
  thermometer_import_method_probe_read(self.handle, ret);
}

static inline void thermometer_probe_drop_own(thermometer_own_probe_t probe) {
  thermometer_import_resource_drop_probe(probe.handle);
}

#endif /* THERMOMETER_IMPORTS */

#ifdef THERMOMETER_EXPORTS

/* The driver's probe (its representation): define `struct exports_thermometer_probe`. Its address
 * is the rep the host stores in the handle table. */
typedef struct exports_thermometer_probe exports_thermometer_probe_t;

typedef struct exports_thermometer_own_probe {
  iw_handle_t handle;
} exports_thermometer_own_probe_t;

/* What the driver implements. Strings put in results must be malloc'd (iw_string_dup, iw_builder):
 * the glue frees them in the post-return function, after the host copied them. */
void exports_thermometer_driver_name(iw_string_t *ret);
exports_thermometer_probe_t *exports_thermometer_constructor_probe(uint8_t channel);
void exports_thermometer_method_probe_read(exports_thermometer_probe_t *self, thermometer_result_reading_string_t *ret);
/* The last handle to the probe was dropped: free it. */
void exports_thermometer_probe_destructor(exports_thermometer_probe_t *self);

/* The resource intrinsics the host gives an implementer of probe. */
IW_IMPORT("[export]" THERMOMETER_INTERFACE, "[resource-new]probe")
extern int32_t exports_thermometer_import_resource_new_probe(int32_t rep);
IW_IMPORT("[export]" THERMOMETER_INTERFACE, "[resource-rep]probe")
extern int32_t exports_thermometer_import_resource_rep_probe(int32_t handle);
IW_IMPORT("[export]" THERMOMETER_INTERFACE, "[resource-drop]probe")
extern void exports_thermometer_import_resource_drop_probe(int32_t handle);

static inline exports_thermometer_own_probe_t exports_thermometer_probe_new(exports_thermometer_probe_t *rep) {
  return (exports_thermometer_own_probe_t){exports_thermometer_import_resource_new_probe((int32_t)(intptr_t)rep)};
}

static inline exports_thermometer_probe_t *exports_thermometer_probe_rep(exports_thermometer_own_probe_t probe) {
  return (exports_thermometer_probe_t *)(intptr_t)exports_thermometer_import_resource_rep_probe(probe.handle);
}

static inline void exports_thermometer_probe_drop_own(exports_thermometer_own_probe_t probe) {
  exports_thermometer_import_resource_drop_probe(probe.handle);
}

/* The core exports. A result of more than one flat value is returned as the address of a return
 * area, which stays valid until the post-return function has run; one area per function suffices
 * because the host runs post-return before it calls the guest again. */

static iw_string_t exports_thermometer_driver_name_area;

IW_EXPORT(THERMOMETER_INTERFACE "#driver-name")
iw_string_t *exports_thermometer_export_driver_name(void) {
  exports_thermometer_driver_name(&exports_thermometer_driver_name_area);
  return &exports_thermometer_driver_name_area;
}

IW_EXPORT("cabi_post_" THERMOMETER_INTERFACE "#driver-name")
void exports_thermometer_post_driver_name(iw_string_t *ret) { iw_string_free(ret); }

/* The result own<probe> is one i32, so it is returned directly and needs no post-return. */
IW_EXPORT(THERMOMETER_INTERFACE "#[constructor]probe")
int32_t exports_thermometer_export_constructor_probe(int32_t channel) {
  return exports_thermometer_probe_new(exports_thermometer_constructor_probe((uint8_t)channel)).handle;
}

static thermometer_result_reading_string_t exports_thermometer_method_probe_read_area;

/* `self` is a borrow of our own resource, so the host passes the rep itself, not a handle. */
IW_EXPORT(THERMOMETER_INTERFACE "#[method]probe.read")
thermometer_result_reading_string_t *exports_thermometer_export_method_probe_read(int32_t self) {
  exports_thermometer_method_probe_read((exports_thermometer_probe_t *)(intptr_t)self, &exports_thermometer_method_probe_read_area);
  return &exports_thermometer_method_probe_read_area;
}

IW_EXPORT("cabi_post_" THERMOMETER_INTERFACE "#[method]probe.read")
void exports_thermometer_post_method_probe_read(thermometer_result_reading_string_t *ret) {
  thermometer_result_reading_string_free(ret);
}

IW_EXPORT(THERMOMETER_INTERFACE "#[dtor]probe")
void exports_thermometer_export_dtor_probe(int32_t rep) {
  exports_thermometer_probe_destructor((exports_thermometer_probe_t *)(intptr_t)rep);
}

#endif /* THERMOMETER_EXPORTS */

#endif /* IRONWASM_EXAMPLE_THERMOMETER_H */
