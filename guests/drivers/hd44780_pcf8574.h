/* A 16x2 HD44780 character LCD behind a PCF8574 I2C port expander (the common "I2C backpack"),
 * shared by lcd_hd44780.c and rogue_display.c. Include after driver.h.
 *
 * PCF8574: every data byte written to it is latched onto its eight outputs P7..P0 (several bytes
 * in one write update them one after another). The backpack wires P0 = RS, P1 = R/W, P2 = E,
 * P3 = backlight, P4..P7 = D4..D7, so the LCD runs in 4-bit mode: each byte goes as its high
 * nibble, then its low nibble, each latched by the falling edge of E (one expander byte with E
 * high, the next with E low). R/W stays low: the driver never reads the busy flag and waits the
 * datasheet's execution times instead.
 *
 * HD44780U datasheet, "Initializing by Instruction" for 4-bit interface: wait more than 40 ms
 * after power rises to 2.7 V (15 ms at 4.5 V); function set 0x3 (as a lone nibble), wait more
 * than 4.1 ms; 0x3 again, wait more than 100 us; 0x3 again; then 0x2 (4-bit). From then on whole
 * bytes: function set 0x28 (4-bit, 2 lines, 5x8 dots), display off 0x08, clear 0x01, entry mode
 * 0x06 (increment, no shift), display on 0x0C (no cursor, no blink). Instructions take 37 us, clear
 * display 1.52 ms. DDRAM addresses: line 1 starts at 0x00, line 2 at 0x40 (set with 0x80 | addr).
 */
#ifndef GUESTS_DRIVERS_HD44780_PCF8574_H
#define GUESTS_DRIVERS_HD44780_PCF8574_H

#define LCD_COLUMNS 16
#define LCD_ROWS 2

#define PCF_RS 0x01
#define PCF_RW 0x02
#define PCF_E 0x04
#define PCF_BACKLIGHT 0x08

#define LCD_FUNCTION_SET_4BIT_2LINE 0x28
#define LCD_DISPLAY_OFF 0x08
#define LCD_CLEAR 0x01
#define LCD_ENTRY_INCREMENT 0x06
#define LCD_DISPLAY_ON 0x0C
#define LCD_SET_DDRAM 0x80

#define LCD_EXECUTION_US 50 /* 37 us, with margin */
#define LCD_CLEAR_US 2000   /* 1.52 ms, with margin */

/* One nibble (in bits 7..4 of `high`) with RS as given: E high, then E low. */
static inline bool lcd_nibble(uint8_t high, uint8_t rs) {
  uint8_t base = (uint8_t)((high & 0xF0) | rs | PCF_BACKLIGHT);
  uint8_t pulse[2] = {(uint8_t)(base | PCF_E), base};
  return bus_write(device.address, pulse, sizeof pulse);
}

/* A whole byte, high nibble first, as one I2C write of four expander bytes (two E pulses). */
static inline bool lcd_byte(uint8_t value, uint8_t rs) {
  uint8_t high = (uint8_t)((value & 0xF0) | rs | PCF_BACKLIGHT), low = (uint8_t)((value << 4) | rs | PCF_BACKLIGHT);
  uint8_t pulses[4] = {(uint8_t)(high | PCF_E), high, (uint8_t)(low | PCF_E), low};
  if (!bus_write(device.address, pulses, sizeof pulses)) return false;
  delay_us(LCD_EXECUTION_US);
  return true;
}

static inline bool lcd_command(uint8_t command) { return lcd_byte(command, 0); }

static inline bool lcd_clear(void) {
  if (!lcd_command(LCD_CLEAR)) return false;
  delay_us(LCD_CLEAR_US);
  return true;
}

/* The 4-bit initialization by instruction; also the probe (a missing backpack does not acknowledge). */
static inline bool lcd_init(void) {
  uint8_t idle = PCF_BACKLIGHT; /* RS, R/W, E low */
  delay_us(50000);
  if (!bus_write(device.address, &idle, 1)) return false;
  if (!lcd_nibble(0x30, 0)) return false;
  delay_us(4500);
  if (!lcd_nibble(0x30, 0)) return false;
  delay_us(150);
  if (!lcd_nibble(0x30, 0)) return false;
  delay_us(150);
  if (!lcd_nibble(0x20, 0)) return false;
  delay_us(150);
  return lcd_command(LCD_FUNCTION_SET_4BIT_2LINE) && lcd_command(LCD_DISPLAY_OFF) && lcd_clear() && lcd_command(LCD_ENTRY_INCREMENT) &&
         lcd_command(LCD_DISPLAY_ON);
}

/* Writes both rows in full: each line cut to 16 characters and padded with spaces, rows without a
 * line blank, characters outside printable ASCII as spaces. */
static inline bool lcd_show(const devices_list_string_t *lines) {
  for (uint32_t row = 0; row < LCD_ROWS; row++) {
    if (!lcd_command(LCD_SET_DDRAM | (row == 0 ? 0x00 : 0x40))) return false;
    iw_string_t line = row < lines->len ? lines->ptr[row] : (iw_string_t){NULL, 0};
    size_t at = 0;
    for (uint32_t column = 0; column < LCD_COLUMNS; column++) {
      char c = at < line.len ? text_next(line, &at) : ' ';
      if (!lcd_byte((uint8_t)c, PCF_RS)) return false;
    }
  }
  return true;
}

static inline void lcd_geometry(devices_display_geometry_t *ret) {
  ret->columns = LCD_COLUMNS;
  ret->rows = LCD_ROWS;
}

#endif /* GUESTS_DRIVERS_HD44780_PCF8574_H */
