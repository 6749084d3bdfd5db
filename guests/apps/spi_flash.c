/* Writes and reads back text on an SPI NOR flash over wasi:spi (world
 * ironwasm:devices/spi-flash-app), with the command set common to 25-series serial NOR flashes
 * (Winbond W25Q, Macronix MX25L, ... datasheets):
 *
 *   0x9F  read JEDEC id: manufacturer, memory type, capacity (2^capacity bytes, usually)
 *   0x05  read status register 1: bit 0 BUSY (WIP), bit 1 WEL (write enable latch)
 *   0x06  write enable: sets WEL, needed before every erase and program
 *   0x20  sector erase + 24-bit address: the 4 KiB sector turns to 0xFF (45 ms typical, 400 ms max)
 *   0x02  page program + 24-bit address + 1..256 bytes: within one 256-byte page (0.7 ms typical,
 *         3 ms max); programming only clears bits, hence the erase first
 *   0x03  read data + 24-bit address, then any number of bytes
 *   Each command is one chip-select frame: CS low, command and arguments, data, CS high (the
 *   high edge starts an erase or program).
 *
 * run(address, text) opens the device named "flash0", reads the JEDEC id, erases every sector
 * the text touches, programs it page by page (write enable before each, then polling BUSY until
 * clear), reads it back and compares. Returns a report, e.g.
 *   jedec id ef 40 18
 *   erased 1 sector at 0x001000
 *   programmed 11 bytes at 0x001000 in 1 page
 *   read back "hello flash": match
 * or an error naming the step. Core imports: from wasi:spi/spi open,
 * [method]spi-device.transaction, [resource-drop]spi-device. No WASI.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#include <wasi/spi.h>

#define CMD_JEDEC_ID 0x9F
#define CMD_READ_STATUS 0x05
#define CMD_WRITE_ENABLE 0x06
#define CMD_SECTOR_ERASE 0x20
#define CMD_PAGE_PROGRAM 0x02
#define CMD_READ 0x03
#define STATUS_BUSY 0x01
#define STATUS_WEL 0x02
#define SECTOR_SIZE 4096u
#define PAGE_SIZE 256u
#define ADDRESS_LIMIT (1u << 24) /* 3-byte addresses */

/* BUSY is polled with 100 us pauses (CS held, no clocks) for up to 2 s, above every erase time. */
#define POLL_DELAY_NS 100000u
#define POLLS 20000

static wasi_spi_own_spi_device_t flash;
static iw_builder_t *report;

static bool fail(const char *step, wasi_spi_error_t *error) {
  iw_builder_append_cstr(report, step);
  iw_builder_append_cstr(report, " failed");
  if (error != NULL) {
    iw_builder_append_cstr(report, ": ");
    wasi_spi_error_describe(report, error);
    wasi_spi_error_free(error);
  }
  return false;
}

static void append_hex(iw_builder_t *b, uint32_t value, int digits) {
  static const char hex[] = "0123456789abcdef";
  char text[8];
  for (int i = digits; i-- > 0; value >>= 4) text[i] = hex[value & 15];
  iw_builder_append(b, text, (size_t)digits);
}

static void append_address(iw_builder_t *b, uint32_t address) {
  iw_builder_append_cstr(b, "0x");
  append_hex(b, address, 6);
}

/* One CS frame: an optional pause, `out` written, then `in_len` bytes read into `in`. */
static bool frame(const char *step, uint32_t pause_ns, const uint8_t *out, size_t out_len, uint8_t *in, size_t in_len) {
  wasi_spi_operation_t operations[3];
  size_t count = 0;
  if (pause_ns != 0) operations[count++] = (wasi_spi_operation_t){.tag = WASI_SPI_OPERATION_DELAY_NS, .val.delay_ns = pause_ns};
  operations[count++] = (wasi_spi_operation_t){.tag = WASI_SPI_OPERATION_WRITE, .val.write = {(uint8_t *)out, out_len}};
  if (in_len != 0) operations[count++] = (wasi_spi_operation_t){.tag = WASI_SPI_OPERATION_READ, .val.read = in_len};
  wasi_spi_result_list_operation_result_error_t result;
  wasi_spi_method_spi_device_transaction(wasi_spi_borrow_spi_device(flash), (wasi_spi_list_operation_t){operations, count}, &result);
  if (result.is_err) return fail(step, &result.val.err);
  bool complete = result.val.ok.len == count;
  if (complete && in_len != 0) {
    wasi_spi_operation_result_t *read = &result.val.ok.ptr[count - 1];
    complete = read->tag == WASI_SPI_OPERATION_RESULT_READ && read->val.read.len == in_len;
    if (complete) memcpy(in, read->val.read.ptr, in_len);
  }
  wasi_spi_result_list_operation_result_error_free(&result);
  if (!complete) {
    iw_builder_append_cstr(report, step);
    iw_builder_append_cstr(report, " failed: the transaction returned other results than its operations ask for");
  }
  return complete;
}

static bool read_status(const char *step, uint32_t pause_ns, uint8_t *status) {
  uint8_t command = CMD_READ_STATUS;
  return frame(step, pause_ns, &command, 1, status, 1);
}

static bool wait_while_busy(const char *step) {
  uint8_t status = STATUS_BUSY;
  for (int poll = 0; poll < POLLS; poll++) {
    if (!read_status(step, poll == 0 ? 0 : POLL_DELAY_NS, &status)) return false;
    if ((status & STATUS_BUSY) == 0) return true;
  }
  iw_builder_append_cstr(report, step);
  iw_builder_append_cstr(report, " failed: the flash stays busy");
  return false;
}

static bool write_enable(const char *step) {
  uint8_t command = CMD_WRITE_ENABLE, status;
  if (!frame(step, 0, &command, 1, NULL, 0) || !read_status(step, 0, &status)) return false;
  if ((status & STATUS_WEL) != 0) return true;
  iw_builder_append_cstr(report, step);
  iw_builder_append_cstr(report, " failed: write enable did not set WEL (write protected?)");
  return false;
}

/* A command byte and a 24-bit address, then `data`. */
static bool command_at(const char *step, uint8_t command, uint32_t address, const uint8_t *data, size_t len, uint8_t *in, size_t in_len) {
  uint8_t out[4 + PAGE_SIZE] = {command, (uint8_t)(address >> 16), (uint8_t)(address >> 8), (uint8_t)address};
  if (len != 0) memcpy(out + 4, data, len);
  return frame(step, 0, out, 4 + len, in, in_len);
}

static bool check_id(uint32_t address, size_t len) {
  uint8_t command = CMD_JEDEC_ID, id[3];
  if (!frame("read jedec id", 0, &command, 1, id, sizeof id)) return false;
  iw_builder_append_cstr(report, "jedec id ");
  for (int i = 0; i < 3; i++) {
    if (i != 0) iw_builder_append_cstr(report, " ");
    append_hex(report, id[i], 2);
  }
  iw_builder_append_cstr(report, "\n");
  if ((id[0] == 0x00 && id[1] == 0x00 && id[2] == 0x00) || (id[0] == 0xFF && id[1] == 0xFF && id[2] == 0xFF)) {
    iw_builder_append_cstr(report, "no flash answers on \"flash0\"");
    return false;
  }
  uint32_t capacity = id[2] >= 16 && id[2] <= 24 ? 1u << id[2] : ADDRESS_LIMIT;
  if (address >= capacity || len > capacity - address) {
    iw_builder_append_cstr(report, "the text does not fit: the flash ends at ");
    append_address(report, capacity);
    return false;
  }
  return true;
}

static bool erase(uint32_t address, size_t len) {
  uint32_t first = address / SECTOR_SIZE, last = (uint32_t)((address + len - 1) / SECTOR_SIZE);
  for (uint32_t sector = first; sector <= last; sector++)
    if (!write_enable("sector erase") || !command_at("sector erase", CMD_SECTOR_ERASE, sector * SECTOR_SIZE, NULL, 0, NULL, 0) ||
        !wait_while_busy("sector erase"))
      return false;
  iw_builder_append_cstr(report, "erased ");
  iw_builder_append_u32(report, last - first + 1);
  iw_builder_append_cstr(report, last == first ? " sector at " : " sectors from ");
  append_address(report, first * SECTOR_SIZE);
  iw_builder_append_cstr(report, "\n");
  return true;
}

static bool program(uint32_t address, const uint8_t *data, size_t len) {
  uint32_t pages = 0;
  for (size_t done = 0; done < len; pages++) {
    uint32_t at = address + (uint32_t)done;
    size_t chunk = PAGE_SIZE - at % PAGE_SIZE; /* up to the end of this page: a program wraps within a page */
    if (chunk > len - done) chunk = len - done;
    if (!write_enable("page program") || !command_at("page program", CMD_PAGE_PROGRAM, at, data + done, chunk, NULL, 0) ||
        !wait_while_busy("page program"))
      return false;
    done += chunk;
  }
  iw_builder_append_cstr(report, "programmed ");
  iw_builder_append_u32(report, (uint32_t)len);
  iw_builder_append_cstr(report, " bytes at ");
  append_address(report, address);
  iw_builder_append_cstr(report, " in ");
  iw_builder_append_u32(report, pages);
  iw_builder_append_cstr(report, pages == 1 ? " page\n" : " pages\n");
  return true;
}

static bool verify(uint32_t address, const uint8_t *expected, size_t len) {
  uint8_t *back = malloc(len);
  if (back == NULL) abort();
  bool ok = command_at("read back", CMD_READ, address, NULL, 0, back, len);
  if (ok) {
    size_t differs = 0;
    while (differs < len && back[differs] == expected[differs]) differs++;
    ok = differs == len;
    if (ok) {
      /* Equal to the text, so valid UTF-8 to put into the report. */
      iw_builder_append_cstr(report, "read back \"");
      iw_builder_append(report, back, len);
      iw_builder_append_cstr(report, "\": match");
    } else {
      iw_builder_append_cstr(report, "read back differs at byte ");
      iw_builder_append_u32(report, (uint32_t)differs);
      iw_builder_append_cstr(report, ": wrote 0x");
      append_hex(report, expected[differs], 2);
      iw_builder_append_cstr(report, ", read 0x");
      append_hex(report, back[differs], 2);
    }
  }
  free(back);
  return ok;
}

static bool run(uint32_t address, iw_string_t text) {
  if (text.len == 0) {
    iw_builder_append_cstr(report, "the text is empty: nothing to write");
    return false;
  }
  if (address >= ADDRESS_LIMIT || text.len > ADDRESS_LIMIT - address) {
    iw_builder_append_cstr(report, "address and length must stay below 0x1000000 (3-byte addressing)");
    return false;
  }
  wasi_spi_result_own_spi_device_error_t opened;
  wasi_spi_open(iw_string_view("flash0"), &opened);
  if (opened.is_err) return fail("open \"flash0\"", &opened.val.err);
  flash = opened.val.ok;
  bool ok = check_id(address, text.len) && erase(address, text.len) && program(address, text.ptr, text.len) &&
            verify(address, text.ptr, text.len);
  wasi_spi_spi_device_drop_own(flash);
  return ok;
}

/* export run: func(address: u32, text: string) -> result<string, string>; the text is ours. */
typedef IW_RESULT(iw_string_t, iw_string_t) result_string_string_t;
IW_ASSERT_LAYOUT(result_string_string_t, 12, 4);
IW_ASSERT_OFFSET(result_string_string_t, val, 4);

static result_string_string_t run_area;

IW_EXPORT("run")
result_string_string_t *export_run(int32_t address, uint8_t *text_ptr, size_t text_len) {
  iw_builder_t log = {0};
  iw_string_t text = {text_ptr, text_len};
  report = &log;
  run_area.is_err = !run((uint32_t)address, text);
  report = NULL;
  iw_string_free(&text);
  /* Both cases hold the report; the union makes ok and err the same field. */
  run_area.val.ok = iw_builder_finish(&log);
  return &run_area;
}

IW_EXPORT("cabi_post_run")
void post_run(result_string_string_t *ret) { iw_string_free(&ret->val.ok); }
