/* Bindings for wasi:spi (wit/deps/wasi-spi, an unversioned package): the interface `spi`, imported
 * from the host. Written by hand with ironwasm/cabi.h the way guests/include/README.md describes.
 *
 * Core imports (module "wasi:spi/spi": no version, so no "@..."):
 *   open                          (name_ptr, name_len, ret) -> ()          [i32 i32 i32]
 *   [method]spi-device.read       (self, len: i64, ret) -> ()              [i32 i64 i32]
 *   [method]spi-device.write      (self, data_ptr, data_len, ret) -> ()    [i32 i32 i32 i32]
 *   [method]spi-device.transfer   (self, data_ptr, data_len, ret) -> ()    [i32 i32 i32 i32]
 *   [method]spi-device.transaction(self, ops_ptr, ops_len, ret) -> ()      [i32 i32 i32 i32]
 *   [resource-drop]spi-device     (handle) -> ()
 *
 * Each method call is one chip-select frame: CS is asserted for the whole call (all operations of
 * a transaction) and released after it.
 */
#ifndef WASI_SPI_H
#define WASI_SPI_H

#include <ironwasm/cabi.h>

#define WASI_SPI_INTERFACE "wasi:spi/spi"

typedef IW_LIST(uint8_t) wasi_spi_list_u8_t;
IW_ASSERT_LAYOUT(wasi_spi_list_u8_t, 8, 4);

/* variant error { overrun, mode-fault, frame-format, chip-select-fault, other(string) }.
 * Flat: [i32 case, i32 ptr, i32 len]. An `other` message belongs to the guest (free it). */
typedef struct wasi_spi_error {
  iw_discriminant_t tag;
  union {
    iw_string_t other;
  } val;
} wasi_spi_error_t;
#define WASI_SPI_ERROR_OVERRUN 0
#define WASI_SPI_ERROR_MODE_FAULT 1
#define WASI_SPI_ERROR_FRAME_FORMAT 2
#define WASI_SPI_ERROR_CHIP_SELECT_FAULT 3
#define WASI_SPI_ERROR_OTHER 4
IW_ASSERT_LAYOUT(wasi_spi_error_t, 12, 4);
IW_ASSERT_OFFSET(wasi_spi_error_t, val, 4);

/* variant operation { read(u64), write(list<u8>), transfer(list<u8>), delay-ns(u32) }: payload at
 * the u64's alignment. Flat: [i32 case, i64, i32]. */
typedef struct wasi_spi_operation {
  iw_discriminant_t tag;
  union {
    uint64_t read;
    wasi_spi_list_u8_t write;
    wasi_spi_list_u8_t transfer;
    uint32_t delay_ns;
  } val;
} wasi_spi_operation_t;
#define WASI_SPI_OPERATION_READ 0
#define WASI_SPI_OPERATION_WRITE 1
#define WASI_SPI_OPERATION_TRANSFER 2
#define WASI_SPI_OPERATION_DELAY_NS 3
IW_ASSERT_LAYOUT(wasi_spi_operation_t, 16, 8);
IW_ASSERT_OFFSET(wasi_spi_operation_t, val, 8);

typedef IW_LIST(wasi_spi_operation_t) wasi_spi_list_operation_t;
IW_ASSERT_LAYOUT(wasi_spi_list_operation_t, 8, 4);

/* variant operation-result { read(list<u8>), write, transfer(list<u8>), delay }: one per operation. */
typedef struct wasi_spi_operation_result {
  iw_discriminant_t tag;
  union {
    wasi_spi_list_u8_t read;
    wasi_spi_list_u8_t transfer;
  } val;
} wasi_spi_operation_result_t;
#define WASI_SPI_OPERATION_RESULT_READ 0
#define WASI_SPI_OPERATION_RESULT_WRITE 1
#define WASI_SPI_OPERATION_RESULT_TRANSFER 2
#define WASI_SPI_OPERATION_RESULT_DELAY 3
IW_ASSERT_LAYOUT(wasi_spi_operation_result_t, 12, 4);
IW_ASSERT_OFFSET(wasi_spi_operation_result_t, val, 4);

typedef IW_LIST(wasi_spi_operation_result_t) wasi_spi_list_operation_result_t;
IW_ASSERT_LAYOUT(wasi_spi_list_operation_result_t, 8, 4);

typedef struct wasi_spi_own_spi_device {
  iw_handle_t handle;
} wasi_spi_own_spi_device_t;
typedef struct wasi_spi_borrow_spi_device {
  iw_handle_t handle;
} wasi_spi_borrow_spi_device_t;

static inline wasi_spi_borrow_spi_device_t wasi_spi_borrow_spi_device(wasi_spi_own_spi_device_t own) {
  return (wasi_spi_borrow_spi_device_t){own.handle};
}

/* The results, all 16 bytes with the payload at 4 (the largest case is the 12-byte error). */
typedef IW_RESULT(wasi_spi_own_spi_device_t, wasi_spi_error_t) wasi_spi_result_own_spi_device_error_t;
IW_ASSERT_LAYOUT(wasi_spi_result_own_spi_device_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_spi_result_own_spi_device_error_t, val, 4);

typedef IW_RESULT(wasi_spi_list_u8_t, wasi_spi_error_t) wasi_spi_result_list_u8_error_t;
IW_ASSERT_LAYOUT(wasi_spi_result_list_u8_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_spi_result_list_u8_error_t, val, 4);

typedef IW_RESULT(wasi_spi_list_operation_result_t, wasi_spi_error_t) wasi_spi_result_list_operation_result_error_t;
IW_ASSERT_LAYOUT(wasi_spi_result_list_operation_result_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_spi_result_list_operation_result_error_t, val, 4);

/* `write` is declared `-> result<error>` in the WIT: the *ok* case carries an error and the error
 * case carries nothing. This binding mirrors the WIT exactly; prefer `transaction` with one write
 * operation, whose result is unambiguous. */
typedef IW_RESULT_OK_ONLY(wasi_spi_error_t) wasi_spi_result_error_t;
IW_ASSERT_LAYOUT(wasi_spi_result_error_t, 16, 4);
IW_ASSERT_OFFSET(wasi_spi_result_error_t, val, 4);

IW_IMPORT(WASI_SPI_INTERFACE, "open")
extern void wasi_spi_import_open(const uint8_t *name, size_t name_len, wasi_spi_result_own_spi_device_error_t *ret);
IW_IMPORT(WASI_SPI_INTERFACE, "[method]spi-device.read")
extern void wasi_spi_import_method_spi_device_read(int32_t self, uint64_t len, wasi_spi_result_list_u8_error_t *ret);
IW_IMPORT(WASI_SPI_INTERFACE, "[method]spi-device.write")
extern void wasi_spi_import_method_spi_device_write(int32_t self, const uint8_t *data, size_t data_len, wasi_spi_result_error_t *ret);
IW_IMPORT(WASI_SPI_INTERFACE, "[method]spi-device.transfer")
extern void wasi_spi_import_method_spi_device_transfer(int32_t self, const uint8_t *data, size_t data_len, wasi_spi_result_list_u8_error_t *ret);
IW_IMPORT(WASI_SPI_INTERFACE, "[method]spi-device.transaction")
extern void wasi_spi_import_method_spi_device_transaction(int32_t self, wasi_spi_operation_t *operations, size_t operations_len,
                                                          wasi_spi_result_list_operation_result_error_t *ret);
IW_IMPORT(WASI_SPI_INTERFACE, "[resource-drop]spi-device")
extern void wasi_spi_import_resource_drop_spi_device(int32_t handle);

/* open: func(name: string) -> result<spi-device, error>: a logical device by name, as the host's
 * configuration (and policy) names it. */
static inline void wasi_spi_open(iw_string_t name, wasi_spi_result_own_spi_device_error_t *ret) { wasi_spi_import_open(name.ptr, name.len, ret); }

/* read: func(len: u64) -> result<list<u8>, error> */
static inline void wasi_spi_method_spi_device_read(wasi_spi_borrow_spi_device_t self, uint64_t len, wasi_spi_result_list_u8_error_t *ret) {
  wasi_spi_import_method_spi_device_read(self.handle, len, ret);
}

/* write: func(data: list<u8>) -> result<error> (see wasi_spi_result_error_t) */
static inline void wasi_spi_method_spi_device_write(wasi_spi_borrow_spi_device_t self, const uint8_t *data, size_t len, wasi_spi_result_error_t *ret) {
  wasi_spi_import_method_spi_device_write(self.handle, data, len, ret);
}

/* transfer: func(data: list<u8>) -> result<list<u8>, error>: full duplex, same length in and out. */
static inline void wasi_spi_method_spi_device_transfer(wasi_spi_borrow_spi_device_t self, const uint8_t *data, size_t len,
                                                       wasi_spi_result_list_u8_error_t *ret) {
  wasi_spi_import_method_spi_device_transfer(self.handle, data, len, ret);
}

/* transaction: func(operations: list<operation>) -> result<list<operation-result>, error>: all
 * operations under one chip select. Free the result with wasi_spi_result_list_operation_result_error_free. */
static inline void wasi_spi_method_spi_device_transaction(wasi_spi_borrow_spi_device_t self, wasi_spi_list_operation_t operations,
                                                          wasi_spi_result_list_operation_result_error_t *ret) {
  wasi_spi_import_method_spi_device_transaction(self.handle, operations.ptr, operations.len, ret);
}

static inline void wasi_spi_spi_device_drop_own(wasi_spi_own_spi_device_t device) { wasi_spi_import_resource_drop_spi_device(device.handle); }

static inline void wasi_spi_error_free(wasi_spi_error_t *error) {
  if (error->tag == WASI_SPI_ERROR_OTHER) iw_string_free(&error->val.other);
}

static inline void wasi_spi_result_own_spi_device_error_free(wasi_spi_result_own_spi_device_error_t *result) {
  if (result->is_err) wasi_spi_error_free(&result->val.err);
}

static inline void wasi_spi_result_list_u8_error_free(wasi_spi_result_list_u8_error_t *result) {
  if (result->is_err)
    wasi_spi_error_free(&result->val.err);
  else
    IW_LIST_FREE(&result->val.ok);
}

static inline void wasi_spi_result_error_free(wasi_spi_result_error_t *result) {
  if (!result->is_err) wasi_spi_error_free(&result->val.ok);
}

static inline void wasi_spi_result_list_operation_result_error_free(wasi_spi_result_list_operation_result_error_t *result) {
  if (result->is_err) {
    wasi_spi_error_free(&result->val.err);
    return;
  }
  for (size_t i = 0; i < result->val.ok.len; i++) {
    wasi_spi_operation_result_t *item = &result->val.ok.ptr[i];
    if (item->tag == WASI_SPI_OPERATION_RESULT_READ) IW_LIST_FREE(&item->val.read);
    if (item->tag == WASI_SPI_OPERATION_RESULT_TRANSFER) IW_LIST_FREE(&item->val.transfer);
  }
  IW_LIST_FREE(&result->val.ok);
}

/* Appends the error's WIT name, and an `other` message, e.g. "other(device busy)". */
static inline void wasi_spi_error_describe(iw_builder_t *b, const wasi_spi_error_t *error) {
  switch (error->tag) {
    case WASI_SPI_ERROR_OVERRUN: iw_builder_append_cstr(b, "overrun"); break;
    case WASI_SPI_ERROR_MODE_FAULT: iw_builder_append_cstr(b, "mode-fault"); break;
    case WASI_SPI_ERROR_FRAME_FORMAT: iw_builder_append_cstr(b, "frame-format"); break;
    case WASI_SPI_ERROR_CHIP_SELECT_FAULT: iw_builder_append_cstr(b, "chip-select-fault"); break;
    default:
      iw_builder_append_cstr(b, "other(");
      iw_builder_append_string(b, error->val.other);
      iw_builder_append_cstr(b, ")");
      break;
  }
}

#endif /* WASI_SPI_H */
