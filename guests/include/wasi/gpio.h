/* Bindings for wasi:gpio@0.2.0 (wit/deps/wasi-gpio): the types of `general`, the digital pins of
 * `digital`, `poll` and `delay`, all imported from the host. Written by hand with ironwasm/cabi.h
 * the way guests/include/README.md describes. The `analog` interface is not bound here.
 *
 * Every pin resource R (digital-out-pin, stateful-digital-out-pin, digital-in-pin,
 * digital-in-out-pin) has these core imports from module "wasi:gpio/digital@0.2.0":
 *   [static]R.get        (label_ptr, label_len, flags_ptr, flags_len, ret) -> ()   [i32 x5]
 *   [method]R.get-config (self, ret) -> ()                                         [i32 i32]
 *   [method]R.is-ready   (self) -> i32 (bool)                                      [i32] -> [i32]
 *   [resource-drop]R     (handle) -> ()
 * and its own methods below, all (self[, i32 enum], ret) -> () because every result<_, gpio-error>
 * flattens to 4 values. From "wasi:gpio/poll@0.2.0": [method]pollable.ready (i32) -> i32,
 * [method]pollable.block (i32) -> (), poll (ptr, len, ret) -> (), [resource-drop]pollable.
 * From "wasi:gpio/delay@0.2.0": [method]delay.delay-ns/-us/-ms (i32, i64) -> (), [resource-drop]delay.
 *
 * A pin handle here is an own handle; methods borrow it for the call. The world has no
 * constructor for `delay`, so a guest can only use a delay handle it was given.
 */
#ifndef WASI_GPIO_H
#define WASI_GPIO_H

#include <ironwasm/cabi.h>

#define WASI_GPIO_DIGITAL_INTERFACE "wasi:gpio/digital@0.2.0"
#define WASI_GPIO_POLL_INTERFACE "wasi:gpio/poll@0.2.0"
#define WASI_GPIO_DELAY_INTERFACE "wasi:gpio/delay@0.2.0"

/* --- wasi:gpio/general --- */

/* variant gpio-error { hardware-fault, ..., resource-invalidated, other(string) }.
 * Flat: [i32 case, i32 ptr, i32 len]. An `other` message belongs to the guest. */
typedef struct wasi_gpio_error {
  iw_discriminant_t tag;
  union {
    iw_string_t other;
  } val;
} wasi_gpio_error_t;
#define WASI_GPIO_ERROR_HARDWARE_FAULT 0
#define WASI_GPIO_ERROR_ALREADY_IN_USE 1
#define WASI_GPIO_ERROR_PIN_NOT_ALLOWED 2
#define WASI_GPIO_ERROR_PIN_MODE_NOT_ALLOWED 3
#define WASI_GPIO_ERROR_UNDEFINED_PIN_LABEL 4
#define WASI_GPIO_ERROR_PIN_MODE_NOT_AVAILABLE 5
#define WASI_GPIO_ERROR_WOULD_BLOCK 6
#define WASI_GPIO_ERROR_OPERATION_NOT_SUPPORTED 7
#define WASI_GPIO_ERROR_INVALID_FLAG 8
#define WASI_GPIO_ERROR_MISSING_FLAGS 9
#define WASI_GPIO_ERROR_RESOURCE_INVALIDATED 10
#define WASI_GPIO_ERROR_OTHER 11
IW_ASSERT_LAYOUT(wasi_gpio_error_t, 12, 4);
IW_ASSERT_OFFSET(wasi_gpio_error_t, val, 4);

/* enum active-level { active-high, active-low } */
typedef iw_discriminant_t wasi_gpio_active_level_t;
#define WASI_GPIO_ACTIVE_LEVEL_ACTIVE_HIGH 0
#define WASI_GPIO_ACTIVE_LEVEL_ACTIVE_LOW 1

/* enum pin-mode { in, out } */
typedef iw_discriminant_t wasi_gpio_pin_mode_t;
#define WASI_GPIO_PIN_MODE_IN 0
#define WASI_GPIO_PIN_MODE_OUT 1

/* enum pull-resistor { pull-up, pull-down } */
typedef iw_discriminant_t wasi_gpio_pull_resistor_t;
#define WASI_GPIO_PULL_RESISTOR_PULL_UP 0
#define WASI_GPIO_PULL_RESISTOR_PULL_DOWN 1

/* --- wasi:gpio/digital types --- */

/* enum pin-state { active, inactive } */
typedef iw_discriminant_t wasi_gpio_pin_state_t;
#define WASI_GPIO_PIN_STATE_ACTIVE 0
#define WASI_GPIO_PIN_STATE_INACTIVE 1

typedef IW_OPTION(wasi_gpio_pull_resistor_t) wasi_gpio_option_pull_resistor_t;
IW_ASSERT_LAYOUT(wasi_gpio_option_pull_resistor_t, 2, 1);

/* record digital-config { label: string, pin-mode, active-level, pull-resistor: option<pull-resistor> } */
typedef struct wasi_gpio_digital_config {
  iw_string_t label;
  wasi_gpio_pin_mode_t pin_mode;
  wasi_gpio_active_level_t active_level;
  wasi_gpio_option_pull_resistor_t pull_resistor;
} wasi_gpio_digital_config_t;
IW_ASSERT_LAYOUT(wasi_gpio_digital_config_t, 12, 4);
IW_ASSERT_OFFSET(wasi_gpio_digital_config_t, pin_mode, 8);
IW_ASSERT_OFFSET(wasi_gpio_digital_config_t, active_level, 9);
IW_ASSERT_OFFSET(wasi_gpio_digital_config_t, pull_resistor, 10);

/* flags digital-flag { active-high, active-low, pull-up, pull-down, active, inactive, input, output }:
 * 8 flags, one byte, bit i for flag i. `get` takes a list of them; pass one flag per element. */
typedef uint8_t wasi_gpio_digital_flag_t;
#define WASI_GPIO_DIGITAL_FLAG_ACTIVE_HIGH ((wasi_gpio_digital_flag_t)(1u << 0))
#define WASI_GPIO_DIGITAL_FLAG_ACTIVE_LOW ((wasi_gpio_digital_flag_t)(1u << 1))
#define WASI_GPIO_DIGITAL_FLAG_PULL_UP ((wasi_gpio_digital_flag_t)(1u << 2))
#define WASI_GPIO_DIGITAL_FLAG_PULL_DOWN ((wasi_gpio_digital_flag_t)(1u << 3))
#define WASI_GPIO_DIGITAL_FLAG_ACTIVE ((wasi_gpio_digital_flag_t)(1u << 4))
#define WASI_GPIO_DIGITAL_FLAG_INACTIVE ((wasi_gpio_digital_flag_t)(1u << 5))
#define WASI_GPIO_DIGITAL_FLAG_INPUT ((wasi_gpio_digital_flag_t)(1u << 6))
#define WASI_GPIO_DIGITAL_FLAG_OUTPUT ((wasi_gpio_digital_flag_t)(1u << 7))

/* The results. Every payload is at 4 (the error's alignment) and the error is the largest case, so
 * all are 16 bytes. `ok` of the handle result is an own handle of the resource asked for. */
typedef IW_RESULT(iw_handle_t, wasi_gpio_error_t) wasi_gpio_result_handle_error_t;
IW_ASSERT_LAYOUT(wasi_gpio_result_handle_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_gpio_result_handle_error_t, val, 4);

typedef IW_RESULT(wasi_gpio_digital_config_t, wasi_gpio_error_t) wasi_gpio_result_digital_config_error_t;
IW_ASSERT_LAYOUT(wasi_gpio_result_digital_config_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_gpio_result_digital_config_error_t, val, 4);

typedef IW_RESULT_ERR_ONLY(wasi_gpio_error_t) wasi_gpio_result_void_error_t;
IW_ASSERT_LAYOUT(wasi_gpio_result_void_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_gpio_result_void_error_t, val, 4);

typedef IW_RESULT(wasi_gpio_pin_state_t, wasi_gpio_error_t) wasi_gpio_result_pin_state_error_t;
IW_ASSERT_LAYOUT(wasi_gpio_result_pin_state_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_gpio_result_pin_state_error_t, val, 4);

typedef IW_RESULT(bool, wasi_gpio_error_t) wasi_gpio_result_bool_error_t;
IW_ASSERT_LAYOUT(wasi_gpio_result_bool_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_gpio_result_bool_error_t, val, 4);

static inline void wasi_gpio_error_free(wasi_gpio_error_t *error) {
  if (error->tag == WASI_GPIO_ERROR_OTHER) iw_string_free(&error->val.other);
}

/* Frees the error of any of the results above (their ok cases own nothing but the config's label). */
#define WASI_GPIO_RESULT_FREE(result)                            \
  do {                                                           \
    if ((result)->is_err) wasi_gpio_error_free(&(result)->val.err); \
  } while (0)

static inline void wasi_gpio_result_digital_config_error_free(wasi_gpio_result_digital_config_error_t *result) {
  if (result->is_err)
    wasi_gpio_error_free(&result->val.err);
  else
    iw_string_free(&result->val.ok.label);
}

/* Appends the error's WIT name (and an `other` message), e.g. "pin-not-allowed". */
static inline void wasi_gpio_error_describe(iw_builder_t *b, const wasi_gpio_error_t *error) {
  static const char *const names[] = {
      "hardware-fault",    "already-in-use",          "pin-not-allowed", "pin-mode-not-allowed", "undefined-pin-label",  "pin-mode-not-available",
      "would-block",       "operation-not-supported", "invalid-flag",    "missing-flags",        "resource-invalidated",
  };
  if (error->tag < sizeof names / sizeof names[0]) {
    iw_builder_append_cstr(b, names[error->tag]);
    return;
  }
  iw_builder_append_cstr(b, "other(");
  iw_builder_append_string(b, error->val.other);
  iw_builder_append_cstr(b, ")");
}

/* --- wasi:gpio/poll --- */

typedef struct wasi_gpio_pollable {
  iw_handle_t handle;
} wasi_gpio_pollable_t;

typedef IW_LIST(iw_handle_t) wasi_gpio_list_borrow_pollable_t;
typedef IW_LIST(uint32_t) wasi_gpio_list_u32_t;
IW_ASSERT_LAYOUT(wasi_gpio_list_u32_t, 8, 4);

IW_IMPORT(WASI_GPIO_POLL_INTERFACE, "[method]pollable.ready")
extern int32_t wasi_gpio_import_method_pollable_ready(int32_t self);
IW_IMPORT(WASI_GPIO_POLL_INTERFACE, "[method]pollable.block")
extern void wasi_gpio_import_method_pollable_block(int32_t self);
IW_IMPORT(WASI_GPIO_POLL_INTERFACE, "poll")
extern void wasi_gpio_import_poll(const iw_handle_t *in, size_t in_len, wasi_gpio_list_u32_t *ret);
IW_IMPORT(WASI_GPIO_POLL_INTERFACE, "[resource-drop]pollable")
extern void wasi_gpio_import_resource_drop_pollable(int32_t handle);

/* ready: func() -> bool */
static inline bool wasi_gpio_pollable_ready(wasi_gpio_pollable_t self) { return wasi_gpio_import_method_pollable_ready(self.handle) != 0; }
/* block: func(): returns once the pollable is ready. */
static inline void wasi_gpio_pollable_block(wasi_gpio_pollable_t self) { wasi_gpio_import_method_pollable_block(self.handle); }
/* poll: func(in: list<borrow<pollable>>) -> list<u32>: the indices of the ready ones (free the list). */
static inline void wasi_gpio_poll(const iw_handle_t *pollables, size_t count, wasi_gpio_list_u32_t *ret) {
  wasi_gpio_import_poll(pollables, count, ret);
}
static inline void wasi_gpio_pollable_drop(wasi_gpio_pollable_t pollable) { wasi_gpio_import_resource_drop_pollable(pollable.handle); }

/* --- wasi:gpio/delay --- */

typedef struct wasi_gpio_delay {
  iw_handle_t handle;
} wasi_gpio_delay_t;

IW_IMPORT(WASI_GPIO_DELAY_INTERFACE, "[method]delay.delay-ns")
extern void wasi_gpio_import_method_delay_delay_ns(int32_t self, uint64_t ns);
IW_IMPORT(WASI_GPIO_DELAY_INTERFACE, "[method]delay.delay-us")
extern void wasi_gpio_import_method_delay_delay_us(int32_t self, uint64_t us);
IW_IMPORT(WASI_GPIO_DELAY_INTERFACE, "[method]delay.delay-ms")
extern void wasi_gpio_import_method_delay_delay_ms(int32_t self, uint64_t ms);
IW_IMPORT(WASI_GPIO_DELAY_INTERFACE, "[resource-drop]delay")
extern void wasi_gpio_import_resource_drop_delay(int32_t handle);

static inline void wasi_gpio_delay_ns(wasi_gpio_delay_t self, uint64_t ns) { wasi_gpio_import_method_delay_delay_ns(self.handle, ns); }
static inline void wasi_gpio_delay_us(wasi_gpio_delay_t self, uint64_t us) { wasi_gpio_import_method_delay_delay_us(self.handle, us); }
static inline void wasi_gpio_delay_ms(wasi_gpio_delay_t self, uint64_t ms) { wasi_gpio_import_method_delay_delay_ms(self.handle, ms); }
static inline void wasi_gpio_delay_drop(wasi_gpio_delay_t delay) { wasi_gpio_import_resource_drop_delay(delay.handle); }

/* --- wasi:gpio/digital pins ---
 * The four pin resources share most methods, so the bindings are stamped out by macros: R is the
 * C name (digital_in_pin), W the WIT name ("digital-in-pin"). Each stamp declares the core import
 * `[method]W.m` as wasi_gpio_import_R_m and a wrapper wasi_gpio_R_m(pin, ..., ret). */

#define WASI_GPIO_PIN_TYPE(R) \
  typedef struct wasi_gpio_##R { iw_handle_t handle; } wasi_gpio_##R##_t;

/* get: static func(pin-label: string, flags: list<digital-flag>) -> result<R, gpio-error>;
 * get-config, is-ready and the resource drop, which every pin has. */
#define WASI_GPIO_PIN_COMMON(R, W)                                                                                          \
  IW_IMPORT(WASI_GPIO_DIGITAL_INTERFACE, "[static]" W ".get")                                                               \
  extern void wasi_gpio_import_##R##_get(const uint8_t *label, size_t label_len, const wasi_gpio_digital_flag_t *flags,    \
                                         size_t flags_len, wasi_gpio_result_handle_error_t *ret);                           \
  IW_IMPORT(WASI_GPIO_DIGITAL_INTERFACE, "[method]" W ".get-config")                                                        \
  extern void wasi_gpio_import_##R##_get_config(int32_t self, wasi_gpio_result_digital_config_error_t *ret);                \
  IW_IMPORT(WASI_GPIO_DIGITAL_INTERFACE, "[method]" W ".is-ready")                                                          \
  extern int32_t wasi_gpio_import_##R##_is_ready(int32_t self);                                                             \
  IW_IMPORT(WASI_GPIO_DIGITAL_INTERFACE, "[resource-drop]" W)                                                               \
  extern void wasi_gpio_import_##R##_drop(int32_t handle);                                                                  \
  static inline void wasi_gpio_##R##_get(iw_string_t label, const wasi_gpio_digital_flag_t *flags, size_t flags_len,       \
                                         wasi_gpio_result_handle_error_t *ret) {                                            \
    wasi_gpio_import_##R##_get(label.ptr, label.len, flags, flags_len, ret);                                                \
  }                                                                                                                         \
  static inline void wasi_gpio_##R##_get_config(wasi_gpio_##R##_t self, wasi_gpio_result_digital_config_error_t *ret) {    \
    wasi_gpio_import_##R##_get_config(self.handle, ret);                                                                    \
  }                                                                                                                         \
  static inline bool wasi_gpio_##R##_is_ready(wasi_gpio_##R##_t self) { return wasi_gpio_import_##R##_is_ready(self.handle) != 0; } \
  static inline void wasi_gpio_##R##_drop(wasi_gpio_##R##_t pin) { wasi_gpio_import_##R##_drop(pin.handle); }

/* A method M (WIT name N) without parameters returning result type T. */
#define WASI_GPIO_PIN_METHOD(R, W, M, N, T)                                                               \
  IW_IMPORT(WASI_GPIO_DIGITAL_INTERFACE, "[method]" W "." N)                                              \
  extern void wasi_gpio_import_##R##_##M(int32_t self, T *ret);                                           \
  static inline void wasi_gpio_##R##_##M(wasi_gpio_##R##_t self, T *ret) { wasi_gpio_import_##R##_##M(self.handle, ret); }

/* A method M (WIT name N) taking one enum (pin-state or pin-mode, an i32 flat) returning result type T. */
#define WASI_GPIO_PIN_METHOD_ENUM(R, W, M, N, T)                                                          \
  IW_IMPORT(WASI_GPIO_DIGITAL_INTERFACE, "[method]" W "." N)                                              \
  extern void wasi_gpio_import_##R##_##M(int32_t self, int32_t value, T *ret);                            \
  static inline void wasi_gpio_##R##_##M(wasi_gpio_##R##_t self, iw_discriminant_t value, T *ret) {       \
    wasi_gpio_import_##R##_##M(self.handle, value, ret);                                                  \
  }

/* set-state(state), set-active, set-inactive: every output pin has them. */
#define WASI_GPIO_PIN_OUTPUT(R, W)                                                                        \
  WASI_GPIO_PIN_METHOD_ENUM(R, W, set_state, "set-state", wasi_gpio_result_void_error_t)                  \
  WASI_GPIO_PIN_METHOD(R, W, set_active, "set-active", wasi_gpio_result_void_error_t)                     \
  WASI_GPIO_PIN_METHOD(R, W, set_inactive, "set-inactive", wasi_gpio_result_void_error_t)

/* read, is-active, is-inactive: every input pin has them. */
#define WASI_GPIO_PIN_INPUT(R, W)                                                                         \
  WASI_GPIO_PIN_METHOD(R, W, read, "read", wasi_gpio_result_pin_state_error_t)                            \
  WASI_GPIO_PIN_METHOD(R, W, is_active, "is-active", wasi_gpio_result_bool_error_t)                       \
  WASI_GPIO_PIN_METHOD(R, W, is_inactive, "is-inactive", wasi_gpio_result_bool_error_t)

/* resource digital-out-pin */
WASI_GPIO_PIN_TYPE(digital_out_pin)
WASI_GPIO_PIN_COMMON(digital_out_pin, "digital-out-pin")
WASI_GPIO_PIN_OUTPUT(digital_out_pin, "digital-out-pin")

/* resource stateful-digital-out-pin: an output that remembers what it was set to. */
WASI_GPIO_PIN_TYPE(stateful_digital_out_pin)
WASI_GPIO_PIN_COMMON(stateful_digital_out_pin, "stateful-digital-out-pin")
WASI_GPIO_PIN_OUTPUT(stateful_digital_out_pin, "stateful-digital-out-pin")
WASI_GPIO_PIN_METHOD(stateful_digital_out_pin, "stateful-digital-out-pin", toggle, "toggle", wasi_gpio_result_void_error_t)
WASI_GPIO_PIN_METHOD(stateful_digital_out_pin, "stateful-digital-out-pin", is_set_active, "is-set-active", wasi_gpio_result_bool_error_t)
WASI_GPIO_PIN_METHOD(stateful_digital_out_pin, "stateful-digital-out-pin", is_set_inactive, "is-set-inactive", wasi_gpio_result_bool_error_t)
WASI_GPIO_PIN_METHOD(stateful_digital_out_pin, "stateful-digital-out-pin", get_state, "get-state", wasi_gpio_result_pin_state_error_t)

/* resource digital-in-pin: the watch-* methods return a pollable (an own handle in `ok`) that
 * becomes ready when the condition happens. */
WASI_GPIO_PIN_TYPE(digital_in_pin)
WASI_GPIO_PIN_COMMON(digital_in_pin, "digital-in-pin")
WASI_GPIO_PIN_INPUT(digital_in_pin, "digital-in-pin")
WASI_GPIO_PIN_METHOD_ENUM(digital_in_pin, "digital-in-pin", watch_state, "watch-state", wasi_gpio_result_handle_error_t)
WASI_GPIO_PIN_METHOD(digital_in_pin, "digital-in-pin", watch_active, "watch-active", wasi_gpio_result_handle_error_t)
WASI_GPIO_PIN_METHOD(digital_in_pin, "digital-in-pin", watch_inactive, "watch-inactive", wasi_gpio_result_handle_error_t)
WASI_GPIO_PIN_METHOD(digital_in_pin, "digital-in-pin", watch_falling_edge, "watch-falling-edge", wasi_gpio_result_handle_error_t)
WASI_GPIO_PIN_METHOD(digital_in_pin, "digital-in-pin", watch_rising_edge, "watch-rising-edge", wasi_gpio_result_handle_error_t)

/* resource digital-in-out-pin */
WASI_GPIO_PIN_TYPE(digital_in_out_pin)
WASI_GPIO_PIN_COMMON(digital_in_out_pin, "digital-in-out-pin")
WASI_GPIO_PIN_OUTPUT(digital_in_out_pin, "digital-in-out-pin")
WASI_GPIO_PIN_INPUT(digital_in_out_pin, "digital-in-out-pin")
WASI_GPIO_PIN_METHOD_ENUM(digital_in_out_pin, "digital-in-out-pin", set_pin_mode, "set-pin-mode", wasi_gpio_result_void_error_t)

#endif /* WASI_GPIO_H */
