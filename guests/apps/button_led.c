/* Toggles an LED on every press of a button over wasi:gpio (world ironwasm:devices/button-led-app).
 *
 * run(presses) opens the input pin labelled "button" (active-low with the pull-up on: a button
 * to ground) and the output pin labelled "led" (active-high, starting inactive), then for each of
 * `presses` presses: asks the button for a pollable on its rising edge, blocks on it, drops it and
 * toggles the LED. It returns the log
 *   button: ready, led: off
 *   press 1: led on
 *   press 2: led off
 * or, when a gpio call fails, an error with the log so far and the failing call last, e.g.
 *   button: digital-in-pin.get failed: pin-not-allowed
 * The pins are dropped before it returns, either way.
 *
 * Core imports: from wasi:gpio/digital@0.2.0 [static]digital-in-pin.get,
 * [method]digital-in-pin.watch-rising-edge, [static]digital-out-pin.get,
 * [method]digital-out-pin.set-active, [method]digital-out-pin.set-inactive, the two resource drops;
 * from wasi:gpio/poll@0.2.0 [method]pollable.block, [resource-drop]pollable. No WASI.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#include <wasi/gpio.h>

/* Appends "<what> failed: <error>" to the log, frees the error, and returns false. */
static bool failed(iw_builder_t *log, const char *what, wasi_gpio_error_t *error) {
  iw_builder_append_cstr(log, what);
  iw_builder_append_cstr(log, " failed: ");
  wasi_gpio_error_describe(log, error);
  wasi_gpio_error_free(error);
  return false;
}

/* Waits for one rising edge of the button. */
static bool wait_for_press(wasi_gpio_digital_in_pin_t button, iw_builder_t *log) {
  wasi_gpio_result_handle_error_t watch;
  wasi_gpio_digital_in_pin_watch_rising_edge(button, &watch);
  if (watch.is_err) return failed(log, "button: watch-rising-edge", &watch.val.err);
  wasi_gpio_pollable_t edge = {watch.val.ok};
  wasi_gpio_pollable_block(edge);
  wasi_gpio_pollable_drop(edge);
  return true;
}

static bool set_led(wasi_gpio_digital_out_pin_t led, bool on, iw_builder_t *log) {
  wasi_gpio_result_void_error_t result;
  if (on)
    wasi_gpio_digital_out_pin_set_active(led, &result);
  else
    wasi_gpio_digital_out_pin_set_inactive(led, &result);
  return result.is_err ? failed(log, on ? "led: set-active" : "led: set-inactive", &result.val.err) : true;
}

static bool run(uint32_t presses, iw_builder_t *log) {
  static const wasi_gpio_digital_flag_t button_flags[] = {WASI_GPIO_DIGITAL_FLAG_ACTIVE_LOW, WASI_GPIO_DIGITAL_FLAG_PULL_UP};
  static const wasi_gpio_digital_flag_t led_flags[] = {WASI_GPIO_DIGITAL_FLAG_ACTIVE_HIGH, WASI_GPIO_DIGITAL_FLAG_INACTIVE};

  wasi_gpio_result_handle_error_t got;
  wasi_gpio_digital_in_pin_get(iw_string_view("button"), button_flags, 2, &got);
  if (got.is_err) return failed(log, "button: digital-in-pin.get", &got.val.err);
  wasi_gpio_digital_in_pin_t button = {got.val.ok};

  wasi_gpio_digital_out_pin_get(iw_string_view("led"), led_flags, 2, &got);
  if (got.is_err) {
    wasi_gpio_digital_in_pin_drop(button);
    return failed(log, "led: digital-out-pin.get", &got.val.err);
  }
  wasi_gpio_digital_out_pin_t led = {got.val.ok};
  iw_builder_append_cstr(log, "button: ready, led: off\n");

  bool on = false, ok = true;
  for (uint32_t press = 1; ok && press <= presses; press++) {
    ok = wait_for_press(button, log) && set_led(led, !on, log);
    if (!ok) break;
    on = !on;
    iw_builder_append_cstr(log, "press ");
    iw_builder_append_u32(log, press);
    iw_builder_append_cstr(log, on ? ": led on\n" : ": led off\n");
  }
  wasi_gpio_digital_out_pin_drop(led);
  wasi_gpio_digital_in_pin_drop(button);
  return ok;
}

/* export run: func(presses: u32) -> result<string, string>, through a return area that
 * cabi_post_run frees. */
typedef IW_RESULT(iw_string_t, iw_string_t) result_string_string_t;
IW_ASSERT_LAYOUT(result_string_string_t, 12, 4);
IW_ASSERT_OFFSET(result_string_string_t, val, 4);

static result_string_string_t run_area;

IW_EXPORT("run")
result_string_string_t *export_run(int32_t presses) {
  iw_builder_t log = {0};
  run_area.is_err = !run((uint32_t)presses, &log);
  /* Both cases hold the log; the union makes ok and err the same field. */
  run_area.val.ok = iw_builder_finish(&log);
  return &run_area;
}

IW_EXPORT("cabi_post_run")
void post_run(result_string_string_t *ret) { iw_string_free(&ret->val.ok); }
