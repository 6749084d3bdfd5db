/* IronWasm C guest SDK: the canonical ABI pieces that bindings for WIT interfaces build on.
 *
 * The C types here have exactly the canonical ABI's memory layout on wasm32 (natural alignment,
 * 32-bit pointers and sizes), so a binding can hand the host a pointer to a C struct as a return
 * area and read what the host wrote into one. guests/include/README.md explains how to write
 * bindings for a .wit by hand with these pieces; guests/examples/thermometer.h is a complete one.
 *
 * Define IRONWASM_CABI_IMPLEMENTATION in exactly one translation unit before including this
 * header: that unit then defines the `cabi_realloc` export the host allocates strings and lists
 * with (on top of malloc, so guests free what the host gave them with free()).
 */
#ifndef IRONWASM_CABI_H
#define IRONWASM_CABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__wasm32__)
#error "ironwasm/cabi.h describes the wasm32 canonical ABI; compile with --target=wasm32-wasi"
#endif

/* A core import `name` from module `module` (for an interface: "ns:pkg/iface@version"). */
#define IW_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
/* A core export `name` (for an interface function: "ns:pkg/iface@version#function"). */
#define IW_EXPORT(name) __attribute__((export_name(name)))

/* The byte the canonical ABI stores for `result` (0 ok, 1 error), `option` (0 none, 1 some) and
 * any variant or enum of up to 256 cases. C enums are int-sized, so WIT enums are stored in these. */
typedef uint8_t iw_discriminant_t;

/* string: UTF-8 bytes, not NUL-terminated; (ptr, len) both flat and in memory. */
typedef struct iw_string {
  uint8_t *ptr;
  size_t len;
} iw_string_t;

_Static_assert(sizeof(iw_string_t) == 8 && _Alignof(iw_string_t) == 4, "string is (i32 ptr, i32 len)");

/* list<T>: (ptr, len) with len counting elements. */
#define IW_LIST(T) \
  struct {         \
    T *ptr;        \
    size_t len;    \
  }

/* option<T>: the discriminant byte, then the payload at T's alignment. */
#define IW_OPTION(T)  \
  struct {            \
    bool is_some;     \
    T val;            \
  }

/* result<T, E>: the discriminant byte, then a union of both payloads at their larger alignment.
 * For result<_, E> or result<T> use IW_RESULT_ERR_ONLY / IW_RESULT_OK_ONLY. */
#define IW_RESULT(T, E) \
  struct {              \
    bool is_err;        \
    union {             \
      T ok;             \
      E err;            \
    } val;              \
  }
#define IW_RESULT_OK_ONLY(T) \
  struct {                   \
    bool is_err;             \
    union {                  \
      T ok;                  \
    } val;                   \
  }
#define IW_RESULT_ERR_ONLY(E) \
  struct {                    \
    bool is_err;              \
    union {                   \
      E err;                  \
    } val;                    \
  }

/* Results that do not fit one core value go through a return area: the import's last parameter
 * (for imports) or the returned pointer (for exports). A binding declares the area as the C type
 * of the results; these check a layout against the offsets the canonical ABI computes. */
#define IW_ASSERT_LAYOUT(T, size, align) \
  _Static_assert(sizeof(T) == (size) && _Alignof(T) == (align), #T " has the canonical ABI size and alignment")
#define IW_ASSERT_OFFSET(T, field, offset) \
  _Static_assert(offsetof(T, field) == (offset), #T "." #field " is at its canonical ABI offset")

/* Handles: own<r> and borrow<r> are i32 indices into the instance's handle table. 0 is never a
 * valid handle. An implementer of r sees its own borrows as the representation it chose instead. */
typedef int32_t iw_handle_t;

/* Strings. Host-made strings (results of imports, arguments of exports) come from cabi_realloc and
 * belong to the guest: free them with iw_string_free. */

/* A string viewing a NUL-terminated C string (nothing is copied; do not free it). */
static inline iw_string_t iw_string_view(const char *text) {
  return (iw_string_t){(uint8_t *)text, strlen(text)};
}

/* A malloc'd copy of `len` bytes; {NULL, 0} for an empty string. Aborts when out of memory. */
static inline iw_string_t iw_string_copy(const void *bytes, size_t len) {
  iw_string_t s = {NULL, len};
  if (len == 0) return s;
  s.ptr = (uint8_t *)malloc(len);
  if (s.ptr == NULL) abort();
  memcpy(s.ptr, bytes, len);
  return s;
}

/* A malloc'd copy of a NUL-terminated C string. */
static inline iw_string_t iw_string_dup(const char *text) { return iw_string_copy(text, strlen(text)); }

/* Empty strings may hold the placeholder pointer cabi_realloc gives zero-size requests, which must
 * not reach free(). */
static inline void iw_string_free(iw_string_t *s) {
  if (s->len != 0) free(s->ptr);
  s->ptr = NULL;
  s->len = 0;
}

static inline bool iw_string_equals(iw_string_t s, const char *text) {
  size_t len = strlen(text);
  return s.len == len && (len == 0 || memcmp(s.ptr, text, len) == 0);
}

/* Frees a list's buffer (not its elements). Works on any IW_LIST(T); like strings, an empty list's
 * pointer is not freed. */
#define IW_LIST_FREE(list)                   \
  do {                                       \
    if ((list)->len != 0) free((list)->ptr); \
    (list)->ptr = NULL;                      \
    (list)->len = 0;                         \
  } while (0)

/* A growable UTF-8 buffer for building string results; iw_builder_finish hands its bytes over as
 * an iw_string_t the caller (or a post-return function) frees. */
typedef struct iw_builder {
  uint8_t *ptr;
  size_t len;
  size_t capacity;
} iw_builder_t;

static inline void iw_builder_append(iw_builder_t *b, const void *bytes, size_t len) {
  if (b->len + len > b->capacity) {
    size_t capacity = b->capacity < 64 ? 64 : b->capacity;
    while (capacity < b->len + len) capacity *= 2;
    uint8_t *grown = (uint8_t *)realloc(b->ptr, capacity);
    if (grown == NULL) abort();
    b->ptr = grown;
    b->capacity = capacity;
  }
  if (len != 0) memcpy(b->ptr + b->len, bytes, len);
  b->len += len;
}

static inline void iw_builder_append_cstr(iw_builder_t *b, const char *text) { iw_builder_append(b, text, strlen(text)); }

static inline void iw_builder_append_string(iw_builder_t *b, iw_string_t s) { iw_builder_append(b, s.ptr, s.len); }

static inline void iw_builder_append_u32(iw_builder_t *b, uint32_t value) {
  char digits[10];
  size_t n = 0;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  iw_builder_append(b, digits + sizeof digits - n, n);
}

static inline void iw_builder_append_i32(iw_builder_t *b, int32_t value) {
  if (value < 0) {
    iw_builder_append(b, "-", 1);
    iw_builder_append_u32(b, 0u - (uint32_t)value);
  } else {
    iw_builder_append_u32(b, (uint32_t)value);
  }
}

/* `value` with `decimals` (0..6) digits after the point, rounded half away from zero; without
 * printf, so a guest needs no stdio (and no WASI imports) to format numbers. */
static inline void iw_builder_append_fixed(iw_builder_t *b, double value, unsigned decimals) {
  if (value != value) {
    iw_builder_append_cstr(b, "nan");
    return;
  }
  if (decimals > 6) decimals = 6;
  uint32_t scale = 1;
  for (unsigned i = 0; i < decimals; i++) scale *= 10;
  bool negative = value < 0;
  double magnitude = (negative ? -value : value) * scale + 0.5;
  if (magnitude >= 4294967296.0 * scale) {
    iw_builder_append_cstr(b, negative ? "-inf" : "inf");
    return;
  }
  uint64_t scaled = (uint64_t)magnitude;
  if (negative && scaled != 0) iw_builder_append(b, "-", 1);
  iw_builder_append_u32(b, (uint32_t)(scaled / scale));
  if (decimals == 0) return;
  char fraction[6];
  uint32_t rest = (uint32_t)(scaled % scale);
  for (unsigned i = decimals; i-- > 0;) {
    fraction[i] = (char)('0' + rest % 10);
    rest /= 10;
  }
  iw_builder_append(b, ".", 1);
  iw_builder_append(b, fraction, decimals);
}

/* The built string; the builder is empty again afterwards. */
static inline iw_string_t iw_builder_finish(iw_builder_t *b) {
  iw_string_t s = {b->ptr, b->len};
  b->ptr = NULL;
  b->len = b->capacity = 0;
  return s;
}

/* A landing buffer for the next fresh allocation the host makes through cabi_realloc: a result
 * list of at most `capacity` bytes lands in `buffer` instead of a new heap block, so a driver
 * receiving data (a USB IN transfer) gets it where it wants it without a malloc, a copy and a free.
 * It serves one allocation, or none if that one is larger or `buffer` is not aligned for it; clear
 * it right after the call. A list that landed has `ptr == buffer` and must not be freed. */
extern uint8_t *iw_landing_buffer;
extern size_t iw_landing_capacity;

static inline void iw_landing_set(void *buffer, size_t capacity) {
  iw_landing_buffer = (uint8_t *)buffer;
  iw_landing_capacity = capacity;
}

static inline void iw_landing_clear(void) { iw_landing_buffer = NULL; }

#ifdef IRONWASM_CABI_IMPLEMENTATION
uint8_t *iw_landing_buffer;
size_t iw_landing_capacity;

/* CanonicalABI.md's realloc: (old_ptr, old_size, align, new_size) -> ptr. malloc aligns to 16,
 * which covers every canonical ABI alignment (at most 8). A zero-size request gets a non-null,
 * aligned placeholder that is never dereferenced nor freed (the host may still bounds-check it). */
IW_EXPORT("cabi_realloc")
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
  if (new_size == 0) return (void *)align;
  if (old_size == 0 && iw_landing_buffer != NULL) {
    uint8_t *landing = iw_landing_buffer;
    iw_landing_buffer = NULL;
    if (new_size <= iw_landing_capacity && ((uintptr_t)landing & (align - 1)) == 0) return landing;
  }
  if (old_size == 0) old_ptr = NULL; /* it may be such a placeholder */
  void *ptr = realloc(old_ptr, new_size);
  if (ptr == NULL) abort();
  return ptr;
}
#endif

#endif /* IRONWASM_CABI_H */
