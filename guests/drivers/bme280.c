/* Bosch BME280 humidity, pressure and temperature sensor (world ironwasm:devices/sensor-driver),
 * from the datasheet (BST-BME280-DS002):
 *
 *   0xD0 id            reads 0x60
 *   0xE0 reset         writing 0xB6 resets the device (start-up takes 2 ms)
 *   0xF3 status        measuring (bit 3): a conversion runs; im_update (bit 0): NVM data are
 *                      being copied to the image registers (after reset)
 *   0xF2 ctrl_hum      osrs_h[2:0]; takes effect only after a write to ctrl_meas
 *   0xF4 ctrl_meas     osrs_t[7:5], osrs_p[4:2], mode[1:0] (01 = forced: one measurement, then sleep)
 *   0xF7..0xFE         press (20 bit: msb, lsb, xlsb[7:4]), temp (20 bit, same), hum (16 bit, msb lsb)
 *   0x88..0xA1         trimming dig_T1..dig_T3, dig_P1..dig_P9 (16 bit little endian; T1 and P1
 *                      unsigned), dig_H1 at 0xA1 (u8)
 *   0xE1..0xE7         dig_H2 (s16), dig_H3 (u8), dig_H4 = 0xE4 << 4 | 0xE5[3:0] (s12),
 *                      dig_H5 = 0xE6 << 4 | 0xE5[7:4] (s12), dig_H6 (s8)
 *   Reads auto-increment the register address.
 *
 * Oversampling x1 for all three; with that a forced measurement takes at most
 * 1.25 + 2.3 + (2.3 + 0.575) + (2.3 + 0.575) = 9.3 ms (datasheet, appendix 9.1).
 * Compensation: the datasheet's integer formulas (section 4.2.3): 32-bit for temperature (0.01 degC,
 * and t_fine for the others) and humidity (Q22.10 %RH), 64-bit for pressure (Q24.8 Pa).
 *
 * Imports only wasi:i2c (i2c, delay).
 */
#define DEVICES_EXPORT_SENSOR
#include "driver.h"

#define BME280_ID 0xD0
#define BME280_ID_VALUE 0x60
#define BME280_RESET 0xE0
#define BME280_RESET_VALUE 0xB6
#define BME280_CALIB_00 0x88 /* ..0xA1: 26 bytes */
#define BME280_CALIB_26 0xE1 /* ..0xE7: 7 bytes */
#define BME280_CTRL_HUM 0xF2
#define BME280_STATUS 0xF3
#define BME280_CTRL_MEAS 0xF4
#define BME280_PRESS_MSB 0xF7 /* ..0xFE: 8 bytes */

#define STATUS_MEASURING 0x08
#define STATUS_IM_UPDATE 0x01
#define OSRS_X1 1
#define MODE_FORCED 1

#define MEASUREMENT_US 9300
#define POLL_US 1000
#define POLLS 50

static struct {
  uint16_t t1;
  int16_t t2, t3;
  uint16_t p1;
  int16_t p2, p3, p4, p5, p6, p7, p8, p9;
  uint8_t h1;
  int16_t h2;
  uint8_t h3;
  int16_t h4, h5;
  int8_t h6;
} trim;

static uint16_t u16le(const uint8_t *b) { return (uint16_t)(b[0] | b[1] << 8); }
static int16_t s16le(const uint8_t *b) { return (int16_t)u16le(b); }

/* Waits until the status bits in `mask` are clear. */
static bool wait_status_clear(uint8_t mask, const char *what) {
  for (int poll = 0; poll < POLLS; poll++) {
    uint8_t status;
    if (!reg_read(BME280_STATUS, &status, 1)) return false;
    if ((status & mask) == 0) return true;
    delay_us(POLL_US);
  }
  iw_builder_t *message = fail_device();
  iw_builder_append_cstr(message, what);
  iw_builder_append_cstr(message, " does not end (status register)");
  return false;
}

static bool read_trimming(void) {
  uint8_t a[26], b[7];
  if (!reg_read(BME280_CALIB_00, a, sizeof a) || !reg_read(BME280_CALIB_26, b, sizeof b)) return false;
  trim.t1 = u16le(&a[0]);
  trim.t2 = s16le(&a[2]);
  trim.t3 = s16le(&a[4]);
  trim.p1 = u16le(&a[6]);
  trim.p2 = s16le(&a[8]);
  trim.p3 = s16le(&a[10]);
  trim.p4 = s16le(&a[12]);
  trim.p5 = s16le(&a[14]);
  trim.p6 = s16le(&a[16]);
  trim.p7 = s16le(&a[18]);
  trim.p8 = s16le(&a[20]);
  trim.p9 = s16le(&a[22]);
  trim.h1 = a[25]; /* 0xA1; 0xA0 is unused */
  trim.h2 = s16le(&b[0]);
  trim.h3 = b[2];
  /* 12-bit signed values: the full byte carries the sign, the shared register's nibble the low bits. */
  trim.h4 = (int16_t)((int8_t)b[3] * 16 | (b[4] & 0x0F));
  trim.h5 = (int16_t)((int8_t)b[5] * 16 | (b[4] >> 4));
  trim.h6 = (int8_t)b[6];
  if (trim.t1 == 0 || trim.p1 == 0) return fail_device_text("trimming parameters dig_T1 / dig_P1 are zero");
  return true;
}

/* Checks the chip id, resets, and reads the trimming parameters once the NVM copy is done. */
static bool probe(void) {
  uint8_t id;
  if (!reg_read(BME280_ID, &id, 1)) return false;
  if (id != BME280_ID_VALUE) {
    iw_builder_t *message = fail_device();
    iw_builder_append_cstr(message, "chip id is ");
    append_hex8(message, id);
    iw_builder_append_cstr(message, ", a BME280 answers 0x60");
    return false;
  }
  if (!reg_write(BME280_RESET, BME280_RESET_VALUE)) return false;
  delay_us(2000);
  return wait_status_clear(STATUS_IM_UPDATE, "copying the NVM after reset") && read_trimming();
}

void exports_devices_i2c_attach_attach(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address,
                                       devices_result_void_string_t *ret) {
  attach_begin(bus, delay, address);
  if (probe())
    attach_ok(ret);
  else
    attach_fail("bme280", ret);
}

void exports_devices_sensor_driver_name(iw_string_t *ret) { *ret = iw_string_dup("bme280 1.0"); }

/* --- compensation (datasheet 4.2.3) --- */

/* Temperature in 0.01 degC; sets *t_fine, which the other two formulas use. */
static int32_t compensate_temperature(int32_t adc_t, int32_t *t_fine) {
  int32_t var1 = (((adc_t >> 3) - ((int32_t)trim.t1 << 1)) * (int32_t)trim.t2) >> 11;
  int32_t delta = (adc_t >> 4) - (int32_t)trim.t1;
  int32_t var2 = (((delta * delta) >> 12) * (int32_t)trim.t3) >> 14;
  *t_fine = var1 + var2;
  return (*t_fine * 5 + 128) >> 8;
}

/* Pressure in Pa as Q24.8 (value / 256 = Pa); 0 if the trimming would divide by zero. */
static uint32_t compensate_pressure(int32_t adc_p, int32_t t_fine) {
  int64_t var1 = (int64_t)t_fine - 128000;
  int64_t var2 = var1 * var1 * (int64_t)trim.p6;
  var2 += (var1 * (int64_t)trim.p5) * 131072;      /* << 17 */
  var2 += (int64_t)trim.p4 * 34359738368LL;        /* << 35 */
  var1 = ((var1 * var1 * (int64_t)trim.p3) >> 8) + ((var1 * (int64_t)trim.p2) * 4096); /* << 12 */
  var1 = ((((int64_t)1 << 47) + var1) * (int64_t)trim.p1) >> 33;
  if (var1 == 0) return 0;
  int64_t p = 1048576 - adc_p;
  p = ((p * 2147483648LL - var2) * 3125) / var1; /* p << 31 */
  var1 = ((int64_t)trim.p9 * (p >> 13) * (p >> 13)) >> 25;
  var2 = ((int64_t)trim.p8 * p) >> 19;
  p = ((p + var1 + var2) >> 8) + ((int64_t)trim.p7 * 16); /* << 4 */
  return (uint32_t)p;
}

/* Relative humidity as Q22.10 (value / 1024 = %RH). */
static uint32_t compensate_humidity(int32_t adc_h, int32_t t_fine) {
  int32_t x = t_fine - 76800;
  int32_t scaled = ((adc_h * 16384) - ((int32_t)trim.h4 * 1048576) - ((int32_t)trim.h5 * x) + 16384) >> 15; /* << 14, << 20 */
  int32_t factor = (((((x * (int32_t)trim.h6) >> 10) * (((x * (int32_t)trim.h3) >> 11) + 32768)) >> 10) + 2097152) * (int32_t)trim.h2 + 8192;
  x = scaled * (factor >> 14);
  x -= (((((x >> 15) * (x >> 15)) >> 7) * (int32_t)trim.h1) >> 4);
  if (x < 0) x = 0;
  if (x > 419430400) x = 419430400;
  return (uint32_t)(x >> 12);
}

/* One forced-mode measurement: raw 20-bit pressure and temperature, 16-bit humidity. */
static bool measure(int32_t *adc_p, int32_t *adc_t, int32_t *adc_h) {
  if (!reg_write(BME280_CTRL_HUM, OSRS_X1) || !reg_write(BME280_CTRL_MEAS, OSRS_X1 << 5 | OSRS_X1 << 2 | MODE_FORCED)) return false;
  delay_us(MEASUREMENT_US);
  if (!wait_status_clear(STATUS_MEASURING, "the forced measurement")) return false;
  uint8_t d[8];
  if (!reg_read(BME280_PRESS_MSB, d, sizeof d)) return false;
  *adc_p = (int32_t)((uint32_t)d[0] << 12 | (uint32_t)d[1] << 4 | d[2] >> 4);
  *adc_t = (int32_t)((uint32_t)d[3] << 12 | (uint32_t)d[4] << 4 | d[5] >> 4);
  *adc_h = (int32_t)((uint32_t)d[6] << 8 | d[7]);
  /* 0x80000 / 0x8000 are what the registers hold when a measurement was skipped. */
  if (*adc_t == 0x80000) return fail_device_text("the temperature measurement was skipped (0x80000)");
  return true;
}

void exports_devices_sensor_read(devices_sensor_result_reading_t *ret) {
  ret->is_err = true;
  if (!device.attached) {
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  int32_t adc_p, adc_t, adc_h, t_fine;
  if (!measure(&adc_p, &adc_t, &adc_h)) {
    failure_to_error(&ret->val.err);
    return;
  }
  int32_t centi_celsius = compensate_temperature(adc_t, &t_fine);
  ret->is_err = false;
  ret->val.ok.temperature = (float)centi_celsius / 100.0f;
  ret->val.ok.humidity.is_some = adc_h != 0x8000;
  ret->val.ok.humidity.val = ret->val.ok.humidity.is_some ? (float)compensate_humidity(adc_h, t_fine) / 1024.0f : 0.0f;
  uint32_t pressure = adc_p != 0x80000 ? compensate_pressure(adc_p, t_fine) : 0;
  ret->val.ok.pressure.is_some = pressure != 0;
  ret->val.ok.pressure.val = (float)pressure / 25600.0f; /* Q24.8 Pa -> hPa */
}
