/* usbcheck: calls every function of wasi/usb.h (component:usb@0.2.1) against the echo device
 * 1209:0001 and checks what comes back, so that a wrong core signature or layout in the bindings
 * (or a host that answers differently from its documentation) shows up as a FAILED line. Needs
 * the echo device granted with both its interfaces. Prints `ok WHAT` per check, `FAILED WHAT: ...`
 * otherwise, then `N checks, M failed`; exits 1 if any failed.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#include <ironwasm/usb_util.h>
#include <stdio.h>
#include <string.h>

static int checks, failures;

static void check(int passed, const char *what, const char *detail) {
  checks++;
  if (passed) {
    printf("ok %s\n", what);
  } else {
    failures++;
    printf("FAILED %s: %s\n", what, detail);
  }
}

/* A void result: ok, or the error expected (-1: expect ok). */
static void check_void(const wasi_usb_result_void_t *r, int expected_error, const char *what) {
  char detail[96];
  if (expected_error < 0) {
    snprintf(detail, sizeof detail, "error %s", r->is_err ? wasi_usb_libusb_error_name(r->val.err) : "");
    check(!r->is_err, what, detail);
  } else {
    snprintf(detail, sizeof detail, "got %s, expected %s", r->is_err ? wasi_usb_libusb_error_name(r->val.err) : "ok",
             wasi_usb_libusb_error_name((wasi_usb_libusb_error_t)expected_error));
    check(r->is_err && r->val.err == expected_error, what, detail);
  }
}

static wasi_usb_own_transfer_t new_transfer(wasi_usb_borrow_device_handle_t dev, wasi_usb_transfer_type_t type, uint8_t endpoint, uint32_t size,
                                            uint32_t packets, wasi_usb_result_transfer_t *made) {
  wasi_usb_transfer_setup_t none = {0, 0, 0, 0};
  wasi_usb_transfer_options_t opts = {endpoint, 0, 0, packets};
  wasi_usb_method_device_handle_new_transfer(dev, type, none, size, opts, made);
  return made->is_err ? (wasi_usb_own_transfer_t){0} : made->val.ok;
}

/* Sends `length` bytes out through bulk and awaits them back with a landing buffer of `capacity`
 * bytes (cabi.h): 1 if the data came back correct in the landing buffer, 0 if correct elsewhere,
 * -1 on an error or wrong data, -2 if the allocation left the landing buffer set (it serves one). */
static int landed_echo(wasi_usb_borrow_device_handle_t dev, const uint8_t *out, uint32_t length, uint32_t capacity) {
  if (usb_bulk_transfer(dev, 0x01, (uint8_t *)out, length, 1000) != (int)length) return -1;
  wasi_usb_result_transfer_t made;
  wasi_usb_own_transfer_t xfer = new_transfer(dev, WASI_USB_TRANSFER_TYPE_BULK, 0x81, length, 0, &made);
  if (made.is_err) return -1;
  wasi_usb_result_void_t submitted;
  wasi_usb_method_transfer_submit_transfer(wasi_usb_borrow_transfer(xfer), NULL, 0, &submitted);
  if (submitted.is_err) {
    wasi_usb_transfer_drop_own(xfer);
    return -1;
  }
  static uint8_t landing[64];
  iw_landing_set(landing, capacity);
  wasi_usb_result_list_u8_t done;
  wasi_usb_await_transfer(xfer, &done);
  int consumed = iw_landing_buffer == NULL;
  iw_landing_clear();
  int landed = !done.is_err && done.val.ok.ptr == landing;
  if (done.is_err) return -1;
  int same = done.val.ok.len == length && memcmp(done.val.ok.ptr, out, length) == 0;
  if (!landed) IW_LIST_FREE(&done.val.ok);
  if (!same) return -1;
  return consumed ? landed : -2;
}

int main(void) {
  char detail[128];
  wasi_usb_result_void_t v;

  wasi_usb_init(&v);
  check_void(&v, -1, "init");

  wasi_usb_result_list_device_entry_t listed;
  wasi_usb_list_devices(&listed);
  check(!listed.is_err, "list-devices", "error");
  if (listed.is_err) return 1;
  wasi_usb_device_entry_t *echo = NULL;
  for (size_t i = 0; i < listed.val.ok.len; i++)
    if (listed.val.ok.ptr[i].descriptor.vendor_id == 0x1209 && listed.val.ok.ptr[i].descriptor.product_id == 0x0001) echo = &listed.val.ok.ptr[i];
  check(echo != NULL, "the echo device is listed", "not visible");
  if (echo == NULL) return 1;
  snprintf(detail, sizeof detail, "length %u type %u bcdUSB %04x max packet %u configurations %u speed %u", echo->descriptor.length,
           echo->descriptor.descriptor_type, echo->descriptor.usb_version_bcd, echo->descriptor.max_packet_size0, echo->descriptor.num_configurations,
           echo->location.speed);
  check(echo->descriptor.length == 18 && echo->descriptor.descriptor_type == 1 && echo->descriptor.usb_version_bcd == 0x0200 &&
            echo->descriptor.max_packet_size0 == 64 && echo->descriptor.num_configurations == 1 && echo->location.speed == WASI_USB_SPEED_HIGH,
        "device descriptor and location", detail);
  wasi_usb_borrow_usb_device_t device = wasi_usb_borrow_usb_device(echo->device);

  wasi_usb_result_configuration_descriptor_t config;
  wasi_usb_method_usb_device_get_configuration_descriptor(device, 0, &config);
  int config_ok = !config.is_err && config.val.ok.configuration_value == 1 && config.val.ok.interfaces.len == 3 &&
                  config.val.ok.interfaces.ptr[0].endpoints.len == 4 && config.val.ok.interfaces.ptr[2].alternate_setting == 1 &&
                  config.val.ok.interfaces.ptr[2].endpoints.ptr[1].endpoint_address == 0x83 &&
                  config.val.ok.interfaces.ptr[2].endpoints.ptr[1].max_packet_size == 1024;
  check(config_ok, "get-configuration-descriptor 0", "unexpected descriptor");
  wasi_usb_result_configuration_descriptor_free(&config);
  wasi_usb_method_usb_device_get_configuration_descriptor(device, 1, &config);
  check(config.is_err && config.val.err == WASI_USB_LIBUSB_ERROR_NOT_FOUND, "get-configuration-descriptor 1 is not-found", "no error");
  wasi_usb_result_configuration_descriptor_free(&config);
  wasi_usb_method_usb_device_get_configuration_descriptor_by_value(device, 1, &config);
  check(!config.is_err && config.val.ok.interfaces.len == 3 && config.val.ok.total_length == 78, "get-configuration-descriptor-by-value 1", "unexpected");
  wasi_usb_result_configuration_descriptor_free(&config);
  wasi_usb_method_usb_device_get_configuration_descriptor_by_value(device, 7, &config);
  check(config.is_err && config.val.err == WASI_USB_LIBUSB_ERROR_NOT_FOUND, "get-configuration-descriptor-by-value 7 is not-found", "no error");
  wasi_usb_result_configuration_descriptor_free(&config);
  wasi_usb_method_usb_device_get_active_configuration_descriptor(device, &config);
  check(!config.is_err && config.val.ok.configuration_value == 1, "get-active-configuration-descriptor", "unexpected");
  wasi_usb_result_configuration_descriptor_free(&config);

  wasi_usb_result_device_handle_t opened;
  wasi_usb_method_usb_device_open(device, &opened);
  check(!opened.is_err, "open", "error");
  if (opened.is_err) return 1;
  wasi_usb_own_device_handle_t handle = opened.val.ok;
  wasi_usb_borrow_device_handle_t dev = wasi_usb_borrow_device_handle(handle);
  wasi_usb_result_device_handle_t again;
  wasi_usb_method_usb_device_open(device, &again);
  check(again.is_err && again.val.err == WASI_USB_LIBUSB_ERROR_ACCESS, "a second open is access (exclusive)", "opened twice");
  if (!again.is_err) wasi_usb_device_handle_drop_own(again.val.ok);

  wasi_usb_result_u8_t current;
  wasi_usb_method_device_handle_get_configuration(dev, &current);
  check(!current.is_err && current.val.ok == 1, "get-configuration is 1", "unexpected");
  wasi_usb_config_value_t unconfigured = {WASI_USB_CONFIG_VALUE_UNCONFIGURED, {0}};
  wasi_usb_method_device_handle_set_configuration(dev, unconfigured, &v);
  check_void(&v, -1, "set-configuration unconfigured");
  wasi_usb_method_device_handle_get_configuration(dev, &current);
  check(!current.is_err && current.val.ok == 0, "get-configuration is 0 when unconfigured", "unexpected");
  wasi_usb_config_value_t one = {WASI_USB_CONFIG_VALUE_VALUE, {1}};
  wasi_usb_method_device_handle_set_configuration(dev, one, &v);
  check_void(&v, -1, "set-configuration 1");
  wasi_usb_method_device_handle_get_configuration(dev, &current);
  check(!current.is_err && current.val.ok == 1, "get-configuration is 1 again", "unexpected");

  wasi_usb_result_bool_t active;
  wasi_usb_method_device_handle_kernel_driver_active(dev, 0, &active);
  check(!active.is_err && !active.val.ok, "kernel-driver-active 0 is false", "unexpected");
  wasi_usb_method_device_handle_detach_kernel_driver(dev, 0, &v);
  check_void(&v, WASI_USB_LIBUSB_ERROR_NOT_FOUND, "detach-kernel-driver without a driver is not-found");
  wasi_usb_method_device_handle_claim_interface(dev, 0, &v);
  check_void(&v, -1, "claim-interface 0");
  wasi_usb_method_device_handle_claim_interface(dev, 1, &v);
  check_void(&v, -1, "claim-interface 1");
  wasi_usb_method_device_handle_set_interface_altsetting(dev, 1, 1, &v);
  check_void(&v, -1, "set-interface-altsetting 1 1");

  const uint8_t stream_endpoints[] = {0x01, 0x81};
  wasi_usb_method_device_handle_alloc_streams(dev, 2, stream_endpoints, sizeof stream_endpoints, &v);
  check_void(&v, WASI_USB_LIBUSB_ERROR_NOT_SUPPORTED, "alloc-streams on a USB 2.0 device is not-supported");
  wasi_usb_method_device_handle_free_streams(dev, stream_endpoints, sizeof stream_endpoints, &v);
  check_void(&v, WASI_USB_LIBUSB_ERROR_NOT_SUPPORTED, "free-streams on a USB 2.0 device is not-supported");

  /* A bulk IN with nothing to read waits: cancel it, then await says interrupted. */
  wasi_usb_result_transfer_t made;
  wasi_usb_own_transfer_t xfer = new_transfer(dev, WASI_USB_TRANSFER_TYPE_BULK, 0x81, 64, 0, &made);
  check(!made.is_err, "new-transfer bulk IN", "error");
  wasi_usb_method_transfer_submit_transfer(wasi_usb_borrow_transfer(xfer), NULL, 0, &v);
  check_void(&v, -1, "submit-transfer");
  wasi_usb_method_transfer_cancel_transfer(wasi_usb_borrow_transfer(xfer), &v);
  check_void(&v, -1, "cancel-transfer");
  wasi_usb_result_list_u8_t done;
  wasi_usb_await_transfer(xfer, &done);
  check(done.is_err && done.val.err == WASI_USB_LIBUSB_ERROR_INTERRUPTED, "await-transfer of a cancelled transfer is interrupted", "unexpected");
  wasi_usb_result_list_u8_free(&done);

  /* A pending transfer dropped instead of awaited is cancelled and given back. */
  xfer = new_transfer(dev, WASI_USB_TRANSFER_TYPE_INTERRUPT, 0x82, 64, 0, &made);
  wasi_usb_method_transfer_submit_transfer(wasi_usb_borrow_transfer(xfer), NULL, 0, &v);
  wasi_usb_transfer_drop_own(xfer);
  check(!made.is_err && !v.is_err, "drop of a pending transfer", "error");

  xfer = new_transfer(dev, WASI_USB_TRANSFER_TYPE_BULK, 0x01, 4, 0, &made);
  wasi_usb_await_transfer(xfer, &done);
  check(done.is_err && done.val.err == WASI_USB_LIBUSB_ERROR_NOT_FOUND, "await-transfer of a transfer never submitted is not-found", "unexpected");
  wasi_usb_result_list_u8_free(&done);

  xfer = new_transfer(dev, WASI_USB_TRANSFER_TYPE_BULK, 0x01, 4, 0, &made);
  const uint8_t too_long[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  wasi_usb_method_transfer_submit_transfer(wasi_usb_borrow_transfer(xfer), too_long, sizeof too_long, &v);
  check_void(&v, WASI_USB_LIBUSB_ERROR_OVERFLOW, "submit-transfer of more than buf-size is overflow");
  wasi_usb_transfer_drop_own(xfer);

  new_transfer(dev, WASI_USB_TRANSFER_TYPE_ISOCHRONOUS, 0x83, 64, 0, &made);
  check(made.is_err && made.val.err == WASI_USB_LIBUSB_ERROR_INVALID_PARAM, "new-transfer isochronous without packets is invalid-param", "unexpected");

  /* Round trips on every type after all that: the bindings move bytes both ways. */
  uint8_t out[16], in[16];
  for (int i = 0; i < 16; i++) out[i] = (uint8_t)(0xa0 + i);
  int rc = usb_bulk_transfer(dev, 0x01, out, 16, 1000);
  int back = rc == 16 ? usb_bulk_transfer(dev, 0x81, in, 16, 1000) : rc;
  check(back == 16 && memcmp(in, out, 16) == 0, "bulk round trip", usb_strerror(back));
  check(landed_echo(dev, out, 16, 16) == 1, "an IN transfer's data lands in the landing buffer, which serves it only", "it was put elsewhere or stayed set");
  check(landed_echo(dev, out, 16, 8) == 0, "a landing buffer too small is not used, and is dropped", "it was used or stayed set");
  rc = usb_interrupt_transfer(dev, 0x02, out, 8, 1000);
  back = rc == 8 ? usb_interrupt_transfer(dev, 0x82, in, 8, 1000) : rc;
  check(back == 8 && memcmp(in, out, 8) == 0, "interrupt round trip", usb_strerror(back));
  rc = usb_iso_transfer(dev, 0x03, out, 16, 2, 1000);
  back = rc == 16 ? usb_iso_transfer(dev, 0x83, in, 16, 2, 1000) : rc;
  check(back == 16 && memcmp(in, out, 16) == 0, "isochronous round trip, 2 packets", usb_strerror(back));
  rc = usb_control_transfer(dev, 0x40, 0x01, 0, 0, out, 12, 1000);
  back = rc == 12 ? usb_control_transfer(dev, 0xC0, 0x01, 0, 0, in, 12, 1000) : rc;
  check(back == 12 && memcmp(in, out, 12) == 0, "control round trip", usb_strerror(back));

  wasi_usb_method_device_handle_clear_halt(dev, 0x81, &v);
  check_void(&v, -1, "clear-halt 0x81");
  wasi_usb_method_device_handle_release_interface(dev, 1, &v);
  check_void(&v, -1, "release-interface 1");
  wasi_usb_method_device_handle_reset_device(dev, &v);
  check_void(&v, -1, "reset-device");
  wasi_usb_method_device_handle_attach_kernel_driver(dev, 0, &v);
  check_void(&v, WASI_USB_LIBUSB_ERROR_NOT_FOUND, "attach-kernel-driver without a driver for it is not-found");

  wasi_usb_result_void_t hot;
  wasi_usb_enable_hotplug(&hot);
  check_void(&hot, -1, "enable-hotplug");
  wasi_usb_list_hotplug_entry_t events;
  wasi_usb_poll_events(&events);
  check(events.len == 0, "poll-events is empty when nothing changed", "events");
  wasi_usb_list_hotplug_entry_free(&events);

  wasi_usb_method_device_handle_close(dev);
  wasi_usb_method_device_handle_get_configuration(dev, &current);
  check(current.is_err && current.val.err == WASI_USB_LIBUSB_ERROR_INVALID_PARAM, "a closed handle answers invalid-param", "unexpected");
  wasi_usb_device_handle_drop_own(handle);
  wasi_usb_method_usb_device_open(device, &opened);
  check(!opened.is_err, "open again after close", "error");
  if (!opened.is_err) usb_close(opened.val.ok);
  wasi_usb_list_device_entry_free(&listed.val.ok);

  printf("%d checks, %d failed\n", checks, failures);
  return failures != 0;
}
