/* gamepad: reads a HID gamepad's input reports from its interrupt IN endpoint and prints every
 * button and axis change.
 *
 *   gamepad [--count N] [--duration TIME] [--device VID:PID]
 *
 * The device is the first visible one with that VID:PID (default 1209:0003, the simulated
 * GamepadDevice), or with --device any, the first visible device with a HID interface. The report
 * is the simulated gamepad's (src/IronWasm.Hardware/Usb/README.md): 16 buttons (little-endian bit
 * mask: a b x y left-shoulder right-shoulder back start left-stick right-stick up down left right
 * guide extra), then left-x, left-y, right-x, right-y as signed bytes. The device reports its
 * state once at start and then on every change; the first report prints the whole state, each
 * later one a line per change ("button a pressed", "axis left-x -127").
 *
 * --count N stops after N reports; --duration TIME (500ms, 2s; a bare number is milliseconds)
 * stops after that long; without either it runs until interrupted. The HID interface's kernel
 * driver is detached for the run and attached again at the end. Exit status 0; 1 on an error (no
 * gamepad visible, access denied by policy, a failed transfer); 2 on bad usage.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#include <ironwasm/usb_util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HID_CLASS 0x03
#define REPORT_LENGTH 6
#define POLL_TIMEOUT_MS 100

static const char *const BUTTONS[16] = {"a",           "b",          "x",  "y",    "left-shoulder", "right-shoulder", "back",  "start",
                                        "left-stick",  "right-stick", "up", "down", "left",          "right",          "guide", "extra"};
static const char *const AXES[4] = {"left-x", "left-y", "right-x", "right-y"};

typedef struct pad_state {
  uint16_t buttons;
  int8_t axes[4];
} pad_state_t;

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int parse_u32(const char *text, size_t len, uint32_t *out) {
  if (len == 0) return 0;
  uint64_t value = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9') return 0;
    value = value * 10 + (uint64_t)(text[i] - '0');
    if (value > 0xffffffffu) return 0;
  }
  *out = (uint32_t)value;
  return 1;
}

/* 500, 500ms or 2s, in milliseconds. */
static int parse_duration(const char *text, uint32_t *ms) {
  size_t len = strlen(text);
  if (len > 2 && strcmp(text + len - 2, "ms") == 0) return parse_u32(text, len - 2, ms);
  if (len > 1 && text[len - 1] == 's') {
    uint32_t seconds;
    if (!parse_u32(text, len - 1, &seconds) || seconds > 4000000) return 0;
    *ms = seconds * 1000;
    return 1;
  }
  return parse_u32(text, len, ms);
}

static int usage(const char *why) {
  if (why != NULL) fprintf(stderr, "gamepad: %s\n", why);
  fprintf(stderr, "usage: gamepad [--count N] [--duration TIME] [--device VID:PID|any]\n");
  return 2;
}

/* The HID interface and its interrupt IN endpoint, in the active configuration. */
static int find_hid_endpoint(const wasi_usb_configuration_descriptor_t *config, uint8_t *ifac, uint8_t *endpoint, uint16_t *max_packet) {
  for (size_t i = 0; i < config->interfaces.len; i++) {
    const wasi_usb_interface_descriptor_t *ifd = &config->interfaces.ptr[i];
    if (ifd->interface_class != HID_CLASS) continue;
    for (size_t e = 0; e < ifd->endpoints.len; e++) {
      const wasi_usb_endpoint_descriptor_t *ep = &ifd->endpoints.ptr[e];
      if ((ep->attributes & 0x03) == 3 && (ep->endpoint_address & 0x80)) {
        *ifac = ifd->interface_number;
        *endpoint = ep->endpoint_address;
        *max_packet = ep->max_packet_size & 0x7ff;
        return 1;
      }
    }
  }
  return 0;
}

static void print_state(const pad_state_t *s) {
  printf("state: buttons");
  if (s->buttons == 0) printf(" none");
  for (int b = 0; b < 16; b++)
    if (s->buttons & (1u << b)) printf(" %s", BUTTONS[b]);
  printf(";");
  for (int a = 0; a < 4; a++) printf(" %s %d", AXES[a], s->axes[a]);
  printf("\n");
}

static void print_changes(const pad_state_t *before, const pad_state_t *now) {
  uint16_t changed = before->buttons ^ now->buttons;
  for (int b = 0; b < 16; b++)
    if (changed & (1u << b)) printf("button %s %s\n", BUTTONS[b], now->buttons & (1u << b) ? "pressed" : "released");
  for (int a = 0; a < 4; a++)
    if (before->axes[a] != now->axes[a]) printf("axis %s %d\n", AXES[a], now->axes[a]);
}

int main(int argc, char **argv) {
  uint32_t count = 0, duration_ms = 0;
  int have_duration = 0, any_hid = 0;
  uint16_t vendor = 0x1209, product = 0x0003;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) return usage(NULL);
    if (i + 1 >= argc) return usage("every option takes a value");
    const char *value = argv[++i];
    if (strcmp(arg, "--count") == 0) {
      if (!parse_u32(value, strlen(value), &count) || count == 0) return usage("bad --count: a whole number, 1 or more");
    } else if (strcmp(arg, "--duration") == 0) {
      if (!parse_duration(value, &duration_ms)) return usage("bad --duration: e.g. 500ms, 2s, or milliseconds");
      have_duration = 1;
    } else if (strcmp(arg, "--device") == 0) {
      if (strcmp(value, "any") == 0) {
        any_hid = 1;
      } else if (!usb_parse_vid_pid(value, &vendor, &product)) {
        fprintf(stderr, "gamepad: bad --device '%s': expected VID:PID in hex (e.g. 1209:0003) or any\n", value);
        return 2;
      }
    } else {
      fprintf(stderr, "gamepad: unknown option '%s'\n", arg);
      return usage(NULL);
    }
  }

  wasi_usb_result_list_device_entry_t listed;
  wasi_usb_list_devices(&listed);
  if (listed.is_err) {
    fprintf(stderr, "gamepad: cannot list USB devices: %s\n", usb_strerror(usb_rc(listed.val.err)));
    return 1;
  }
  wasi_usb_own_device_handle_t handle = {0};
  uint8_t ifac = 0, endpoint = 0;
  uint16_t max_packet = 0;
  int status = -1;
  for (size_t i = 0; i < listed.val.ok.len && status < 0; i++) {
    wasi_usb_device_entry_t *entry = &listed.val.ok.ptr[i];
    if (!any_hid && (entry->descriptor.vendor_id != vendor || entry->descriptor.product_id != product)) continue;
    wasi_usb_borrow_usb_device_t device = wasi_usb_borrow_usb_device(entry->device);
    wasi_usb_result_configuration_descriptor_t config;
    wasi_usb_method_usb_device_get_active_configuration_descriptor(device, &config);
    if (config.is_err) continue;
    int found = find_hid_endpoint(&config.val.ok, &ifac, &endpoint, &max_packet);
    wasi_usb_configuration_descriptor_free(&config.val.ok);
    if (!found) continue;
    vendor = entry->descriptor.vendor_id, product = entry->descriptor.product_id;
    wasi_usb_result_device_handle_t opened;
    wasi_usb_method_usb_device_open(device, &opened);
    if (opened.is_err) {
      fprintf(stderr, "gamepad: cannot open %04x:%04x: %s\n", vendor, product, usb_strerror(usb_rc(opened.val.err)));
      status = 1;
    } else {
      handle = opened.val.ok;
      status = 0;
    }
  }
  wasi_usb_list_device_entry_free(&listed.val.ok);
  if (status < 0) {
    if (any_hid)
      fprintf(stderr, "gamepad: no HID device visible: none is connected, or the policy grants none to this guest\n");
    else
      fprintf(stderr, "gamepad: no gamepad visible (%04x:%04x with a HID interrupt IN endpoint): it is not connected, or the policy does not grant it to this guest\n",
              vendor, product);
    return 1;
  }
  if (status > 0) return 1;

  wasi_usb_borrow_device_handle_t dev = wasi_usb_borrow_device_handle(handle);
  int detached = 0;
  wasi_usb_result_bool_t active;
  wasi_usb_method_device_handle_kernel_driver_active(dev, ifac, &active);
  if (!active.is_err && active.val.ok) {
    wasi_usb_result_void_t r;
    wasi_usb_method_device_handle_detach_kernel_driver(dev, ifac, &r);
    if (r.is_err) {
      fprintf(stderr, "gamepad: cannot detach the kernel driver of interface %u: %s\n", ifac, usb_strerror(usb_rc(r.val.err)));
      usb_close(handle);
      return 1;
    }
    detached = 1;
  }
  int rc = usb_claim_interface(dev, ifac);
  if (rc < 0) {
    fprintf(stderr, "gamepad: cannot claim interface %u of %04x:%04x: %s\n", ifac, vendor, product, usb_strerror(rc));
    usb_close(handle);
    return 1;
  }
  printf("gamepad %04x:%04x: interface %u, endpoint 0x%02x\n", vendor, product, ifac, endpoint);
  fflush(stdout);

  uint8_t report[64];
  uint32_t length = max_packet == 0 || max_packet > sizeof report ? (uint32_t)sizeof report : max_packet;
  pad_state_t state = {0};
  uint32_t reports = 0;
  uint64_t deadline = have_duration ? now_ms() + duration_ms : 0;
  int failed = 0;
  /* The deadline is looked at after each read, so a run always reads at least once. */
  while (count == 0 || reports < count) {
    uint32_t timeout = POLL_TIMEOUT_MS;
    if (have_duration) {
      uint64_t now = now_ms();
      uint64_t left = now < deadline ? deadline - now : 0;
      if (left < timeout) timeout = left == 0 ? 1 : (uint32_t)left;
    }
    rc = usb_interrupt_transfer(dev, endpoint, report, length, timeout);
    if (rc < 0 && rc != USB_ERROR_TIMEOUT) { /* a timeout is no change within the poll */
      fprintf(stderr, "gamepad: reading a report from endpoint 0x%02x: %s\n", endpoint, usb_strerror(rc));
      if (rc == USB_ERROR_PIPE) usb_clear_halt(dev, endpoint);
      failed = 1;
      break;
    }
    if (rc >= 0 && rc < REPORT_LENGTH) {
      fprintf(stderr, "gamepad: a %d-byte report, expected %d: ignored\n", rc, REPORT_LENGTH);
    } else if (rc >= REPORT_LENGTH) {
      pad_state_t now = {(uint16_t)(report[0] | report[1] << 8), {(int8_t)report[2], (int8_t)report[3], (int8_t)report[4], (int8_t)report[5]}};
      if (reports == 0)
        print_state(&now);
      else
        print_changes(&state, &now);
      fflush(stdout);
      state = now;
      reports++;
    }
    if (have_duration && now_ms() >= deadline) break;
  }
  printf("%u reports\n", reports);

  usb_release_interface(dev, ifac);
  if (detached) {
    wasi_usb_result_void_t r;
    wasi_usb_method_device_handle_attach_kernel_driver(dev, ifac, &r);
  }
  usb_close(handle);
  return failed;
}
