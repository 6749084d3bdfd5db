/* ping: USB round-trip latency per transfer type and payload size, against an echo device (the
 * simulated EchoDevice 1209:0001, or any device that sends back IN what it got OUT, such as Linux's
 * usb_f_ss_lb loopback gadget for bulk).
 *
 *   ping [--type control|bulk|interrupt|iso|all] [--size N[,N...]] [--count N] [--device VID:PID]
 *        [--interface N] [--timeout MS]
 *
 * Defaults: all types, sizes 4,16,32, 100 round trips each, device 1209:0001, 1000 ms per transfer.
 * A round trip is one OUT transfer of the payload then one IN transfer of the same size, timed with
 * clock_gettime(CLOCK_MONOTONIC) (WASI clock_time_get) around both; the bytes that come back must
 * equal those sent. Control round trips use the echo device's vendor request 0x01 (0x40 stores the
 * data stage, 0xC0 reads it back); bulk, interrupt and isochronous ones use the first interface
 * (alternate setting) with an OUT and an IN endpoint of that type, or only interface N with
 * --interface (the loopback gadget 1209:000a of tests/vm/usb-gadgets.sh has source/sink on
 * interface 0 and loopback on 1: `--device 1209:000a --interface 1 --type bulk`); one packet per
 * isochronous transfer. Per (type, size) it prints a line for people and one for programs, exactly:
 *
 *   result type=bulk size=32 count=100 median_ns=NNN min_ns=NNN max_ns=NNN
 *
 * Exit status: 0 when every requested round trip succeeded; 1 on any error (the message says
 * which transfer and why: "access denied by policy", "pipe error (the endpoint stalled)", ...);
 * 2 on bad usage.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#include <ironwasm/usb_util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SIZES 16
#define CONTROL_MAX 4096  /* the echo device's control buffer */
#define ISO_IN_RETRIES 16 /* an isochronous IN polled before the data arrived brings an empty packet */
#define ECHO_REQUEST 0x01

enum { TYPE_CONTROL, TYPE_BULK, TYPE_INTERRUPT, TYPE_ISO, TYPE_COUNT };
static const char *const TYPE_NAMES[TYPE_COUNT] = {"control", "bulk", "interrupt", "iso"};
static const uint8_t ENDPOINT_TYPES[TYPE_COUNT] = {0, 2, 3, 1}; /* bmAttributes bits 1:0 */

/* An OUT and an IN endpoint of one type in one interface's alternate setting. */
typedef struct pair {
  int found;
  uint8_t interface, alt, out, in;
  uint16_t in_max_packet;
} pair_t;

typedef struct options {
  int types[TYPE_COUNT];
  uint32_t sizes[MAX_SIZES];
  size_t size_count;
  uint32_t count;
  uint16_t vendor, product;
  uint32_t timeout_ms;
  int all;
  int interface; /* -1: any */
} options_t;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int parse_u32(const char *text, uint32_t *out) {
  if (*text == '\0') return 0;
  uint64_t value = 0;
  for (const char *c = text; *c; c++) {
    if (*c < '0' || *c > '9') return 0;
    value = value * 10 + (uint64_t)(*c - '0');
    if (value > 0xffffffffu) return 0;
  }
  *out = (uint32_t)value;
  return 1;
}

static int usage(const char *why) {
  if (why != NULL) fprintf(stderr, "ping: %s\n", why);
  fprintf(stderr, "usage: ping [--type control|bulk|interrupt|iso|all] [--size N[,N...]] [--count N] [--device VID:PID] [--interface N] [--timeout MS]\n");
  return 2;
}

static int parse_options(int argc, char **argv, options_t *o) {
  memset(o, 0, sizeof *o);
  o->all = 1;
  for (int t = 0; t < TYPE_COUNT; t++) o->types[t] = 1;
  o->sizes[0] = 4, o->sizes[1] = 16, o->sizes[2] = 32, o->size_count = 3;
  o->count = 100;
  o->vendor = 0x1209, o->product = 0x0001;
  o->timeout_ms = 1000;
  o->interface = -1;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) return usage(NULL);
    if (value == NULL) return usage("every option takes a value");
    i++;
    if (strcmp(arg, "--type") == 0) {
      int t = 0;
      while (t < TYPE_COUNT && strcmp(value, TYPE_NAMES[t]) != 0) t++;
      if (strcmp(value, "isochronous") == 0) t = TYPE_ISO;
      if (strcmp(value, "all") == 0) {
        for (int k = 0; k < TYPE_COUNT; k++) o->types[k] = 1;
        o->all = 1;
      } else if (t < TYPE_COUNT) {
        for (int k = 0; k < TYPE_COUNT; k++) o->types[k] = k == t;
        o->all = 0;
      } else {
        fprintf(stderr, "ping: bad --type '%s'\n", value);
        return usage(NULL);
      }
    } else if (strcmp(arg, "--size") == 0) {
      o->size_count = 0;
      char copy[256];
      if (strlen(value) >= sizeof copy) return usage("--size: too long");
      strcpy(copy, value);
      for (char *part = strtok(copy, ","); part != NULL; part = strtok(NULL, ",")) {
        uint32_t size;
        if (o->size_count == MAX_SIZES) return usage("--size: at most 16 sizes");
        if (!parse_u32(part, &size) || size == 0 || size > 65536) {
          fprintf(stderr, "ping: bad --size '%s': sizes are 1 to 65536 bytes\n", part);
          return 2;
        }
        o->sizes[o->size_count++] = size;
      }
      if (o->size_count == 0) return usage("--size: no sizes");
    } else if (strcmp(arg, "--count") == 0) {
      if (!parse_u32(value, &o->count) || o->count == 0 || o->count > 10000000) return usage("bad --count: 1 to 10000000");
    } else if (strcmp(arg, "--interface") == 0) {
      uint32_t number;
      if (!parse_u32(value, &number) || number > 255) return usage("bad --interface: 0 to 255");
      o->interface = (int)number;
    } else if (strcmp(arg, "--timeout") == 0) {
      if (!parse_u32(value, &o->timeout_ms)) return usage("bad --timeout: milliseconds, 0 for none");
    } else if (strcmp(arg, "--device") == 0) {
      if (!usb_parse_vid_pid(value, &o->vendor, &o->product)) {
        fprintf(stderr, "ping: bad --device '%s': expected VID:PID in hex, e.g. 1209:0001\n", value);
        return 2;
      }
    } else {
      fprintf(stderr, "ping: unknown option '%s'\n", arg);
      return usage(NULL);
    }
  }
  return 0;
}

/* The first alternate setting (of interface `only`, unless it is -1) with an OUT and an IN endpoint of the type. */
static pair_t find_pair(const wasi_usb_configuration_descriptor_t *config, uint8_t endpoint_type, int only) {
  pair_t pair = {0};
  for (size_t i = 0; i < config->interfaces.len && !pair.found; i++) {
    const wasi_usb_interface_descriptor_t *ifd = &config->interfaces.ptr[i];
    if (only >= 0 && ifd->interface_number != only) continue;
    int out = -1, in = -1;
    uint16_t in_max = 0;
    for (size_t e = 0; e < ifd->endpoints.len; e++) {
      const wasi_usb_endpoint_descriptor_t *ep = &ifd->endpoints.ptr[e];
      if ((ep->attributes & 0x03) != endpoint_type) continue;
      if (ep->endpoint_address & 0x80) {
        if (in < 0) in = ep->endpoint_address, in_max = ep->max_packet_size & 0x7ff;
      } else if (out < 0) {
        out = ep->endpoint_address;
      }
    }
    if (out >= 0 && in >= 0) {
      pair = (pair_t){1, ifd->interface_number, ifd->alternate_setting, (uint8_t)out, (uint8_t)in, in_max};
    }
  }
  return pair;
}

/* Claims (once) and selects the alternate setting of a pair's interface, detaching a kernel driver. */
static int prepare_interface(wasi_usb_borrow_device_handle_t dev, const pair_t *pair, uint32_t *claimed, const char *type) {
  if (!(*claimed & (1u << (pair->interface & 31)))) {
    wasi_usb_result_bool_t active;
    wasi_usb_method_device_handle_kernel_driver_active(dev, pair->interface, &active);
    if (!active.is_err && active.val.ok) {
      wasi_usb_result_void_t detached;
      wasi_usb_method_device_handle_detach_kernel_driver(dev, pair->interface, &detached);
    }
    int rc = usb_claim_interface(dev, pair->interface);
    if (rc < 0) {
      fprintf(stderr, "ping: %s: cannot claim interface %u: %s\n", type, pair->interface, usb_strerror(rc));
      return rc;
    }
    *claimed |= 1u << (pair->interface & 31);
  }
  int rc = usb_set_interface_altsetting(dev, pair->interface, pair->alt);
  if (rc < 0) {
    fprintf(stderr, "ping: %s: cannot select alternate setting %u of interface %u: %s\n", type, pair->alt, pair->interface, usb_strerror(rc));
    return rc;
  }
  return 0;
}

typedef struct round_trip {
  wasi_usb_borrow_device_handle_t dev;
  int type;
  const pair_t *pair;
  uint32_t timeout_ms;
} round_trip_t;

/* Reports a failed transfer and clears a stalled endpoint so the device stays usable. */
static int transfer_failed(const round_trip_t *rt, const char *direction, uint8_t endpoint, uint32_t size, uint32_t trip, int rc) {
  if (rt->type == TYPE_CONTROL)
    fprintf(stderr, "ping: control %s %u bytes (vendor request 0x%02x), round trip %u: %s\n", direction, size, ECHO_REQUEST, trip + 1, usb_strerror(rc));
  else
    fprintf(stderr, "ping: %s %s %u bytes (endpoint 0x%02x), round trip %u: %s\n", TYPE_NAMES[rt->type], direction, size, endpoint, trip + 1, usb_strerror(rc));
  if (rc == USB_ERROR_PIPE && rt->type != TYPE_CONTROL) usb_clear_halt(rt->dev, endpoint);
  return rc;
}

/* One OUT then IN; the received byte count, or a USB_ERROR_*. */
static int one_round_trip(const round_trip_t *rt, uint8_t *out, uint8_t *in, uint32_t size, uint32_t trip) {
  int rc;
  switch (rt->type) {
    case TYPE_CONTROL:
      rc = usb_control_transfer(rt->dev, USB_DIR_OUT | USB_TYPE_VENDOR | USB_RECIP_DEVICE, ECHO_REQUEST, 0, 0, out, (uint16_t)size, rt->timeout_ms);
      if (rc < 0) return transfer_failed(rt, "OUT", 0, size, trip, rc);
      rc = usb_control_transfer(rt->dev, USB_DIR_IN | USB_TYPE_VENDOR | USB_RECIP_DEVICE, ECHO_REQUEST, 0, 0, in, (uint16_t)size, rt->timeout_ms);
      if (rc < 0) return transfer_failed(rt, "IN", 0, size, trip, rc);
      return rc;
    case TYPE_BULK:
      rc = usb_bulk_transfer(rt->dev, rt->pair->out, out, size, rt->timeout_ms);
      if (rc < 0) return transfer_failed(rt, "OUT", rt->pair->out, size, trip, rc);
      rc = usb_bulk_transfer(rt->dev, rt->pair->in, in, size, rt->timeout_ms);
      if (rc < 0) return transfer_failed(rt, "IN", rt->pair->in, size, trip, rc);
      return rc;
    case TYPE_INTERRUPT:
      rc = usb_interrupt_transfer(rt->dev, rt->pair->out, out, size, rt->timeout_ms);
      if (rc < 0) return transfer_failed(rt, "OUT", rt->pair->out, size, trip, rc);
      rc = usb_interrupt_transfer(rt->dev, rt->pair->in, in, size, rt->timeout_ms);
      if (rc < 0) return transfer_failed(rt, "IN", rt->pair->in, size, trip, rc);
      return rc;
    default:
      rc = usb_iso_transfer(rt->dev, rt->pair->out, out, size, 1, rt->timeout_ms);
      if (rc < 0) return transfer_failed(rt, "OUT", rt->pair->out, size, trip, rc);
      for (int attempt = 0; attempt < ISO_IN_RETRIES; attempt++) {
        rc = usb_iso_transfer(rt->dev, rt->pair->in, in, size, 1, rt->timeout_ms);
        if (rc != 0) break;
      }
      if (rc < 0) return transfer_failed(rt, "IN", rt->pair->in, size, trip, rc);
      return rc;
  }
}

/* count round trips of one size; prints both result lines. 0, or 1 after an error (printed). */
static int ping_size(const round_trip_t *rt, uint32_t size, uint32_t count, uint64_t *times, uint8_t *out, uint8_t *in) {
  for (uint32_t trip = 0; trip < count; trip++) {
    for (uint32_t i = 0; i < size; i++) out[i] = (uint8_t)(trip * 31u + i * 7u + size);
    memset(in, 0, size);
    uint64_t start = now_ns();
    int received = one_round_trip(rt, out, in, size, trip);
    uint64_t end = now_ns();
    if (received < 0) return 1;
    if ((uint32_t)received != size) {
      fprintf(stderr, "ping: %s %u bytes, round trip %u: %d bytes came back\n", TYPE_NAMES[rt->type], size, trip + 1, received);
      return 1;
    }
    for (uint32_t i = 0; i < size; i++) {
      if (in[i] != out[i]) {
        fprintf(stderr, "ping: %s %u bytes, round trip %u: byte %u came back as 0x%02x, sent 0x%02x\n", TYPE_NAMES[rt->type], size, trip + 1, i, in[i], out[i]);
        return 1;
      }
    }
    times[trip] = end - start;
  }
  qsort(times, count, sizeof times[0], compare_u64);
  uint64_t median = count % 2 ? times[count / 2] : (times[count / 2 - 1] + times[count / 2]) / 2;
  printf("%-9s %5u bytes: %u round trips, median %.3f us, min %.3f us, max %.3f us\n", TYPE_NAMES[rt->type], size, count, median / 1000.0,
         times[0] / 1000.0, times[count - 1] / 1000.0);
  printf("result type=%s size=%u count=%u median_ns=%llu min_ns=%llu max_ns=%llu\n", TYPE_NAMES[rt->type], size, count, (unsigned long long)median,
         (unsigned long long)times[0], (unsigned long long)times[count - 1]);
  fflush(stdout);
  return 0;
}

/* Lists, finds and opens the device, and reads its active configuration. */
static int open_device(const options_t *o, wasi_usb_own_device_handle_t *handle, wasi_usb_configuration_descriptor_t *config) {
  wasi_usb_result_list_device_entry_t listed;
  wasi_usb_list_devices(&listed);
  if (listed.is_err) {
    fprintf(stderr, "ping: cannot list USB devices: %s\n", usb_strerror(usb_rc(listed.val.err)));
    return 1;
  }
  int status = -1;
  for (size_t i = 0; i < listed.val.ok.len && status < 0; i++) {
    wasi_usb_device_entry_t *entry = &listed.val.ok.ptr[i];
    if (entry->descriptor.vendor_id != o->vendor || entry->descriptor.product_id != o->product) continue;
    wasi_usb_borrow_usb_device_t device = wasi_usb_borrow_usb_device(entry->device);
    wasi_usb_result_device_handle_t opened;
    wasi_usb_method_usb_device_open(device, &opened);
    if (opened.is_err) {
      fprintf(stderr, "ping: cannot open %04x:%04x: %s\n", o->vendor, o->product, usb_strerror(usb_rc(opened.val.err)));
      status = 1;
      break;
    }
    wasi_usb_result_configuration_descriptor_t active;
    wasi_usb_method_usb_device_get_active_configuration_descriptor(device, &active);
    if (active.is_err) {
      fprintf(stderr, "ping: %04x:%04x: cannot read the active configuration: %s\n", o->vendor, o->product, usb_strerror(usb_rc(active.val.err)));
      usb_close(opened.val.ok);
      status = 1;
      break;
    }
    *handle = opened.val.ok;
    *config = active.val.ok;
    status = 0;
  }
  wasi_usb_list_device_entry_free(&listed.val.ok);
  if (status < 0) {
    fprintf(stderr, "ping: no echo device visible (%04x:%04x): it is not connected, or the policy does not grant it to this guest\n", o->vendor,
            o->product);
    status = 1;
  }
  return status;
}

int main(int argc, char **argv) {
  options_t o;
  int parsed = parse_options(argc, argv, &o);
  if (parsed != 0) return parsed;

  uint32_t largest = 0;
  for (size_t s = 0; s < o.size_count; s++)
    if (o.sizes[s] > largest) largest = o.sizes[s];
  uint64_t *times = malloc(sizeof(uint64_t) * o.count);
  uint8_t *out = malloc(largest), *in = malloc(largest);
  if (times == NULL || out == NULL || in == NULL) {
    fprintf(stderr, "ping: out of memory for %u round trips of %u bytes\n", o.count, largest);
    return 1;
  }

  wasi_usb_own_device_handle_t handle;
  wasi_usb_configuration_descriptor_t config;
  if (open_device(&o, &handle, &config) != 0) return 1;
  wasi_usb_borrow_device_handle_t dev = wasi_usb_borrow_device_handle(handle);
  printf("ping %04x:%04x: %u round trips per size, timeout %u ms\n", o.vendor, o.product, o.count, o.timeout_ms);

  int failed = 0, ran = 0;
  uint32_t claimed = 0;
  for (int type = 0; type < TYPE_COUNT; type++) {
    if (!o.types[type]) continue;
    pair_t pair = {0};
    if (type == TYPE_CONTROL) {
      /* Vendor request 0x01 is the simulated echo device's; other devices would stall it. */
      if (o.all && !(o.vendor == 0x1209 && o.product == 0x0001)) {
        printf("control: skipped (vendor request 0x01 echoes on the echo device 1209:0001 only)\n");
        continue;
      }
    } else {
      pair = find_pair(&config, ENDPOINT_TYPES[type], o.interface);
      if (!pair.found) {
        if (o.all) {
          printf("%s: skipped (the device has no %s OUT and IN endpoints%s)\n", TYPE_NAMES[type], TYPE_NAMES[type], o.interface >= 0 ? " on that interface" : "");
          continue;
        }
        fprintf(stderr, "ping: %s: the device has no %s OUT and IN endpoints%s\n", TYPE_NAMES[type], TYPE_NAMES[type], o.interface >= 0 ? " on that interface" : "");
        failed = 1;
        continue;
      }
      if (prepare_interface(dev, &pair, &claimed, TYPE_NAMES[type]) < 0) {
        failed = 1;
        continue;
      }
    }
    round_trip_t rt = {dev, type, &pair, o.timeout_ms};
    for (size_t s = 0; s < o.size_count; s++) {
      uint32_t size = o.sizes[s];
      if (type == TYPE_CONTROL && size > CONTROL_MAX) {
        fprintf(stderr, "ping: control: %u bytes is more than the echo device's %u-byte control buffer\n", size, CONTROL_MAX);
        failed = 1;
        continue;
      }
      if (type == TYPE_ISO && size > pair.in_max_packet) {
        fprintf(stderr, "ping: iso: %u bytes is more than one packet of endpoint 0x%02x (%u bytes)\n", size, pair.in, pair.in_max_packet);
        failed = 1;
        continue;
      }
      if (ping_size(&rt, size, o.count, times, out, in) != 0) {
        failed = 1;
        break; /* the endpoint's state is unknown after an error: on to the next type */
      }
      ran++;
    }
  }

  for (uint8_t ifac = 0; ifac < 32; ifac++)
    if (claimed & (1u << ifac)) usb_release_interface(dev, ifac);
  wasi_usb_configuration_descriptor_free(&config);
  usb_close(handle);
  free(times);
  free(out);
  free(in);
  if (ran == 0 && !failed) {
    fprintf(stderr, "ping: nothing to do: the device has none of the requested transfer types\n");
    return 1;
  }
  return failed;
}
