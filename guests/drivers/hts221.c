/* ST HTS221 relative humidity and temperature sensor (world ironwasm:devices/sensor-driver), from
 * the datasheet (DocID026333) and ST's note on interpreting its output (TN1218):
 *
 *   0x0F WHO_AM_I      reads 0xBC
 *   0x20 CTRL_REG1     PD (bit 7) powers on, BDU (bit 2) keeps output MSB and LSB from one
 *                      sample, ODR[1:0] = 00 selects one-shot mode
 *   0x21 CTRL_REG2     ONE_SHOT (bit 0) starts a conversion (cleared by the device when done)
 *   0x27 STATUS_REG    H_DA (bit 1), T_DA (bit 0): new humidity / temperature available
 *   0x28..0x2B         HUMIDITY_OUT, TEMP_OUT: int16 little endian
 *   0x30..0x3F         calibration: H0_rH_x2, H1_rH_x2, T0_degC_x8, T1_degC_x8 (low bytes; bits 9:8
 *                      of T0 and T1 in 0x35 bits 1:0 and 3:2), H0_T0_OUT at 0x36, H1_T0_OUT at 0x3A,
 *                      T0_OUT at 0x3C, T1_OUT at 0x3E (int16 little endian)
 *   Over I2C, bit 7 of the sub-address set makes a multi-byte read auto-increment.
 *
 * Both quantities are linear between the two calibration points:
 *   T = T0 + (T_OUT - T0_OUT) (T1 - T0) / (T1_OUT - T0_OUT), T0 = T0_degC_x8 / 8, T1 likewise
 *   H = H0 + (H_OUT - H0_T0_OUT) (H1 - H0) / (H1_T0_OUT - H0_T0_OUT), H0 = H0_rH_x2 / 2, H1 likewise
 * with the humidity clamped to 0..100 %.
 *
 * Imports only wasi:i2c (i2c, delay).
 */
#define DEVICES_EXPORT_SENSOR
#include "driver.h"

#define HTS221_WHO_AM_I 0x0F
#define HTS221_WHO_AM_I_VALUE 0xBC
#define HTS221_CTRL_REG1 0x20
#define HTS221_CTRL_REG2 0x21
#define HTS221_STATUS_REG 0x27
#define HTS221_HUMIDITY_OUT_L 0x28
#define HTS221_CALIB_0 0x30
#define HTS221_AUTO_INCREMENT 0x80

#define CTRL_REG1_PD 0x80
#define CTRL_REG1_BDU 0x04
#define CTRL_REG2_ONE_SHOT 0x01
#define STATUS_T_DA 0x01
#define STATUS_H_DA 0x02

/* A one-shot conversion takes a few milliseconds with the default averaging; wait in steps. */
#define CONVERSION_POLL_US 2000
#define CONVERSION_POLLS 100

static struct {
  float t0_degc, t1_degc, h0_rh, h1_rh;
  int16_t t0_out, t1_out, h0_t0_out, h1_t0_out;
} calibration;

static int16_t le16(const uint8_t *bytes) { return (int16_t)(bytes[0] | bytes[1] << 8); }

static bool read_calibration(void) {
  uint8_t c[16];
  if (!reg_read(HTS221_CALIB_0 | HTS221_AUTO_INCREMENT, c, sizeof c)) return false;
  calibration.h0_rh = c[0] / 2.0f;
  calibration.h1_rh = c[1] / 2.0f;
  calibration.t0_degc = (uint16_t)(c[2] | (c[5] & 0x03) << 8) / 8.0f;
  calibration.t1_degc = (uint16_t)(c[3] | (c[5] & 0x0C) << 6) / 8.0f;
  calibration.h0_t0_out = le16(&c[0x06]);
  calibration.h1_t0_out = le16(&c[0x0A]);
  calibration.t0_out = le16(&c[0x0C]);
  calibration.t1_out = le16(&c[0x0E]);
  if (calibration.t0_out == calibration.t1_out || calibration.h0_t0_out == calibration.h1_t0_out)
    return fail_device_text("calibration registers hold equal output points");
  return true;
}

/* Checks the identity, reads the calibration and powers the sensor on in one-shot mode. */
static bool probe(void) {
  uint8_t id;
  if (!reg_read(HTS221_WHO_AM_I, &id, 1)) return false;
  if (id != HTS221_WHO_AM_I_VALUE) {
    iw_builder_t *message = fail_device();
    iw_builder_append_cstr(message, "WHO_AM_I is ");
    append_hex8(message, id);
    iw_builder_append_cstr(message, ", an HTS221 answers 0xBC");
    return false;
  }
  return read_calibration() && reg_write(HTS221_CTRL_REG1, CTRL_REG1_PD | CTRL_REG1_BDU);
}

void exports_devices_i2c_attach_attach(wasi_i2c_own_i2c_t bus, wasi_i2c_own_delay_t delay, wasi_i2c_address_t address,
                                       devices_result_void_string_t *ret) {
  attach_begin(bus, delay, address);
  if (probe())
    attach_ok(ret);
  else
    attach_fail("hts221", ret);
}

void exports_devices_sensor_driver_name(iw_string_t *ret) { *ret = iw_string_dup("hts221 1.0"); }

static bool measure(int16_t *humidity_out, int16_t *temperature_out) {
  if (!reg_write(HTS221_CTRL_REG2, CTRL_REG2_ONE_SHOT)) return false;
  uint8_t status = 0;
  for (int poll = 0; (status & (STATUS_T_DA | STATUS_H_DA)) != (STATUS_T_DA | STATUS_H_DA); poll++) {
    if (poll == CONVERSION_POLLS) return fail_device_text("no new sample after a one-shot conversion (STATUS_REG stays without H_DA and T_DA)");
    if (poll != 0) delay_us(CONVERSION_POLL_US);
    if (!reg_read(HTS221_STATUS_REG, &status, 1)) return false;
  }
  uint8_t out[4];
  if (!reg_read(HTS221_HUMIDITY_OUT_L | HTS221_AUTO_INCREMENT, out, sizeof out)) return false;
  *humidity_out = le16(&out[0]);
  *temperature_out = le16(&out[2]);
  return true;
}

void exports_devices_sensor_read(devices_sensor_result_reading_t *ret) {
  ret->is_err = true;
  if (!device.attached) {
    ret->val.err.tag = DEVICES_ERROR_NOT_ATTACHED;
    return;
  }
  int16_t h_out, t_out;
  if (!measure(&h_out, &t_out)) {
    failure_to_error(&ret->val.err);
    return;
  }
  float temperature = calibration.t0_degc + (float)(t_out - calibration.t0_out) * (calibration.t1_degc - calibration.t0_degc) /
                                                (float)(calibration.t1_out - calibration.t0_out);
  float humidity = calibration.h0_rh + (float)(h_out - calibration.h0_t0_out) * (calibration.h1_rh - calibration.h0_rh) /
                                           (float)(calibration.h1_t0_out - calibration.h0_t0_out);
  if (humidity < 0) humidity = 0;
  if (humidity > 100) humidity = 100;
  ret->is_err = false;
  ret->val.ok.temperature = temperature;
  ret->val.ok.humidity.is_some = true;
  ret->val.ok.humidity.val = humidity;
  ret->val.ok.pressure.is_some = false;
}
