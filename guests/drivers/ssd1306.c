/* Solomon Systech SSD1306 128x64 monochrome OLED over I2C (world ironwasm:devices/display-driver),
 * from its datasheet:
 *
 *   Every I2C write starts with a control byte: 0x00 = the bytes after it are commands,
 *   0x40 = they are display data (Co = 0, D/C# = 0 or 1).
 *   Initialization (application note of the datasheet, internal charge pump):
 *     AE        display off
 *     D5 80     display clock divide ratio / oscillator frequency (reset value)
 *     A8 3F     multiplex ratio 64
 *     D3 00     display offset 0
 *     40        display start line 0
 *     8D 14     charge pump on
 *     20 00     memory addressing mode: horizontal (column, then page, wrapping)
 *     A1        segment remap (column 127 is SEG0)
 *     C8        COM output scan direction remapped (COM63 to COM0)
 *     DA 12     COM pins: alternative configuration, no left/right remap (128x64 panels)
 *     81 CF     contrast
 *     D9 F1     pre-charge period (phase 1 = 1, phase 2 = 15 DCLKs, for the charge pump)
 *     DB 20     VCOMH deselect level ~0.77 Vcc (reset value)
 *     A4        display follows RAM
 *     A6        normal (not inverted)
 *     2E        scrolling off
 *     AF        display on
 *   21 s e / 22 s e set the column / page window; data bytes then fill it. A data byte is a column
 *   of 8 pixels of one page (8 rows), bit 0 at the top.
 *
 * Text: a 5x7 font in 6x8 cells gives 21 columns x 8 rows. show() renders into a 1024-byte frame
 * (8 pages x 128 columns) and sends it with one window command and 64 data writes of 16 bytes.
 * Imports only wasi:i2c (i2c, delay).
 */
#define DEVICES_EXPORT_DISPLAY
#include "driver.h"

#define WIDTH 128
#define PAGES 8
#define CELL_WIDTH 6
#define TEXT_COLUMNS (WIDTH / CELL_WIDTH)
#define TEXT_ROWS PAGES
#define CHUNK 16

#define CONTROL_COMMANDS 0x00
#define CONTROL_DATA 0x40

/* Printable ASCII 0x20..0x7E, seven rows of five pixels each, '#' lit. */
static const char font[95][7][6] = {
    {".....", ".....", ".....", ".....", ".....", ".....", "....."}, /*   */
    {"..#..", "..#..", "..#..", "..#..", "..#..", ".....", "..#.."}, /* ! */
    {".#.#.", ".#.#.", ".#.#.", ".....", ".....", ".....", "....."}, /* " */
    {".#.#.", ".#.#.", "#####", ".#.#.", "#####", ".#.#.", ".#.#."}, /* # */
    {"..#..", ".####", "#.#..", ".###.", "..#.#", "####.", "..#.."}, /* $ */
    {"##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##"}, /* % */
    {".##..", "#..#.", "#.#..", ".#...", "#.#.#", "#..#.", ".##.#"}, /* & */
    {"..#..", "..#..", ".#...", ".....", ".....", ".....", "....."}, /* ' */
    {"...#.", "..#..", ".#...", ".#...", ".#...", "..#..", "...#."}, /* ( */
    {".#...", "..#..", "...#.", "...#.", "...#.", "..#..", ".#..."}, /* ) */
    {".....", "..#..", "#.#.#", ".###.", "#.#.#", "..#..", "....."}, /* * */
    {".....", "..#..", "..#..", "#####", "..#..", "..#..", "....."}, /* + */
    {".....", ".....", ".....", ".....", ".##..", "..#..", ".#..."}, /* , */
    {".....", ".....", ".....", "#####", ".....", ".....", "....."}, /* - */
    {".....", ".....", ".....", ".....", ".....", ".##..", ".##.."}, /* . */
    {".....", "....#", "...#.", "..#..", ".#...", "#....", "....."}, /* / */
    {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."}, /* 0 */
    {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."}, /* 1 */
    {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"}, /* 2 */
    {"#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."}, /* 3 */
    {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."}, /* 4 */
    {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."}, /* 5 */
    {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."}, /* 6 */
    {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."}, /* 7 */
    {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."}, /* 8 */
    {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."}, /* 9 */
    {".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."}, /* : */
    {".....", ".##..", ".##..", ".....", ".##..", "..#..", ".#..."}, /* ; */
    {"...#.", "..#..", ".#...", "#....", ".#...", "..#..", "...#."}, /* < */
    {".....", ".....", "#####", ".....", "#####", ".....", "....."}, /* = */
    {".#...", "..#..", "...#.", "....#", "...#.", "..#..", ".#..."}, /* > */
    {".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."}, /* ? */
    {".###.", "#...#", "....#", ".##.#", "#.#.#", "#.#.#", ".###."}, /* @ */
    {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"}, /* A */
    {"####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."}, /* B */
    {".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."}, /* C */
    {"###..", "#..#.", "#...#", "#...#", "#...#", "#..#.", "###.."}, /* D */
    {"#####", "#....", "#....", "####.", "#....", "#....", "#####"}, /* E */
    {"#####", "#....", "#....", "####.", "#....", "#....", "#...."}, /* F */
    {".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"}, /* G */
    {"#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"}, /* H */
    {".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."}, /* I */
    {"..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."}, /* J */
    {"#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"}, /* K */
    {"#....", "#....", "#....", "#....", "#....", "#....", "#####"}, /* L */
    {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"}, /* M */
    {"#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"}, /* N */
    {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."}, /* O */
    {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."}, /* P */
    {".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"}, /* Q */
    {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"}, /* R */
    {".####", "#....", "#....", ".###.", "....#", "....#", "####."}, /* S */
    {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."}, /* T */
    {"#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."}, /* U */
    {"#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."}, /* V */
    {"#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."}, /* W */
    {"#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"}, /* X */
    {"#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."}, /* Y */
    {"#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"}, /* Z */
    {".###.", ".#...", ".#...", ".#...", ".#...", ".#...", ".###."}, /* [ */
    {".....", "#....", ".#...", "..#..", "...#.", "....#", "....."}, /* \ */
    {".###.", "...#.", "...#.", "...#.", "...#.", "...#.", ".###."}, /* ] */
    {"..#..", ".#.#.", "#...#", ".....", ".....", ".....", "....."}, /* ^ */
    {".....", ".....", ".....", ".....", ".....", ".....", "#####"}, /* _ */
    {".#...", "..#..", "...#.", ".....", ".....", ".....", "....."}, /* ` */
    {".....", ".....", ".###.", "....#", ".####", "#...#", ".####"}, /* a */
    {"#....", "#....", "#.##.", "##..#", "#...#", "#...#", "####."}, /* b */
    {".....", ".....", ".###.", "#....", "#....", "#...#", ".###."}, /* c */
    {"....#", "....#", ".##.#", "#..##", "#...#", "#...#", ".####"}, /* d */
    {".....", ".....", ".###.", "#...#", "#####", "#....", ".###."}, /* e */
    {"..##.", ".#..#", ".#...", "###..", ".#...", ".#...", ".#..."}, /* f */
    {".....", ".####", "#...#", "#...#", ".####", "....#", ".###."}, /* g */
    {"#....", "#....", "#.##.", "##..#", "#...#", "#...#", "#...#"}, /* h */
    {"..#..", ".....", ".##..", "..#..", "..#..", "..#..", ".###."}, /* i */
    {"...#.", ".....", "..##.", "...#.", "...#.", "#..#.", ".##.."}, /* j */
    {"#....", "#....", "#..#.", "#.#..", "##...", "#.#..", "#..#."}, /* k */
    {".##..", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."}, /* l */
    {".....", ".....", "##.#.", "#.#.#", "#.#.#", "#...#", "#...#"}, /* m */
    {".....", ".....", "#.##.", "##..#", "#...#", "#...#", "#...#"}, /* n */
    {".....", ".....", ".###.", "#...#", "#...#", "#...#", ".###."}, /* o */
    {".....", ".....", "####.", "#...#", "####.", "#....", "#...."}, /* p */
    {".....", ".....", ".##.#", "#..##", ".####", "....#", "....#"}, /* q */
    {".....", ".....", "#.##.", "##..#", "#....", "#....", "#...."}, /* r */
    {".....", ".....", ".###.", "#....", ".###.", "....#", "####."}, /* s */
    {".#...", ".#...", "###..", ".#...", ".#...", ".#..#", "..##."}, /* t */
    {".....", ".....", "#...#", "#...#", "#...#", "#..##", ".##.#"}, /* u */
    {".....", ".....", "#...#", "#...#", "#...#", ".#.#.", "..#.."}, /* v */
    {".....", ".....", "#...#", "#...#", "#.#.#", "#.#.#", ".#.#."}, /* w */
    {".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#"}, /* x */
    {".....", ".....", "#...#", "#...#", ".####", "....#", ".###."}, /* y */
    {".....", ".....", "#####", "...#.", "..#..", ".#...", "#####"}, /* z */
    {"...#.", "..#..", "..#..", ".#...", "..#..", "..#..", "...#."}, /* { */
    {"..#..", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."}, /* | */
    {".#...", "..#..", "..#..", "...#.", "..#..", "..#..", ".#..."}, /* } */
    {".....", ".....", ".#...", "#.#.#", "...#.", ".....", "....."}, /* ~ */
};

static uint8_t frame[PAGES * WIDTH];

/* Column x (0..4) of a glyph as a page byte: row r of the glyph is bit r, row 7 stays dark. */
static uint8_t glyph_column(char c, int x) {
  uint8_t bits = 0;
  for (int row = 0; row < 7; row++)
    if (font[c - ' '][row][x] == '#') bits |= (uint8_t)(1u << row);
  return bits;
}

/* One write of up to 31 command bytes (every caller sends a fixed, shorter sequence). */
static bool send_commands(const uint8_t *commands, size_t len) {
  uint8_t buffer[32];
  if (len >= sizeof buffer) abort();
  buffer[0] = CONTROL_COMMANDS;
  memcpy(buffer + 1, commands, len);
  return bus_write(device.address, buffer, len + 1);
}

/* Sends the whole frame: the window is all columns and pages, so the data fill it in order. */
static bool flush(void) {
  static const uint8_t window[] = {0x21, 0, WIDTH - 1, 0x22, 0, PAGES - 1};
  if (!send_commands(window, sizeof window)) return false;
  uint8_t buffer[1 + CHUNK];
  buffer[0] = CONTROL_DATA;
  for (size_t at = 0; at < sizeof frame; at += CHUNK) {
    memcpy(buffer + 1, frame + at, CHUNK);
    if (!bus_write(device.address, buffer, sizeof buffer)) return false;
  }
  return true;
}

static bool probe(void) {
  static const uint8_t init[] = {
      0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1,
      0xC8, 0xDA, 0x12, 0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x20, 0xA4, 0xA6, 0x2E, 0xAF,
  };
  memset(frame, 0, sizeof frame);
  return send_commands(init, sizeof init) && flush();
}

void exports_devices_i2c_attach_attach(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address,
                                       devices_result_void_string_t *ret) {
  attach_begin(bus, delay, address);
  if (probe())
    attach_ok(ret);
  else
    attach_fail("ssd1306", ret);
}

void exports_devices_display_driver_name(iw_string_t *ret) { *ret = iw_string_dup("ssd1306 1.0"); }

void exports_devices_display_get_geometry(devices_display_geometry_t *ret) {
  ret->columns = TEXT_COLUMNS;
  ret->rows = TEXT_ROWS;
}

static void render(const devices_list_string_t *lines) {
  memset(frame, 0, sizeof frame);
  for (size_t row = 0; row < TEXT_ROWS && row < lines->len; row++) {
    iw_string_t line = lines->ptr[row];
    size_t at = 0;
    for (int column = 0; column < TEXT_COLUMNS && at < line.len; column++) {
      char c = text_next(line, &at);
      uint8_t *cell = frame + row * WIDTH + column * CELL_WIDTH;
      for (int x = 0; x < 5; x++) cell[x] = glyph_column(c, x);
    }
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
  memset(frame, 0, sizeof frame);
  finish(flush(), ret);
}

void exports_devices_display_show(const devices_list_string_t *lines, devices_display_result_t *ret) {
  if (!device.attached) {
    ret->is_err = true;
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  render(lines);
  finish(flush(), ret);
}
