/* Bindings for wasi:i2c@0.2.0-draft (wit/deps/wasi-i2c): the interfaces `i2c` and `delay`, which a
 * driver imports from the host. Written by hand with ironwasm/cabi.h the way
 * guests/include/README.md describes; every type stored in memory has its canonical ABI layout
 * checked at compile time.
 *
 * wasi:i2c has no constructor: a driver gets its `i2c` and `delay` handles from whoever calls it
 * (in IronWasm, from `attach` of ironwasm:devices/i2c-attach; see ironwasm/devices.h). The import
 * declarations cost nothing until called: a module imports only what it uses.
 *
 * Core imports (module "wasi:i2c/i2c@0.2.0-draft" unless noted):
 *   [method]i2c.transaction  (self, address, ops_ptr, ops_len, ret) -> ()   [i32 i32 i32 i32 i32]
 *   [method]i2c.read         (self, address, len: i64, ret) -> ()           [i32 i32 i64 i32]
 *   [method]i2c.write        (self, address, data_ptr, data_len, ret) -> () [i32 i32 i32 i32 i32]
 *   [method]i2c.write-read   (self, address, w_ptr, w_len, read_len: i64, ret) -> ()
 *                                                                           [i32 i32 i32 i32 i64 i32]
 *   [resource-drop]i2c       (handle) -> ()
 *   module "wasi:i2c/delay@0.2.0-draft":
 *   [method]delay.delay-ns   (self, ns) -> ()                               [i32 i32]
 *   [resource-drop]delay     (handle) -> ()
 */
#ifndef WASI_I2C_H
#define WASI_I2C_H

#include <ironwasm/cabi.h>

#define WASI_I2C_INTERFACE "wasi:i2c/i2c@0.2.0-draft"
#define WASI_I2C_DELAY_INTERFACE "wasi:i2c/delay@0.2.0-draft"

/* type address = u16 (7-bit addresses in practice) */
typedef uint16_t wasi_i2c_address_t;

/* enum no-acknowledge-source { address, data, unknown } */
typedef iw_discriminant_t wasi_i2c_no_acknowledge_source_t;
#define WASI_I2C_NO_ACKNOWLEDGE_SOURCE_ADDRESS 0
#define WASI_I2C_NO_ACKNOWLEDGE_SOURCE_DATA 1
#define WASI_I2C_NO_ACKNOWLEDGE_SOURCE_UNKNOWN 2

/* variant error-code { bus, arbitration-loss, no-acknowledge(no-acknowledge-source), overrun, other }:
 * the case byte, then the one-byte payload. Flat: [i32 case, i32 payload]. */
typedef struct wasi_i2c_error_code {
  iw_discriminant_t tag;
  union {
    wasi_i2c_no_acknowledge_source_t no_acknowledge;
  } val;
} wasi_i2c_error_code_t;
#define WASI_I2C_ERROR_CODE_BUS 0
#define WASI_I2C_ERROR_CODE_ARBITRATION_LOSS 1
#define WASI_I2C_ERROR_CODE_NO_ACKNOWLEDGE 2
#define WASI_I2C_ERROR_CODE_OVERRUN 3
#define WASI_I2C_ERROR_CODE_OTHER 4
IW_ASSERT_LAYOUT(wasi_i2c_error_code_t, 2, 1);
IW_ASSERT_OFFSET(wasi_i2c_error_code_t, val, 1);

/* list<u8> */
typedef IW_LIST(uint8_t) wasi_i2c_list_u8_t;
IW_ASSERT_LAYOUT(wasi_i2c_list_u8_t, 8, 4);

/* list<list<u8>>: the results of a transaction, one list per read operation. */
typedef IW_LIST(wasi_i2c_list_u8_t) wasi_i2c_list_list_u8_t;
IW_ASSERT_LAYOUT(wasi_i2c_list_list_u8_t, 8, 4);

/* variant operation { read(u64), write(list<u8>) }: the payload sits at the u64's alignment.
 * Flat: [i32 case, i64 (read | ptr), i32 (len)]. */
typedef struct wasi_i2c_operation {
  iw_discriminant_t tag;
  union {
    uint64_t read;
    wasi_i2c_list_u8_t write;
  } val;
} wasi_i2c_operation_t;
#define WASI_I2C_OPERATION_READ 0
#define WASI_I2C_OPERATION_WRITE 1
IW_ASSERT_LAYOUT(wasi_i2c_operation_t, 16, 8);
IW_ASSERT_OFFSET(wasi_i2c_operation_t, val, 8);

typedef IW_LIST(wasi_i2c_operation_t) wasi_i2c_list_operation_t;
IW_ASSERT_LAYOUT(wasi_i2c_list_operation_t, 8, 4);

/* result<list<list<u8>>, error-code>, result<list<u8>, error-code>: payload at 4 (the list's
 * alignment), 12 bytes. */
typedef IW_RESULT(wasi_i2c_list_list_u8_t, wasi_i2c_error_code_t) wasi_i2c_result_list_list_u8_error_code_t;
IW_ASSERT_LAYOUT(wasi_i2c_result_list_list_u8_error_code_t, 12, 4);
IW_ASSERT_OFFSET(wasi_i2c_result_list_list_u8_error_code_t, val, 4);

typedef IW_RESULT(wasi_i2c_list_u8_t, wasi_i2c_error_code_t) wasi_i2c_result_list_u8_error_code_t;
IW_ASSERT_LAYOUT(wasi_i2c_result_list_u8_error_code_t, 12, 4);
IW_ASSERT_OFFSET(wasi_i2c_result_list_u8_error_code_t, val, 4);

/* result<_, error-code>: everything has alignment 1, so the error sits right after the case byte.
 * Flat it is 3 values, so it still comes back through a return area. */
typedef IW_RESULT_ERR_ONLY(wasi_i2c_error_code_t) wasi_i2c_result_void_error_code_t;
IW_ASSERT_LAYOUT(wasi_i2c_result_void_error_code_t, 3, 1);
IW_ASSERT_OFFSET(wasi_i2c_result_void_error_code_t, val, 1);

/* Handles of the host's resources: own (ours to drop) and borrow (lent for one call). */
typedef struct wasi_i2c_own_i2c {
  iw_handle_t handle;
} wasi_i2c_own_i2c_t;
typedef struct wasi_i2c_borrow_i2c {
  iw_handle_t handle;
} wasi_i2c_borrow_i2c_t;
typedef struct wasi_i2c_own_delay {
  iw_handle_t handle;
} wasi_i2c_own_delay_t;
typedef struct wasi_i2c_borrow_delay {
  iw_handle_t handle;
} wasi_i2c_borrow_delay_t;

static inline wasi_i2c_borrow_i2c_t wasi_i2c_borrow_i2c(wasi_i2c_own_i2c_t own) { return (wasi_i2c_borrow_i2c_t){own.handle}; }
static inline wasi_i2c_borrow_delay_t wasi_i2c_borrow_delay(wasi_i2c_own_delay_t own) { return (wasi_i2c_borrow_delay_t){own.handle}; }

/* The core imports. u16 and handles travel as i32, u64 as i64, lists as (ptr, len); results that
 * do not fit one core value are written to the return area passed last. */
IW_IMPORT(WASI_I2C_INTERFACE, "[method]i2c.transaction")
extern void wasi_i2c_import_method_i2c_transaction(int32_t self, int32_t address, wasi_i2c_operation_t *operations, size_t operations_len,
                                                   wasi_i2c_result_list_list_u8_error_code_t *ret);
IW_IMPORT(WASI_I2C_INTERFACE, "[method]i2c.read")
extern void wasi_i2c_import_method_i2c_read(int32_t self, int32_t address, uint64_t len, wasi_i2c_result_list_u8_error_code_t *ret);
IW_IMPORT(WASI_I2C_INTERFACE, "[method]i2c.write")
extern void wasi_i2c_import_method_i2c_write(int32_t self, int32_t address, const uint8_t *data, size_t data_len,
                                             wasi_i2c_result_void_error_code_t *ret);
IW_IMPORT(WASI_I2C_INTERFACE, "[method]i2c.write-read")
extern void wasi_i2c_import_method_i2c_write_read(int32_t self, int32_t address, const uint8_t *write, size_t write_len, uint64_t read_len,
                                                  wasi_i2c_result_list_u8_error_code_t *ret);
IW_IMPORT(WASI_I2C_INTERFACE, "[resource-drop]i2c")
extern void wasi_i2c_import_resource_drop_i2c(int32_t handle);

IW_IMPORT(WASI_I2C_DELAY_INTERFACE, "[method]delay.delay-ns")
extern void wasi_i2c_import_method_delay_delay_ns(int32_t self, int32_t ns);
IW_IMPORT(WASI_I2C_DELAY_INTERFACE, "[resource-drop]delay")
extern void wasi_i2c_import_resource_drop_delay(int32_t handle);

/* transaction: func(address, operations: list<operation>) -> result<list<list<u8>>, error-code>.
 * The operations run as one transfer (repeated starts between them); the ok list holds one entry
 * per read operation. Free the result with wasi_i2c_result_list_list_u8_error_code_free. */
static inline void wasi_i2c_method_i2c_transaction(wasi_i2c_borrow_i2c_t self, wasi_i2c_address_t address, wasi_i2c_list_operation_t operations,
                                                   wasi_i2c_result_list_list_u8_error_code_t *ret) {
  wasi_i2c_import_method_i2c_transaction(self.handle, address, operations.ptr, operations.len, ret);
}

/* read: func(address, len: u64) -> result<list<u8>, error-code> */
static inline void wasi_i2c_method_i2c_read(wasi_i2c_borrow_i2c_t self, wasi_i2c_address_t address, uint64_t len,
                                            wasi_i2c_result_list_u8_error_code_t *ret) {
  wasi_i2c_import_method_i2c_read(self.handle, address, len, ret);
}

/* write: func(address, data: list<u8>) -> result<_, error-code> */
static inline void wasi_i2c_method_i2c_write(wasi_i2c_borrow_i2c_t self, wasi_i2c_address_t address, const uint8_t *data, size_t len,
                                             wasi_i2c_result_void_error_code_t *ret) {
  wasi_i2c_import_method_i2c_write(self.handle, address, data, len, ret);
}

/* write-read: func(address, write: list<u8>, read-len: u64) -> result<list<u8>, error-code>: a write,
 * a repeated start, then a read (the usual register read). */
static inline void wasi_i2c_method_i2c_write_read(wasi_i2c_borrow_i2c_t self, wasi_i2c_address_t address, const uint8_t *write, size_t write_len,
                                                  uint64_t read_len, wasi_i2c_result_list_u8_error_code_t *ret) {
  wasi_i2c_import_method_i2c_write_read(self.handle, address, write, write_len, read_len, ret);
}

static inline void wasi_i2c_i2c_drop_own(wasi_i2c_own_i2c_t i2c) { wasi_i2c_import_resource_drop_i2c(i2c.handle); }

/* delay-ns: func(ns: u32): waits at least `ns` nanoseconds (up to about 4.29 s per call). */
static inline void wasi_i2c_method_delay_delay_ns(wasi_i2c_borrow_delay_t self, uint32_t ns) {
  wasi_i2c_import_method_delay_delay_ns(self.handle, (int32_t)ns);
}

static inline void wasi_i2c_delay_drop_own(wasi_i2c_own_delay_t delay) { wasi_i2c_import_resource_drop_delay(delay.handle); }

/* Results own the lists the host allocated with our cabi_realloc. */
static inline void wasi_i2c_result_list_u8_error_code_free(wasi_i2c_result_list_u8_error_code_t *result) {
  if (!result->is_err) IW_LIST_FREE(&result->val.ok);
}

static inline void wasi_i2c_result_list_list_u8_error_code_free(wasi_i2c_result_list_list_u8_error_code_t *result) {
  if (result->is_err) return;
  for (size_t i = 0; i < result->val.ok.len; i++) IW_LIST_FREE(&result->val.ok.ptr[i]);
  IW_LIST_FREE(&result->val.ok);
}

/* The WIT name of an error, e.g. "no-acknowledge(address)", for messages. */
static inline const char *wasi_i2c_error_code_name(wasi_i2c_error_code_t error) {
  switch (error.tag) {
    case WASI_I2C_ERROR_CODE_BUS: return "bus";
    case WASI_I2C_ERROR_CODE_ARBITRATION_LOSS: return "arbitration-loss";
    case WASI_I2C_ERROR_CODE_NO_ACKNOWLEDGE:
      switch (error.val.no_acknowledge) {
        case WASI_I2C_NO_ACKNOWLEDGE_SOURCE_ADDRESS: return "no-acknowledge(address)";
        case WASI_I2C_NO_ACKNOWLEDGE_SOURCE_DATA: return "no-acknowledge(data)";
        default: return "no-acknowledge(unknown)";
      }
    case WASI_I2C_ERROR_CODE_OVERRUN: return "overrun";
    default: return "other";
  }
}

#endif /* WASI_I2C_H */
