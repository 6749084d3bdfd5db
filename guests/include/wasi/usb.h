/* Bindings for component:usb@0.2.1 (WASI-USB, wit/deps/wasi-usb): the interfaces `errors`,
 * `configuration`, `descriptors`, `transfers`, `device` and `usb-hotplug`, all imported from the
 * host. Written by hand with ironwasm/cabi.h the way guests/include/README.md describes; every type
 * stored in memory has its canonical ABI layout checked at compile time. ironwasm/usb_util.h adds
 * synchronous transfers and other conveniences on top.
 *
 * A guest finds devices with `list-devices` (only those its policy lets it see), opens one
 * (`usb-device.open` -> `device-handle`), claims interfaces, and moves data with transfers: every
 * transfer is `new-transfer`, `submit-transfer`, `await-transfer` (which consumes the transfer).
 * Every result<_, libusb-error> (and result<u8|bool, libusb-error>) flattens to 2 values, so it
 * comes back through a return area, like every other result here.
 *
 * Core imports, module "component:usb/device@0.2.1":
 *   init                                          (ret) -> ()                     [i32]
 *   list-devices                                  (ret) -> ()                     [i32]
 *   [method]usb-device.open                       (self, ret) -> ()               [i32 i32]
 *   [method]usb-device.get-configuration-descriptor          (self, index, ret)   [i32 i32 i32]
 *   [method]usb-device.get-configuration-descriptor-by-value (self, value, ret)   [i32 i32 i32]
 *   [method]usb-device.get-active-configuration-descriptor   (self, ret)          [i32 i32]
 *   [method]device-handle.get-configuration       (self, ret)                     [i32 i32]
 *   [method]device-handle.set-configuration       (self, case, value, ret)        [i32 i32 i32 i32]
 *   [method]device-handle.claim-interface         (self, ifac, ret)               [i32 i32 i32]
 *   [method]device-handle.release-interface       (self, ifac, ret)               [i32 i32 i32]
 *   [method]device-handle.set-interface-altsetting (self, ifac, alt, ret)         [i32 i32 i32 i32]
 *   [method]device-handle.clear-halt              (self, endpoint, ret)           [i32 i32 i32]
 *   [method]device-handle.reset-device            (self, ret)                     [i32 i32]
 *   [method]device-handle.alloc-streams           (self, n, eps_ptr, eps_len, ret) [i32 x5]
 *   [method]device-handle.free-streams            (self, eps_ptr, eps_len, ret)   [i32 x4]
 *   [method]device-handle.kernel-driver-active    (self, ifac, ret)               [i32 i32 i32]
 *   [method]device-handle.detach-kernel-driver    (self, ifac, ret)               [i32 i32 i32]
 *   [method]device-handle.attach-kernel-driver    (self, ifac, ret)               [i32 i32 i32]
 *   [method]device-handle.new-transfer            (self, type, bm_request_type, b_request, w_value,
 *                                                  w_index, buf_size, endpoint, timeout_ms,
 *                                                  stream_id, iso_packets, ret) -> ()  [i32 x12]
 *   [method]device-handle.close                   (self) -> ()                    [i32]
 *   [resource-drop]usb-device, [resource-drop]device-handle  (handle) -> ()       [i32]
 * module "component:usb/transfers@0.2.1":
 *   [method]transfer.submit-transfer              (self, data_ptr, data_len, ret) [i32 x4]
 *   [method]transfer.cancel-transfer              (self, ret)                     [i32 i32]
 *   await-transfer                                (own transfer, ret)             [i32 i32]
 *   [resource-drop]transfer                       (handle) -> ()                  [i32]
 * module "component:usb/usb-hotplug@0.2.1":
 *   enable-hotplug                                (ret) -> ()                     [i32]
 *   poll-events                                   (ret) -> ()                     [i32]
 * (`errors`, `configuration` and `descriptors` have types only.) guests/usb/usbcheck.c calls every
 * one of them against the simulated echo device (tests/IronWasm.Hardware.Tests/Usb/Guests).
 */
#ifndef WASI_USB_H
#define WASI_USB_H

#include <ironwasm/cabi.h>

#define WASI_USB_DEVICE_INTERFACE "component:usb/device@0.2.1"
#define WASI_USB_TRANSFERS_INTERFACE "component:usb/transfers@0.2.1"
#define WASI_USB_HOTPLUG_INTERFACE "component:usb/usb-hotplug@0.2.1"

/* --- component:usb/errors --- */

/* enum libusb-error: libusb's errors in its order, so case N is libusb's -(N + 1) (but `other`,
 * which libusb numbers -99). */
typedef iw_discriminant_t wasi_usb_libusb_error_t;
#define WASI_USB_LIBUSB_ERROR_IO 0
#define WASI_USB_LIBUSB_ERROR_INVALID_PARAM 1
#define WASI_USB_LIBUSB_ERROR_ACCESS 2
#define WASI_USB_LIBUSB_ERROR_NO_DEVICE 3
#define WASI_USB_LIBUSB_ERROR_NOT_FOUND 4
#define WASI_USB_LIBUSB_ERROR_BUSY 5
#define WASI_USB_LIBUSB_ERROR_TIMEOUT 6
#define WASI_USB_LIBUSB_ERROR_OVERFLOW 7
#define WASI_USB_LIBUSB_ERROR_PIPE 8
#define WASI_USB_LIBUSB_ERROR_INTERRUPTED 9
#define WASI_USB_LIBUSB_ERROR_NO_MEM 10
#define WASI_USB_LIBUSB_ERROR_NOT_SUPPORTED 11
#define WASI_USB_LIBUSB_ERROR_OTHER 12

/* --- component:usb/configuration --- */

/* variant config-value { unconfigured, value(u8) }. Flat: [i32 case, i32 value]. */
typedef struct wasi_usb_config_value {
  iw_discriminant_t tag;
  union {
    uint8_t value;
  } val;
} wasi_usb_config_value_t;
#define WASI_USB_CONFIG_VALUE_UNCONFIGURED 0
#define WASI_USB_CONFIG_VALUE_VALUE 1
IW_ASSERT_LAYOUT(wasi_usb_config_value_t, 2, 1);
IW_ASSERT_OFFSET(wasi_usb_config_value_t, val, 1);

/* --- component:usb/descriptors --- */

/* record device-descriptor: USB 2.0 table 9-8's fields, bcd values as u16. */
typedef struct wasi_usb_device_descriptor {
  uint8_t length;
  uint8_t descriptor_type;
  uint16_t usb_version_bcd;
  uint8_t device_class;
  uint8_t device_subclass;
  uint8_t device_protocol;
  uint8_t max_packet_size0;
  uint16_t vendor_id;
  uint16_t product_id;
  uint16_t device_version_bcd;
  uint8_t manufacturer_index;
  uint8_t product_index;
  uint8_t serial_number_index;
  uint8_t num_configurations;
} wasi_usb_device_descriptor_t;
IW_ASSERT_LAYOUT(wasi_usb_device_descriptor_t, 18, 2);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, usb_version_bcd, 2);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, device_class, 4);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, max_packet_size0, 7);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, vendor_id, 8);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, product_id, 10);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, device_version_bcd, 12);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, manufacturer_index, 14);
IW_ASSERT_OFFSET(wasi_usb_device_descriptor_t, num_configurations, 17);

/* record endpoint-descriptor: 7 bytes of fields, padded to u16 alignment. */
typedef struct wasi_usb_endpoint_descriptor {
  uint8_t length;
  uint8_t descriptor_type;
  uint8_t endpoint_address;
  uint8_t attributes;
  uint16_t max_packet_size;
  uint8_t interval;
  uint8_t refresh;
  uint8_t synch_address;
} wasi_usb_endpoint_descriptor_t;
IW_ASSERT_LAYOUT(wasi_usb_endpoint_descriptor_t, 10, 2);
IW_ASSERT_OFFSET(wasi_usb_endpoint_descriptor_t, attributes, 3);
IW_ASSERT_OFFSET(wasi_usb_endpoint_descriptor_t, max_packet_size, 4);
IW_ASSERT_OFFSET(wasi_usb_endpoint_descriptor_t, interval, 6);
IW_ASSERT_OFFSET(wasi_usb_endpoint_descriptor_t, synch_address, 8);

typedef IW_LIST(wasi_usb_endpoint_descriptor_t) wasi_usb_list_endpoint_descriptor_t;
IW_ASSERT_LAYOUT(wasi_usb_list_endpoint_descriptor_t, 8, 4);

/* record interface-descriptor: one alternate setting of an interface. */
typedef struct wasi_usb_interface_descriptor {
  uint8_t length;
  uint8_t descriptor_type;
  uint8_t interface_number;
  uint8_t alternate_setting;
  wasi_usb_list_endpoint_descriptor_t endpoints;
  uint8_t interface_class;
  uint8_t interface_subclass;
  uint8_t interface_protocol;
  uint8_t interface_index;
} wasi_usb_interface_descriptor_t;
IW_ASSERT_LAYOUT(wasi_usb_interface_descriptor_t, 16, 4);
IW_ASSERT_OFFSET(wasi_usb_interface_descriptor_t, alternate_setting, 3);
IW_ASSERT_OFFSET(wasi_usb_interface_descriptor_t, endpoints, 4);
IW_ASSERT_OFFSET(wasi_usb_interface_descriptor_t, interface_class, 12);
IW_ASSERT_OFFSET(wasi_usb_interface_descriptor_t, interface_index, 15);

typedef IW_LIST(wasi_usb_interface_descriptor_t) wasi_usb_list_interface_descriptor_t;
IW_ASSERT_LAYOUT(wasi_usb_list_interface_descriptor_t, 8, 4);

/* record configuration-descriptor: every alternate setting of every interface, in order. */
typedef struct wasi_usb_configuration_descriptor {
  uint8_t length;
  uint8_t descriptor_type;
  uint16_t total_length;
  wasi_usb_list_interface_descriptor_t interfaces;
  uint8_t configuration_value;
  uint8_t configuration_index;
  uint8_t attributes;
  uint8_t max_power; /* in 2 mA units (high speed and below) */
} wasi_usb_configuration_descriptor_t;
IW_ASSERT_LAYOUT(wasi_usb_configuration_descriptor_t, 16, 4);
IW_ASSERT_OFFSET(wasi_usb_configuration_descriptor_t, total_length, 2);
IW_ASSERT_OFFSET(wasi_usb_configuration_descriptor_t, interfaces, 4);
IW_ASSERT_OFFSET(wasi_usb_configuration_descriptor_t, configuration_value, 12);
IW_ASSERT_OFFSET(wasi_usb_configuration_descriptor_t, max_power, 15);

/* --- component:usb/transfers types --- */

/* enum transfer-type { control, bulk, interrupt, isochronous } */
typedef iw_discriminant_t wasi_usb_transfer_type_t;
#define WASI_USB_TRANSFER_TYPE_CONTROL 0
#define WASI_USB_TRANSFER_TYPE_BULK 1
#define WASI_USB_TRANSFER_TYPE_INTERRUPT 2
#define WASI_USB_TRANSFER_TYPE_ISOCHRONOUS 3

/* record transfer-setup: a control transfer's setup packet without wLength (the host takes it from
 * the OUT data's length, or buf-size for IN). Other transfer types pass zeros. */
typedef struct wasi_usb_transfer_setup {
  uint8_t bm_request_type;
  uint8_t b_request;
  uint16_t w_value;
  uint16_t w_index;
} wasi_usb_transfer_setup_t;
IW_ASSERT_LAYOUT(wasi_usb_transfer_setup_t, 6, 2);
IW_ASSERT_OFFSET(wasi_usb_transfer_setup_t, w_value, 2);
IW_ASSERT_OFFSET(wasi_usb_transfer_setup_t, w_index, 4);

/* record transfer-options: endpoint (ignored for control), timeout (0: none), bulk stream id,
 * number of isochronous packets (buf-size is split evenly between them). */
typedef struct wasi_usb_transfer_options {
  uint8_t endpoint;
  uint32_t timeout_ms;
  uint32_t stream_id;
  uint32_t iso_packets;
} wasi_usb_transfer_options_t;
IW_ASSERT_LAYOUT(wasi_usb_transfer_options_t, 16, 4);
IW_ASSERT_OFFSET(wasi_usb_transfer_options_t, timeout_ms, 4);
IW_ASSERT_OFFSET(wasi_usb_transfer_options_t, stream_id, 8);
IW_ASSERT_OFFSET(wasi_usb_transfer_options_t, iso_packets, 12);

/* --- component:usb/device types --- */

/* enum usb-speed */
typedef iw_discriminant_t wasi_usb_speed_t;
#define WASI_USB_SPEED_UNKNOWN 0
#define WASI_USB_SPEED_LOW 1
#define WASI_USB_SPEED_FULL 2
#define WASI_USB_SPEED_HIGH 3
#define WASI_USB_SPEED_SUPER 4
#define WASI_USB_SPEED_SUPER_PLUS 5
#define WASI_USB_SPEED_SUPER_PLUS_X2 6

/* record device-location */
typedef struct wasi_usb_device_location {
  uint8_t bus_number;
  uint8_t device_address;
  uint8_t port_number;
  wasi_usb_speed_t speed;
} wasi_usb_device_location_t;
IW_ASSERT_LAYOUT(wasi_usb_device_location_t, 4, 1);
IW_ASSERT_OFFSET(wasi_usb_device_location_t, speed, 3);

/* Handles of the host's resources: own (ours to drop) and borrow (lent for one call). */
typedef struct wasi_usb_own_usb_device {
  iw_handle_t handle;
} wasi_usb_own_usb_device_t;
typedef struct wasi_usb_borrow_usb_device {
  iw_handle_t handle;
} wasi_usb_borrow_usb_device_t;
typedef struct wasi_usb_own_device_handle {
  iw_handle_t handle;
} wasi_usb_own_device_handle_t;
typedef struct wasi_usb_borrow_device_handle {
  iw_handle_t handle;
} wasi_usb_borrow_device_handle_t;
typedef struct wasi_usb_own_transfer {
  iw_handle_t handle;
} wasi_usb_own_transfer_t;
typedef struct wasi_usb_borrow_transfer {
  iw_handle_t handle;
} wasi_usb_borrow_transfer_t;

static inline wasi_usb_borrow_usb_device_t wasi_usb_borrow_usb_device(wasi_usb_own_usb_device_t own) { return (wasi_usb_borrow_usb_device_t){own.handle}; }
static inline wasi_usb_borrow_device_handle_t wasi_usb_borrow_device_handle(wasi_usb_own_device_handle_t own) {
  return (wasi_usb_borrow_device_handle_t){own.handle};
}
static inline wasi_usb_borrow_transfer_t wasi_usb_borrow_transfer(wasi_usb_own_transfer_t own) { return (wasi_usb_borrow_transfer_t){own.handle}; }

/* tuple<usb-device, device-descriptor, device-location>: an entry of list-devices. */
typedef struct wasi_usb_device_entry {
  wasi_usb_own_usb_device_t device;
  wasi_usb_device_descriptor_t descriptor;
  wasi_usb_device_location_t location;
} wasi_usb_device_entry_t;
IW_ASSERT_LAYOUT(wasi_usb_device_entry_t, 28, 4);
IW_ASSERT_OFFSET(wasi_usb_device_entry_t, descriptor, 4);
IW_ASSERT_OFFSET(wasi_usb_device_entry_t, location, 22);

typedef IW_LIST(wasi_usb_device_entry_t) wasi_usb_list_device_entry_t;
IW_ASSERT_LAYOUT(wasi_usb_list_device_entry_t, 8, 4);

typedef IW_LIST(uint8_t) wasi_usb_list_u8_t;
IW_ASSERT_LAYOUT(wasi_usb_list_u8_t, 8, 4);

/* --- component:usb/usb-hotplug types --- */

/* flags event { arrived, left } */
typedef uint8_t wasi_usb_hotplug_event_t;
#define WASI_USB_HOTPLUG_EVENT_ARRIVED (1u << 0)
#define WASI_USB_HOTPLUG_EVENT_LEFT (1u << 1)

/* record info */
typedef struct wasi_usb_hotplug_info {
  uint8_t bus;
  uint8_t address;
  uint16_t vendor;
  uint16_t product;
} wasi_usb_hotplug_info_t;
IW_ASSERT_LAYOUT(wasi_usb_hotplug_info_t, 6, 2);
IW_ASSERT_OFFSET(wasi_usb_hotplug_info_t, vendor, 2);
IW_ASSERT_OFFSET(wasi_usb_hotplug_info_t, product, 4);

/* tuple<event, info, usb-device> */
typedef struct wasi_usb_hotplug_entry {
  wasi_usb_hotplug_event_t event;
  wasi_usb_hotplug_info_t info;
  wasi_usb_own_usb_device_t device;
} wasi_usb_hotplug_entry_t;
IW_ASSERT_LAYOUT(wasi_usb_hotplug_entry_t, 12, 4);
IW_ASSERT_OFFSET(wasi_usb_hotplug_entry_t, info, 2);
IW_ASSERT_OFFSET(wasi_usb_hotplug_entry_t, device, 8);

typedef IW_LIST(wasi_usb_hotplug_entry_t) wasi_usb_list_hotplug_entry_t;
IW_ASSERT_LAYOUT(wasi_usb_list_hotplug_entry_t, 8, 4);

/* --- results --- */

/* result<_, libusb-error>: both bytes, the error at 1. */
typedef IW_RESULT_ERR_ONLY(wasi_usb_libusb_error_t) wasi_usb_result_void_t;
IW_ASSERT_LAYOUT(wasi_usb_result_void_t, 2, 1);
IW_ASSERT_OFFSET(wasi_usb_result_void_t, val, 1);

/* result<u8, libusb-error>, result<bool, libusb-error> */
typedef IW_RESULT(uint8_t, wasi_usb_libusb_error_t) wasi_usb_result_u8_t;
IW_ASSERT_LAYOUT(wasi_usb_result_u8_t, 2, 1);
IW_ASSERT_OFFSET(wasi_usb_result_u8_t, val, 1);
typedef IW_RESULT(bool, wasi_usb_libusb_error_t) wasi_usb_result_bool_t;
IW_ASSERT_LAYOUT(wasi_usb_result_bool_t, 2, 1);
IW_ASSERT_OFFSET(wasi_usb_result_bool_t, val, 1);

/* result<own<device-handle>, libusb-error>, result<own<transfer>, libusb-error>: payload at 4. */
typedef IW_RESULT(wasi_usb_own_device_handle_t, wasi_usb_libusb_error_t) wasi_usb_result_device_handle_t;
IW_ASSERT_LAYOUT(wasi_usb_result_device_handle_t, 8, 4);
IW_ASSERT_OFFSET(wasi_usb_result_device_handle_t, val, 4);
typedef IW_RESULT(wasi_usb_own_transfer_t, wasi_usb_libusb_error_t) wasi_usb_result_transfer_t;
IW_ASSERT_LAYOUT(wasi_usb_result_transfer_t, 8, 4);
IW_ASSERT_OFFSET(wasi_usb_result_transfer_t, val, 4);

/* result<configuration-descriptor, libusb-error> */
typedef IW_RESULT(wasi_usb_configuration_descriptor_t, wasi_usb_libusb_error_t) wasi_usb_result_configuration_descriptor_t;
IW_ASSERT_LAYOUT(wasi_usb_result_configuration_descriptor_t, 20, 4);
IW_ASSERT_OFFSET(wasi_usb_result_configuration_descriptor_t, val, 4);

/* result<list<tuple<usb-device, device-descriptor, device-location>>, libusb-error> */
typedef IW_RESULT(wasi_usb_list_device_entry_t, wasi_usb_libusb_error_t) wasi_usb_result_list_device_entry_t;
IW_ASSERT_LAYOUT(wasi_usb_result_list_device_entry_t, 12, 4);
IW_ASSERT_OFFSET(wasi_usb_result_list_device_entry_t, val, 4);

/* result<list<u8>, libusb-error>: await-transfer's received bytes (empty for OUT). */
typedef IW_RESULT(wasi_usb_list_u8_t, wasi_usb_libusb_error_t) wasi_usb_result_list_u8_t;
IW_ASSERT_LAYOUT(wasi_usb_result_list_u8_t, 12, 4);
IW_ASSERT_OFFSET(wasi_usb_result_list_u8_t, val, 4);

/* --- the core imports --- */

IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "init")
extern void wasi_usb_import_init(wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "list-devices")
extern void wasi_usb_import_list_devices(wasi_usb_result_list_device_entry_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]usb-device.open")
extern void wasi_usb_import_method_usb_device_open(int32_t self, wasi_usb_result_device_handle_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]usb-device.get-configuration-descriptor")
extern void wasi_usb_import_method_usb_device_get_configuration_descriptor(int32_t self, int32_t config_index,
                                                                          wasi_usb_result_configuration_descriptor_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]usb-device.get-configuration-descriptor-by-value")
extern void wasi_usb_import_method_usb_device_get_configuration_descriptor_by_value(int32_t self, int32_t config_value,
                                                                                   wasi_usb_result_configuration_descriptor_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]usb-device.get-active-configuration-descriptor")
extern void wasi_usb_import_method_usb_device_get_active_configuration_descriptor(int32_t self, wasi_usb_result_configuration_descriptor_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[resource-drop]usb-device")
extern void wasi_usb_import_resource_drop_usb_device(int32_t handle);

IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.get-configuration")
extern void wasi_usb_import_method_device_handle_get_configuration(int32_t self, wasi_usb_result_u8_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.set-configuration")
extern void wasi_usb_import_method_device_handle_set_configuration(int32_t self, int32_t config_case, int32_t config_value, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.claim-interface")
extern void wasi_usb_import_method_device_handle_claim_interface(int32_t self, int32_t ifac, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.release-interface")
extern void wasi_usb_import_method_device_handle_release_interface(int32_t self, int32_t ifac, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.set-interface-altsetting")
extern void wasi_usb_import_method_device_handle_set_interface_altsetting(int32_t self, int32_t ifac, int32_t alt_setting, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.clear-halt")
extern void wasi_usb_import_method_device_handle_clear_halt(int32_t self, int32_t endpoint, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.reset-device")
extern void wasi_usb_import_method_device_handle_reset_device(int32_t self, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.alloc-streams")
extern void wasi_usb_import_method_device_handle_alloc_streams(int32_t self, int32_t num_streams, const uint8_t *endpoints, size_t endpoints_len,
                                                               wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.free-streams")
extern void wasi_usb_import_method_device_handle_free_streams(int32_t self, const uint8_t *endpoints, size_t endpoints_len, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.kernel-driver-active")
extern void wasi_usb_import_method_device_handle_kernel_driver_active(int32_t self, int32_t ifac, wasi_usb_result_bool_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.detach-kernel-driver")
extern void wasi_usb_import_method_device_handle_detach_kernel_driver(int32_t self, int32_t ifac, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.attach-kernel-driver")
extern void wasi_usb_import_method_device_handle_attach_kernel_driver(int32_t self, int32_t ifac, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.new-transfer")
extern void wasi_usb_import_method_device_handle_new_transfer(int32_t self, int32_t xfer_type, int32_t bm_request_type, int32_t b_request,
                                                              int32_t w_value, int32_t w_index, int32_t buf_size, int32_t endpoint,
                                                              int32_t timeout_ms, int32_t stream_id, int32_t iso_packets,
                                                              wasi_usb_result_transfer_t *ret);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[method]device-handle.close")
extern void wasi_usb_import_method_device_handle_close(int32_t self);
IW_IMPORT(WASI_USB_DEVICE_INTERFACE, "[resource-drop]device-handle")
extern void wasi_usb_import_resource_drop_device_handle(int32_t handle);

IW_IMPORT(WASI_USB_TRANSFERS_INTERFACE, "[method]transfer.submit-transfer")
extern void wasi_usb_import_method_transfer_submit_transfer(int32_t self, const uint8_t *data, size_t data_len, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_TRANSFERS_INTERFACE, "[method]transfer.cancel-transfer")
extern void wasi_usb_import_method_transfer_cancel_transfer(int32_t self, wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_TRANSFERS_INTERFACE, "await-transfer")
extern void wasi_usb_import_await_transfer(int32_t xfer, wasi_usb_result_list_u8_t *ret);
IW_IMPORT(WASI_USB_TRANSFERS_INTERFACE, "[resource-drop]transfer")
extern void wasi_usb_import_resource_drop_transfer(int32_t handle);

IW_IMPORT(WASI_USB_HOTPLUG_INTERFACE, "enable-hotplug")
extern void wasi_usb_import_enable_hotplug(wasi_usb_result_void_t *ret);
IW_IMPORT(WASI_USB_HOTPLUG_INTERFACE, "poll-events")
extern void wasi_usb_import_poll_events(wasi_usb_list_hotplug_entry_t *ret);

/* --- component:usb/device --- */

/* init: func() -> result<_, libusb-error>: `not-supported` when the host has no USB backend. */
static inline void wasi_usb_init(wasi_usb_result_void_t *ret) { wasi_usb_import_init(ret); }

/* list-devices: the devices the policy lets this guest see. The guest owns every entry's
 * usb-device handle: wasi_usb_list_device_entry_free drops them (set an entry's handle to 0 to
 * keep it) and frees the list. */
static inline void wasi_usb_list_devices(wasi_usb_result_list_device_entry_t *ret) { wasi_usb_import_list_devices(ret); }

/* usb-device.open: exclusive; `access` when the policy refuses or the device is open elsewhere. */
static inline void wasi_usb_method_usb_device_open(wasi_usb_borrow_usb_device_t self, wasi_usb_result_device_handle_t *ret) {
  wasi_usb_import_method_usb_device_open(self.handle, ret);
}

/* The configuration descriptors: by index (0 .. num-configurations - 1), by bConfigurationValue, or
 * the active one. Free the ok value with wasi_usb_configuration_descriptor_free. */
static inline void wasi_usb_method_usb_device_get_configuration_descriptor(wasi_usb_borrow_usb_device_t self, uint8_t config_index,
                                                                           wasi_usb_result_configuration_descriptor_t *ret) {
  wasi_usb_import_method_usb_device_get_configuration_descriptor(self.handle, config_index, ret);
}
static inline void wasi_usb_method_usb_device_get_configuration_descriptor_by_value(wasi_usb_borrow_usb_device_t self, uint8_t config_value,
                                                                                    wasi_usb_result_configuration_descriptor_t *ret) {
  wasi_usb_import_method_usb_device_get_configuration_descriptor_by_value(self.handle, config_value, ret);
}
static inline void wasi_usb_method_usb_device_get_active_configuration_descriptor(wasi_usb_borrow_usb_device_t self,
                                                                                  wasi_usb_result_configuration_descriptor_t *ret) {
  wasi_usb_import_method_usb_device_get_active_configuration_descriptor(self.handle, ret);
}

static inline void wasi_usb_usb_device_drop_own(wasi_usb_own_usb_device_t device) { wasi_usb_import_resource_drop_usb_device(device.handle); }

static inline void wasi_usb_method_device_handle_get_configuration(wasi_usb_borrow_device_handle_t self, wasi_usb_result_u8_t *ret) {
  wasi_usb_import_method_device_handle_get_configuration(self.handle, ret);
}
static inline void wasi_usb_method_device_handle_set_configuration(wasi_usb_borrow_device_handle_t self, wasi_usb_config_value_t config,
                                                                   wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_set_configuration(self.handle, config.tag, config.tag == WASI_USB_CONFIG_VALUE_VALUE ? config.val.value : 0, ret);
}
/* claim-interface: `access` when the policy does not grant the interface. */
static inline void wasi_usb_method_device_handle_claim_interface(wasi_usb_borrow_device_handle_t self, uint8_t ifac, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_claim_interface(self.handle, ifac, ret);
}
static inline void wasi_usb_method_device_handle_release_interface(wasi_usb_borrow_device_handle_t self, uint8_t ifac, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_release_interface(self.handle, ifac, ret);
}
static inline void wasi_usb_method_device_handle_set_interface_altsetting(wasi_usb_borrow_device_handle_t self, uint8_t ifac, uint8_t alt_setting,
                                                                          wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_set_interface_altsetting(self.handle, ifac, alt_setting, ret);
}
static inline void wasi_usb_method_device_handle_clear_halt(wasi_usb_borrow_device_handle_t self, uint8_t endpoint, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_clear_halt(self.handle, endpoint, ret);
}
static inline void wasi_usb_method_device_handle_reset_device(wasi_usb_borrow_device_handle_t self, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_reset_device(self.handle, ret);
}
static inline void wasi_usb_method_device_handle_alloc_streams(wasi_usb_borrow_device_handle_t self, uint32_t num_streams, const uint8_t *endpoints,
                                                               size_t endpoints_len, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_alloc_streams(self.handle, (int32_t)num_streams, endpoints, endpoints_len, ret);
}
static inline void wasi_usb_method_device_handle_free_streams(wasi_usb_borrow_device_handle_t self, const uint8_t *endpoints, size_t endpoints_len,
                                                              wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_free_streams(self.handle, endpoints, endpoints_len, ret);
}
static inline void wasi_usb_method_device_handle_kernel_driver_active(wasi_usb_borrow_device_handle_t self, uint8_t ifac, wasi_usb_result_bool_t *ret) {
  wasi_usb_import_method_device_handle_kernel_driver_active(self.handle, ifac, ret);
}
static inline void wasi_usb_method_device_handle_detach_kernel_driver(wasi_usb_borrow_device_handle_t self, uint8_t ifac, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_detach_kernel_driver(self.handle, ifac, ret);
}
static inline void wasi_usb_method_device_handle_attach_kernel_driver(wasi_usb_borrow_device_handle_t self, uint8_t ifac, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_device_handle_attach_kernel_driver(self.handle, ifac, ret);
}

/* new-transfer: a transfer of `buf_size` bytes (IN: at most that many come back; OUT: at most that
 * many may be submitted; control: the data stage). Submit it, then await it (which consumes it);
 * drop it instead to cancel and discard it. */
static inline void wasi_usb_method_device_handle_new_transfer(wasi_usb_borrow_device_handle_t self, wasi_usb_transfer_type_t xfer_type,
                                                              wasi_usb_transfer_setup_t setup, uint32_t buf_size, wasi_usb_transfer_options_t opts,
                                                              wasi_usb_result_transfer_t *ret) {
  wasi_usb_import_method_device_handle_new_transfer(self.handle, xfer_type, setup.bm_request_type, setup.b_request, setup.w_value, setup.w_index,
                                                    (int32_t)buf_size, opts.endpoint, (int32_t)opts.timeout_ms, (int32_t)opts.stream_id,
                                                    (int32_t)opts.iso_packets, ret);
}

/* close: closes the device at once (pending transfers end `no-device`); the handle stays to be dropped. */
static inline void wasi_usb_method_device_handle_close(wasi_usb_borrow_device_handle_t self) { wasi_usb_import_method_device_handle_close(self.handle); }

static inline void wasi_usb_device_handle_drop_own(wasi_usb_own_device_handle_t handle) { wasi_usb_import_resource_drop_device_handle(handle.handle); }

/* --- component:usb/transfers --- */

/* submit-transfer: OUT data (ignored for IN; pass NULL, 0). */
static inline void wasi_usb_method_transfer_submit_transfer(wasi_usb_borrow_transfer_t self, const uint8_t *data, size_t len, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_transfer_submit_transfer(self.handle, data, len, ret);
}
static inline void wasi_usb_method_transfer_cancel_transfer(wasi_usb_borrow_transfer_t self, wasi_usb_result_void_t *ret) {
  wasi_usb_import_method_transfer_cancel_transfer(self.handle, ret);
}
/* await-transfer: waits for the transfer and consumes it (do not drop it afterwards). The ok list
 * holds what an IN transfer received (isochronous: every packet's data back to back); free it with
 * IW_LIST_FREE. */
static inline void wasi_usb_await_transfer(wasi_usb_own_transfer_t xfer, wasi_usb_result_list_u8_t *ret) {
  wasi_usb_import_await_transfer(xfer.handle, ret);
}
static inline void wasi_usb_transfer_drop_own(wasi_usb_own_transfer_t xfer) { wasi_usb_import_resource_drop_transfer(xfer.handle); }

/* --- component:usb/usb-hotplug --- */

/* enable-hotplug: from now on, arrivals and departures of devices this guest may see are queued
 * (devices already present are not events: list them). */
static inline void wasi_usb_enable_hotplug(wasi_usb_result_void_t *ret) { wasi_usb_import_enable_hotplug(ret); }
/* poll-events: the queued events, oldest first, without waiting. Each carries an own usb-device:
 * free with wasi_usb_list_hotplug_entry_free. */
static inline void wasi_usb_poll_events(wasi_usb_list_hotplug_entry_t *ret) { wasi_usb_import_poll_events(ret); }

/* --- freeing what the host gave --- */

static inline void wasi_usb_configuration_descriptor_free(wasi_usb_configuration_descriptor_t *config) {
  for (size_t i = 0; i < config->interfaces.len; i++) IW_LIST_FREE(&config->interfaces.ptr[i].endpoints);
  IW_LIST_FREE(&config->interfaces);
}

static inline void wasi_usb_result_configuration_descriptor_free(wasi_usb_result_configuration_descriptor_t *result) {
  if (!result->is_err) wasi_usb_configuration_descriptor_free(&result->val.ok);
}

/* Drops every entry's usb-device handle that is not 0, then frees the list. */
static inline void wasi_usb_list_device_entry_free(wasi_usb_list_device_entry_t *list) {
  for (size_t i = 0; i < list->len; i++)
    if (list->ptr[i].device.handle != 0) wasi_usb_usb_device_drop_own(list->ptr[i].device);
  IW_LIST_FREE(list);
}

static inline void wasi_usb_list_hotplug_entry_free(wasi_usb_list_hotplug_entry_t *list) {
  for (size_t i = 0; i < list->len; i++)
    if (list->ptr[i].device.handle != 0) wasi_usb_usb_device_drop_own(list->ptr[i].device);
  IW_LIST_FREE(list);
}

static inline void wasi_usb_result_list_u8_free(wasi_usb_result_list_u8_t *result) {
  if (!result->is_err) IW_LIST_FREE(&result->val.ok);
}

/* The WIT name of an error, e.g. "access", for messages. */
static inline const char *wasi_usb_libusb_error_name(wasi_usb_libusb_error_t error) {
  switch (error) {
    case WASI_USB_LIBUSB_ERROR_IO: return "io";
    case WASI_USB_LIBUSB_ERROR_INVALID_PARAM: return "invalid-param";
    case WASI_USB_LIBUSB_ERROR_ACCESS: return "access";
    case WASI_USB_LIBUSB_ERROR_NO_DEVICE: return "no-device";
    case WASI_USB_LIBUSB_ERROR_NOT_FOUND: return "not-found";
    case WASI_USB_LIBUSB_ERROR_BUSY: return "busy";
    case WASI_USB_LIBUSB_ERROR_TIMEOUT: return "timeout";
    case WASI_USB_LIBUSB_ERROR_OVERFLOW: return "overflow";
    case WASI_USB_LIBUSB_ERROR_PIPE: return "pipe";
    case WASI_USB_LIBUSB_ERROR_INTERRUPTED: return "interrupted";
    case WASI_USB_LIBUSB_ERROR_NO_MEM: return "no-mem";
    case WASI_USB_LIBUSB_ERROR_NOT_SUPPORTED: return "not-supported";
    default: return "other";
  }
}

#endif /* WASI_USB_H */
