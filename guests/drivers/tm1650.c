/* Titan Micro TM1650 4-digit LED (7-segment) driver (world ironwasm:devices/display-driver), from
 * its datasheet. The TM1650 speaks a two-wire protocol in which the first byte of each frame is a
 * command, not a device address; on an I2C bus those command bytes look like 7-bit addresses:
 *
 *   0x24 (command byte 0x48)   system command; one data byte:
 *                              bit 0 display on, bit 3 seven-segment mode (0 = eight segments,
 *                              which includes the decimal point), bits 6:4 brightness
 *                              (001 = level 1 ... 111 = level 7, 000 = level 8, the brightest)
 *   0x34..0x37 (0x68..0x6E)    digit 1..4 (left to right); one data byte of segments:
 *                              bit 0 = a (top), 1 = b, 2 = c, 3 = d, 4 = e, 5 = f, 6 = g (middle),
 *                              7 = dp
 *
 * The display has no identity register: attach sends the system command (display on, eight-segment
 * mode, brightness 8) and blanks the digits, so a missing device fails with no-acknowledge.
 * attach must be given 0x24, and the policy must grant 0x24 and 0x34..0x37.
 *
 * show() uses the first line only: its first four visible characters, a '.' folding into the
 * decimal point of the character before it ("21.5" fills four digits with the point on the second).
 * Characters without a 7-segment form are blank. Imports only wasi:i2c (i2c, delay).
 */
#define DEVICES_EXPORT_DISPLAY
#include "driver.h"

#define TM1650_SYSTEM 0x24
#define TM1650_DIGIT_1 0x34
#define TM1650_DIGITS 4
#define SYSTEM_DISPLAY_ON 0x01
#define SYSTEM_BRIGHTNESS_8 0x00
#define SEGMENT_DP 0x80

/*  a
 * f b
 *  g
 * e c
 *  d   dp */
enum { A = 0x01, B = 0x02, C = 0x04, D = 0x08, E = 0x10, F = 0x20, G = 0x40 };

/* The segments of a character; 0 for those a 7-segment digit cannot show recognizably
 * (k, m, v, w, x, z and most punctuation). Letters with one common form serve both cases. */
static uint8_t segments(char c) {
  static const uint8_t digits[10] = {
      A | B | C | D | E | F,     /* 0 */
      B | C,                     /* 1 */
      A | B | D | E | G,         /* 2 */
      A | B | C | D | G,         /* 3 */
      B | C | F | G,             /* 4 */
      A | C | D | F | G,         /* 5 */
      A | C | D | E | F | G,     /* 6 */
      A | B | C,                 /* 7 */
      A | B | C | D | E | F | G, /* 8 */
      A | B | C | D | F | G,     /* 9 */
  };
  if (c >= '0' && c <= '9') return digits[c - '0'];
  switch (c) {
    case 'A': case 'a': return A | B | C | E | F | G;
    case 'B': case 'b': return C | D | E | F | G;
    case 'C': return A | D | E | F;
    case 'c': return D | E | G;
    case 'D': case 'd': return B | C | D | E | G;
    case 'E': case 'e': return A | D | E | F | G;
    case 'F': case 'f': return A | E | F | G;
    case 'G': case 'g': return A | C | D | E | F;
    case 'H': return B | C | E | F | G;
    case 'h': return C | E | F | G;
    case 'I': return E | F;
    case 'i': return E;
    case 'J': case 'j': return B | C | D | E;
    case 'L': case 'l': return D | E | F;
    case 'N': case 'n': return C | E | G;
    case 'O': return A | B | C | D | E | F;
    case 'o': return C | D | E | G;
    case 'P': case 'p': return A | B | E | F | G;
    case 'Q': case 'q': return A | B | C | F | G;
    case 'R': case 'r': return E | G;
    case 'S': case 's': return A | C | D | F | G;
    case 'T': case 't': return D | E | F | G;
    case 'U': return B | C | D | E | F;
    case 'u': return C | D | E;
    case 'Y': case 'y': return B | C | D | F | G;
    case '-': return G;
    case '_': return D;
    case '=': return D | G;
    case '"': return B | F;
    case '\'': return F;
    default: return 0;
  }
}

static bool write_digits(const uint8_t pattern[TM1650_DIGITS]) {
  for (int i = 0; i < TM1650_DIGITS; i++)
    if (!bus_write(TM1650_DIGIT_1 + i, &pattern[i], 1)) return false;
  return true;
}

static bool probe(void) {
  if (device.address != TM1650_SYSTEM) {
    iw_builder_t *message = fail_device();
    iw_builder_append_cstr(message, "a TM1650 takes its system command at 0x24, not at ");
    append_hex8(message, (uint8_t)device.address);
    return false;
  }
  uint8_t system = SYSTEM_BRIGHTNESS_8 | SYSTEM_DISPLAY_ON;
  static const uint8_t blank[TM1650_DIGITS] = {0};
  return bus_write(TM1650_SYSTEM, &system, 1) && write_digits(blank);
}

void exports_devices_i2c_attach_attach(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address,
                                       devices_result_void_string_t *ret) {
  attach_begin(bus, delay, address);
  if (probe())
    attach_ok(ret);
  else
    attach_fail("tm1650", ret);
}

void exports_devices_display_driver_name(iw_string_t *ret) { *ret = iw_string_dup("tm1650 1.0"); }

void exports_devices_display_get_geometry(devices_display_geometry_t *ret) {
  ret->columns = TM1650_DIGITS;
  ret->rows = 1;
}

/* The four digit patterns for a line: a '.' lights the point of the digit before it, unless that
 * digit already has one (or there is none), in which case it takes a digit of its own. */
static void render(iw_string_t line, uint8_t pattern[TM1650_DIGITS]) {
  int used = 0;
  bool previous_has_point = true; /* no digit before the first */
  for (size_t at = 0; at < line.len;) {
    char c = text_next(line, &at);
    if (c == '.' && !previous_has_point) {
      pattern[used - 1] |= SEGMENT_DP;
      previous_has_point = true;
      continue;
    }
    if (used == TM1650_DIGITS) break;
    pattern[used++] = c == '.' ? SEGMENT_DP : segments(c);
    previous_has_point = c == '.';
  }
}

static void finish(bool ok, devices_display_result_t *ret) {
  ret->is_err = !ok;
  if (!ok) failure_to_error(&ret->val.err);
}

void exports_devices_display_clear(devices_display_result_t *ret) {
  if (!device.attached) {
    ret->is_err = true;
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  static const uint8_t blank[TM1650_DIGITS] = {0};
  finish(write_digits(blank), ret);
}

void exports_devices_display_show(const devices_list_string_t *lines, devices_display_result_t *ret) {
  if (!device.attached) {
    ret->is_err = true;
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  uint8_t pattern[TM1650_DIGITS] = {0};
  if (lines->len != 0) render(lines->ptr[0], pattern);
  finish(write_digits(pattern), ret);
}
