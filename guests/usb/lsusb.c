/* lsusb: lists the USB devices this guest may see (the policy hides the others), like Linux's lsusb.
 *
 *   lsusb [-v] [-d VID:PID] [-w TIME]
 *
 * One line per device: bus, address, VID:PID, device class, speed and, when the device can be
 * opened (the policy grants it and no one else has it open), its manufacturer, product and serial
 * strings. -v adds the device descriptor and every configuration with its interfaces (each
 * alternate setting) and endpoints. -w (--watch) then enables hotplug and prints every arrival and
 * departure of a device the guest may see for TIME (500ms, 2s; a bare number is milliseconds),
 * polling every 10 ms. Exits 0 after listing (also when nothing is visible), 1 when
 * the host gives no USB at all, listing fails or -d matches nothing, 2 on bad usage.
 */
#define IRONWASM_CABI_IMPLEMENTATION
#include <ironwasm/usb_util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STRING_TIMEOUT_MS 1000

static const char *class_name(uint8_t cls) {
  switch (cls) {
    case 0x00: return "defined per interface";
    case 0x01: return "audio";
    case 0x02: return "communications";
    case 0x03: return "hid";
    case 0x05: return "physical";
    case 0x06: return "image";
    case 0x07: return "printer";
    case 0x08: return "mass-storage";
    case 0x09: return "hub";
    case 0x0a: return "cdc-data";
    case 0x0b: return "smart-card";
    case 0x0e: return "video";
    case 0xdc: return "diagnostic";
    case 0xe0: return "wireless";
    case 0xef: return "miscellaneous";
    case 0xfe: return "application-specific";
    case 0xff: return "vendor-specific";
    default: return "unknown";
  }
}

static const char *speed_name(wasi_usb_speed_t speed) {
  switch (speed) {
    case WASI_USB_SPEED_LOW: return "low (1.5 Mb/s)";
    case WASI_USB_SPEED_FULL: return "full (12 Mb/s)";
    case WASI_USB_SPEED_HIGH: return "high (480 Mb/s)";
    case WASI_USB_SPEED_SUPER: return "super (5 Gb/s)";
    case WASI_USB_SPEED_SUPER_PLUS: return "super-plus (10 Gb/s)";
    case WASI_USB_SPEED_SUPER_PLUS_X2: return "super-plus x2 (20 Gb/s)";
    default: return "unknown";
  }
}

static const char *endpoint_type_name(uint8_t attributes) {
  switch (attributes & 0x03) {
    case 0: return "control";
    case 1: return "isochronous";
    case 2: return "bulk";
    default: return "interrupt";
  }
}

static void print_bcd(const char *label, uint16_t bcd) {
  printf("  %-20s %x.%02x\n", label, bcd >> 8, bcd & 0xff);
}

/* Prints `label "text"` for a string index, or nothing for index 0 or an unreadable string. */
static void print_string(wasi_usb_borrow_device_handle_t dev, const char *label, uint8_t index) {
  if (index == 0) return;
  char text[128];
  int rc = usb_get_string_descriptor_ascii(dev, index, text, sizeof text, STRING_TIMEOUT_MS);
  if (rc >= 0) printf(" %s \"%s\"", label, text);
}

static void print_configuration(const wasi_usb_configuration_descriptor_t *config, int active) {
  printf("  configuration %u%s: %u interface descriptors, attributes 0x%02x (%s%s), max power %u mA, total length %u\n",
         config->configuration_value, active ? " (active)" : "", (unsigned)config->interfaces.len, config->attributes,
         config->attributes & 0x40 ? "self-powered" : "bus-powered", config->attributes & 0x20 ? ", remote wakeup" : "", config->max_power * 2u,
         config->total_length);
  for (size_t i = 0; i < config->interfaces.len; i++) {
    const wasi_usb_interface_descriptor_t *ifd = &config->interfaces.ptr[i];
    printf("    interface %u alt %u: class %02x/%02x/%02x (%s), %u endpoints\n", ifd->interface_number, ifd->alternate_setting, ifd->interface_class,
           ifd->interface_subclass, ifd->interface_protocol, class_name(ifd->interface_class), (unsigned)ifd->endpoints.len);
    for (size_t e = 0; e < ifd->endpoints.len; e++) {
      const wasi_usb_endpoint_descriptor_t *ep = &ifd->endpoints.ptr[e];
      printf("      endpoint 0x%02x %-3s %-11s max packet %u, interval %u\n", ep->endpoint_address, ep->endpoint_address & 0x80 ? "IN" : "OUT",
             endpoint_type_name(ep->attributes), ep->max_packet_size & 0x7ff, ep->interval);
    }
  }
}

static void print_verbose(wasi_usb_borrow_usb_device_t device, const wasi_usb_device_descriptor_t *d) {
  printf("  device descriptor:\n");
  print_bcd("bcdUSB", d->usb_version_bcd);
  printf("  %-20s %02x/%02x/%02x (%s)\n", "class", d->device_class, d->device_subclass, d->device_protocol, class_name(d->device_class));
  printf("  %-20s %u\n", "bMaxPacketSize0", d->max_packet_size0);
  print_bcd("bcdDevice", d->device_version_bcd);
  printf("  %-20s %u/%u/%u\n", "string indices", d->manufacturer_index, d->product_index, d->serial_number_index);
  printf("  %-20s %u\n", "configurations", d->num_configurations);

  int active_value = -1;
  wasi_usb_result_configuration_descriptor_t active;
  wasi_usb_method_usb_device_get_active_configuration_descriptor(device, &active);
  if (!active.is_err) {
    active_value = active.val.ok.configuration_value;
    wasi_usb_configuration_descriptor_free(&active.val.ok);
  }
  for (uint8_t index = 0; index < d->num_configurations; index++) {
    wasi_usb_result_configuration_descriptor_t config;
    wasi_usb_method_usb_device_get_configuration_descriptor(device, index, &config);
    if (config.is_err) {
      printf("  configuration #%u: %s\n", index, usb_strerror(usb_rc(config.val.err)));
      continue;
    }
    print_configuration(&config.val.ok, config.val.ok.configuration_value == active_value);
    wasi_usb_configuration_descriptor_free(&config.val.ok);
  }
}

static int usage(void) {
  fprintf(stderr, "usage: lsusb [-v] [-d VID:PID] [-w TIME]\n");
  return 2;
}

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* 500, 500ms or 2s, in milliseconds. */
static int parse_duration(const char *text, uint32_t *ms) {
  size_t len = strlen(text), digits = len;
  uint32_t scale = 1;
  if (len > 2 && strcmp(text + len - 2, "ms") == 0) digits = len - 2;
  else if (len > 1 && text[len - 1] == 's') digits = len - 1, scale = 1000;
  if (digits == 0 || digits > 7) return 0;
  uint32_t value = 0;
  for (size_t i = 0; i < digits; i++) {
    if (text[i] < '0' || text[i] > '9') return 0;
    value = value * 10 + (uint32_t)(text[i] - '0');
  }
  *ms = value * scale;
  return 1;
}

/* Prints hotplug events (of the devices the policy lets this guest see) until the time is up. */
static int watch(uint32_t duration_ms) {
  wasi_usb_result_void_t enabled;
  wasi_usb_enable_hotplug(&enabled);
  if (enabled.is_err) {
    fprintf(stderr, "lsusb: cannot watch for hotplug events: %s\n", usb_strerror(usb_rc(enabled.val.err)));
    return 1;
  }
  printf("watching for %u ms\n", duration_ms);
  fflush(stdout);
  uint64_t deadline = now_ms() + duration_ms;
  for (;;) {
    wasi_usb_list_hotplug_entry_t events;
    wasi_usb_poll_events(&events);
    for (size_t i = 0; i < events.len; i++) {
      const wasi_usb_hotplug_entry_t *e = &events.ptr[i];
      const char *what = e->event & WASI_USB_HOTPLUG_EVENT_ARRIVED ? "arrived" : e->event & WASI_USB_HOTPLUG_EVENT_LEFT ? "left" : "event";
      printf("%s: Bus %03u Device %03u: ID %04x:%04x\n", what, e->info.bus, e->info.address, e->info.vendor, e->info.product);
    }
    if (events.len != 0) fflush(stdout);
    wasi_usb_list_hotplug_entry_free(&events);
    if (now_ms() >= deadline) break;
    struct timespec pause = {0, 10 * 1000000};
    nanosleep(&pause, NULL);
  }
  return 0;
}

int main(int argc, char **argv) {
  int verbose = 0, filter = 0, watching = 0;
  uint32_t watch_ms = 0;
  uint16_t vendor = 0, product = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
      verbose = 1;
    } else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
      const char *spec = argv[++i];
      if (!usb_parse_vid_pid(spec, &vendor, &product)) {
        fprintf(stderr, "lsusb: bad device '%s': expected VID:PID in hex, e.g. 1209:0001\n", spec);
        return 2;
      }
      filter = 1;
    } else if ((strcmp(argv[i], "-w") == 0 || strcmp(argv[i], "--watch") == 0) && i + 1 < argc) {
      if (!parse_duration(argv[++i], &watch_ms)) {
        fprintf(stderr, "lsusb: bad watch time '%s': e.g. 500ms, 2s, or milliseconds\n", argv[i]);
        return 2;
      }
      watching = 1;
    } else {
      return usage();
    }
  }

  wasi_usb_result_void_t ready;
  wasi_usb_init(&ready);
  if (ready.is_err) {
    fprintf(stderr, "lsusb: USB is not available: %s\n", usb_strerror(usb_rc(ready.val.err)));
    return 1;
  }

  wasi_usb_result_list_device_entry_t listed;
  wasi_usb_list_devices(&listed);
  if (listed.is_err) {
    int rc = usb_rc(listed.val.err);
    fprintf(stderr, "lsusb: cannot list USB devices: %s\n", usb_strerror(rc));
    return 1;
  }

  size_t shown = 0;
  for (size_t i = 0; i < listed.val.ok.len; i++) {
    const wasi_usb_device_entry_t *entry = &listed.val.ok.ptr[i];
    const wasi_usb_device_descriptor_t *d = &entry->descriptor;
    if (filter && (d->vendor_id != vendor || d->product_id != product)) continue;
    shown++;
    printf("Bus %03u Device %03u: ID %04x:%04x class %02x (%s) speed %s", entry->location.bus_number, entry->location.device_address, d->vendor_id,
           d->product_id, d->device_class, class_name(d->device_class), speed_name(entry->location.speed));

    wasi_usb_borrow_usb_device_t device = wasi_usb_borrow_usb_device(entry->device);
    wasi_usb_result_device_handle_t opened;
    wasi_usb_method_usb_device_open(device, &opened);
    if (opened.is_err) {
      printf(" (strings unavailable: %s)\n", usb_strerror(usb_rc(opened.val.err)));
    } else {
      wasi_usb_borrow_device_handle_t dev = wasi_usb_borrow_device_handle(opened.val.ok);
      print_string(dev, "manufacturer", d->manufacturer_index);
      print_string(dev, "product", d->product_index);
      print_string(dev, "serial", d->serial_number_index);
      printf("\n");
      usb_close(opened.val.ok);
    }
    if (verbose) print_verbose(device, d);
  }
  wasi_usb_list_device_entry_free(&listed.val.ok);

  if (shown == 0) {
    if (filter) {
      fprintf(stderr, "lsusb: no visible USB device %04x:%04x\n", vendor, product);
      return 1;
    }
    printf("no USB devices visible to this guest (the policy grants none, or none is connected)\n");
  }
  return watching ? watch(watch_ms) : 0;
}
