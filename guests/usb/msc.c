// msc: a USB mass-storage driver (Bulk-Only Transport, SCSI, a FAT16/FAT32 reader) and a raw
// throughput benchmark, as a WASI command over component:usb@0.2.1.
//
//   msc [--device VID:PID] [--timeout MS] info                 the disk: INQUIRY strings, capacity, file system, label
//   msc [--device VID:PID] ls [PATH]            a directory (or one file's entry)
//   msc [--device VID:PID] cat PATH             a file's bytes, raw, to standard output
//   msc [--device VID:PID] tree [PATH]          the directory tree
//   msc [--device VID:PID] bench [--mode seq-read|seq-write|rand-read|rand-write|all]
//        [--size MiB] [--block KiB] [--runs N] [--allow-write]
//
// The pieces live in msc/: transport.h (what BOT needs from USB), device.c (component:usb),
// bot.c, scsi.c, fat.c. Errors are messages on standard error and exit status 1 (2 for usage).
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>
#include <ironwasm/usb_util.h> /* usb_parse_vid_pid */

#include "msc/bot.h"
#include "msc/device.h"
#include "msc/error.h"
#include "msc/fat.h"
#include "msc/scsi.h"

#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: msc [--device VID:PID] [--timeout MS] COMMAND\n"
    "  info                 the disk: vendor, product, revision, capacity, file system, volume label\n"
    "  ls [PATH]            list a directory (default /)\n"
    "  cat PATH             write a file's bytes to standard output\n"
    "  tree [PATH]          the directory tree (default /)\n"
    "  bench [--mode seq-read|seq-write|rand-read|rand-write|all] [--size MiB (16)] [--block KiB (64)]\n"
    "        [--runs N (10)] [--allow-write]\n"
    "                       raw READ(10)/WRITE(10) throughput over the disk's first MiB, after one\n"
    "                       untimed warm-up run per mode; write modes\n"
    "                       OVERWRITE the disk (its file system is lost, nothing is restored) and\n"
    "                       need --allow-write\n"
    "The device is the first USB interface of class 08/06/50 (mass storage, SCSI, bulk-only), or the\n"
    "one given by --device (hexadecimal vendor and product ids, e.g. 1209:0002). --timeout bounds each\n"
    "bulk transfer (default 10000 ms); one that times out gets Reset Recovery and its command a retry.\n";

static int usage(const char *problem) {
    if (problem) fprintf(stderr, "msc: %s\n", problem);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

static int fail(void) {
    fflush(stdout);
    fprintf(stderr, "msc: %s\n", msc_error_message());
    return EXIT_FAILURE;
}

// ---- the open disk -------------------------------------------------------------------------------

typedef struct session {
    msc_device device;
    msc_bot bot;
    msc_disk disk;
    msc_inquiry inquiry;
    uint8_t max_lun;
    int device_open;
} session;

static int open_session(session *s, const msc_device_selector *selector, uint32_t timeout_ms) {
    memset(s, 0, sizeof *s);
    if (msc_device_open(&s->device, selector) != 0) return -1;
    s->device_open = 1;
    msc_bot_init(&s->bot, &s->device.transport, s->device.interface, s->device.endpoint_in, s->device.endpoint_out);
    s->bot.timeout_ms = timeout_ms;
    if (msc_bot_get_max_lun(&s->bot, &s->max_lun) != 0) return -1;
    return msc_scsi_start(&s->disk, &s->bot, &s->inquiry);
}

static void close_session(session *s) {
    if (s->device_open) msc_device_close(&s->device);
    s->device_open = 0;
}

// ---- info, ls, cat, tree -----------------------------------------------------------------------

static void print_size(uint64_t bytes) {
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double value = (double)bytes;
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        unit++;
    }
    if (unit == 0) printf("%" PRIu64 " bytes", bytes);
    else printf("%.1f %s", value, units[unit]);
}

static int command_info(session *s) {
    const msc_device *d = &s->device;
    printf("device:      %04x:%04x, bus %u address %u, interface %u (bulk IN 0x%02x, bulk OUT 0x%02x)%s\n", d->vendor, d->product,
           d->bus, d->address, d->interface, d->endpoint_in, d->endpoint_out,
           d->detached_kernel_driver ? ", kernel driver detached" : "");
    if (d->manufacturer[0] || d->product_name[0] || d->serial[0])
        printf("usb strings: %s / %s / serial %s\n", d->manufacturer[0] ? d->manufacturer : "-", d->product_name[0] ? d->product_name : "-",
               d->serial[0] ? d->serial : "-");
    printf("vendor:      %s\n", s->inquiry.vendor);
    printf("product:     %s\n", s->inquiry.product);
    printf("revision:    %s\n", s->inquiry.revision);
    printf("removable:   %s\n", s->inquiry.removable ? "yes" : "no");
    printf("luns:        %u\n", s->max_lun + 1u);
    uint64_t bytes = s->disk.block_count * s->disk.block_size;
    printf("capacity:    %" PRIu64 " blocks of %u bytes, %" PRIu64 " bytes (", s->disk.block_count, s->disk.block_size, bytes);
    print_size(bytes);
    printf(")\n");
    msc_fat fat;
    if (msc_fat_mount(&fat, &s->disk) != 0) {
        printf("filesystem:  none (%s)\n", msc_error_message());
        printf("label:       -\n");
        return 0;
    }
    printf("filesystem:  FAT%d, ", fat.type);
    if (fat.partition == 0) printf("bare volume");
    else printf("MBR partition %d at block %" PRIu64, fat.partition, fat.volume_start);
    printf(", %u clusters of %u bytes (", fat.cluster_count, fat.cluster_bytes);
    print_size((uint64_t)fat.cluster_count * fat.cluster_bytes);
    printf(")\n");
    printf("label:       %s\n", fat.label[0] ? fat.label : "(none)");
    if (fat.serial) printf("serial:      %04X-%04X\n", fat.serial >> 16, fat.serial & 0xFFFF);
    msc_fat_unmount(&fat);
    return 0;
}

static void print_entry(const msc_fat_entry *entry) {
    int dir = msc_fat_is_directory(entry);
    printf("%c %10" PRIu32 "  %04u-%02u-%02u %02u:%02u  %s%s\n", dir ? 'd' : '-', dir ? 0 : entry->size, 1980u + (entry->date >> 9),
           (entry->date >> 5) & 0x0Fu, entry->date & 0x1Fu, entry->time >> 11, (entry->time >> 5) & 0x3Fu, entry->name, dir ? "/" : "");
}

static int ls_visitor(void *context, const msc_fat_entry *entry) {
    (void)context;
    print_entry(entry);
    return 0;
}

static int command_ls(msc_fat *fat, const char *path) {
    msc_fat_entry entry;
    if (msc_fat_lookup(fat, path, &entry) != 0) return -1;
    if (!msc_fat_is_directory(&entry)) {
        print_entry(&entry);
        return 0;
    }
    return msc_fat_list(fat, &entry, ls_visitor, NULL) < 0 ? -1 : 0;
}

static int write_out(void *context, const uint8_t *data, uint32_t length) {
    (void)context;
    if (fwrite(data, 1, length, stdout) != length) return msc_error("writing to standard output failed: %s", strerror(errno));
    return 0;
}

static int command_cat(msc_fat *fat, const char *path) {
    msc_fat_entry entry;
    if (msc_fat_lookup(fat, path, &entry) != 0) return -1;
    if (msc_fat_is_directory(&entry)) return msc_error("%s is a directory", path);
    if (msc_fat_read_file(fat, &entry, write_out, NULL) != 0) return msc_error_context("reading %s", path);
    if (fflush(stdout) != 0) return msc_error("writing to standard output failed: %s", strerror(errno));
    return 0;
}

typedef struct entry_list {
    msc_fat_entry *items;
    size_t count, capacity;
} entry_list;

static int collect(void *context, const msc_fat_entry *entry) {
    entry_list *list = context;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        msc_fat_entry *items = realloc(list->items, capacity * sizeof *items);
        if (items == NULL) return msc_error("out of memory");
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = *entry;
    return 0;
}

#define TREE_MAX_DEPTH 32
#define TREE_MAX_ENTRIES 1000000u

typedef struct tree_counts {
    unsigned directories, files;
    uint32_t path[TREE_MAX_DEPTH + 2];  // first clusters of the directories being drawn, root first
} tree_counts;

// One directory's entries, drawn as tree(1) does; PREFIX is the drawing of the levels above.
// A damaged volume can make directories contain their ancestors, or grow without end: both stop with a message.
static int tree_level(msc_fat *fat, const msc_fat_entry *dir, char *prefix, size_t prefix_length, int depth, tree_counts *counts) {
    if (depth > TREE_MAX_DEPTH) return msc_error("directories nest deeper than %d levels below %s (a loop?)", TREE_MAX_DEPTH, dir->name);
    for (int i = 0; i < depth; i++)
        if (counts->path[i] == dir->first_cluster) return msc_error("directory %s contains one of its own ancestors: the volume is corrupt", dir->name);
    counts->path[depth] = dir->first_cluster;
    entry_list list = {0};
    if (msc_fat_list(fat, dir, collect, &list) < 0) {
        free(list.items);
        return -1;
    }
    int result = 0;
    for (size_t i = 0; i < list.count && result == 0; i++) {
        const msc_fat_entry *entry = &list.items[i];
        int last = i + 1 == list.count;
        int is_dir = msc_fat_is_directory(entry);
        printf("%s%s%s%s\n", prefix, last ? "`-- " : "|-- ", entry->name, is_dir ? "/" : "");
        if (counts->files + counts->directories >= TREE_MAX_ENTRIES) {
            result = msc_error("more than %u entries: the volume is corrupt, or too large to draw", TREE_MAX_ENTRIES);
            break;
        }
        if (!is_dir) {
            counts->files++;
            continue;
        }
        counts->directories++;
        size_t grown = prefix_length + 4;
        if (grown + 1 > 4 * (TREE_MAX_DEPTH + 2)) {
            result = msc_error("the tree is too deep to draw");
            break;
        }
        memcpy(prefix + prefix_length, last ? "    " : "|   ", 5);
        result = tree_level(fat, entry, prefix, grown, depth + 1, counts);
        prefix[prefix_length] = 0;
    }
    free(list.items);
    return result;
}

static int command_tree(msc_fat *fat, const char *path) {
    msc_fat_entry root;
    if (msc_fat_lookup(fat, path, &root) != 0) return -1;
    if (!msc_fat_is_directory(&root)) return msc_error("%s is not a directory", path);
    printf("%s\n", root.is_root ? "/" : path);
    char prefix[4 * (TREE_MAX_DEPTH + 2) + 8] = "";
    tree_counts counts = {0};
    if (tree_level(fat, &root, prefix, 0, 0, &counts) != 0) return -1;
    printf("\n%u director%s, %u file%s\n", counts.directories, counts.directories == 1 ? "y" : "ies", counts.files, counts.files == 1 ? "" : "s");
    return 0;
}

// ---- bench ---------------------------------------------------------------------------------------

typedef enum { SEQ_READ, SEQ_WRITE, RAND_READ, RAND_WRITE, MODE_COUNT } bench_mode;
static const char *const mode_names[MODE_COUNT] = {"seq-read", "seq-write", "rand-read", "rand-write"};

typedef struct bench_options {
    int modes[MODE_COUNT];
    uint32_t size_mib;
    uint32_t block_kib;
    uint32_t runs;
    int allow_write;
} bench_options;

static uint64_t now_ns(void) {
    __wasi_timestamp_t time = 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &time) != 0) return 0;
    return time;
}

static uint64_t xorshift(uint64_t *state) {
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

// One run of MODE over COUNT transfers of BLOCKS device blocks each, in the region's first COUNT*BLOCKS blocks.
static int bench_run(session *s, bench_mode mode, uint32_t count, uint16_t blocks, uint8_t *buffer, uint64_t seed) {
    uint64_t random = seed;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t index = i;
        if (mode == RAND_READ || mode == RAND_WRITE) index = (uint32_t)(xorshift(&random) % count);
        uint32_t lba = index * blocks;
        int failed = (mode == SEQ_READ || mode == RAND_READ) ? msc_scsi_read(&s->disk, lba, blocks, buffer)
                                                              : msc_scsi_write(&s->disk, lba, blocks, buffer);
        if (failed) return -1;
    }
    // Written data counts once it is on the medium.
    if ((mode == SEQ_WRITE || mode == RAND_WRITE) && msc_scsi_synchronize_cache(&s->disk) != 0) return -1;
    return 0;
}

static int command_bench(session *s, const bench_options *options) {
    uint32_t block_bytes = options->block_kib * 1024u;
    if (block_bytes % s->disk.block_size != 0)
        return msc_error("--block %u KiB is not a whole number of the disk's %u-byte blocks", options->block_kib, s->disk.block_size);
    uint32_t blocks = block_bytes / s->disk.block_size;
    if (blocks > 0xFFFF) return msc_error("--block %u KiB is more than one READ(10) can move (65535 blocks)", options->block_kib);
    uint64_t region = (uint64_t)options->size_mib * 1048576u;
    uint64_t disk_bytes = s->disk.block_count * s->disk.block_size;
    if (region > disk_bytes)
        return msc_error("--size %u MiB is larger than the disk (%" PRIu64 " bytes)", options->size_mib, disk_bytes);
    if (region < block_bytes) return msc_error("--size %u MiB is smaller than one --block of %u KiB", options->size_mib, options->block_kib);
    uint32_t count = (uint32_t)(region / block_bytes);
    uint64_t bytes = (uint64_t)count * block_bytes;

    int writes = options->modes[SEQ_WRITE] || options->modes[RAND_WRITE];
    if (writes && !options->allow_write)
        return msc_error("the write modes overwrite the disk's first %u MiB (its file system is lost and nothing is restored); "
                         "pass --allow-write to run them", options->size_mib);

    uint8_t *buffer = malloc(block_bytes);
    double *rates = malloc(options->runs * sizeof *rates);
    if (buffer == NULL || rates == NULL) {
        free(buffer);
        free(rates);
        return msc_error("out of memory for a %u KiB block", options->block_kib);
    }
    uint64_t fill = 0x9E3779B97F4A7C15ull;
    for (uint32_t i = 0; i + 8 <= block_bytes; i += 8) {
        uint64_t value = xorshift(&fill);
        memcpy(buffer + i, &value, 8);
    }
    if (writes)
        fprintf(stderr, "msc bench: overwriting blocks 0 to %" PRIu64 " of the disk (%u MiB); its previous contents are lost\n",
                bytes / s->disk.block_size - 1, options->size_mib);

    int result = 0;
    for (int mode = 0; mode < MODE_COUNT && result == 0; mode++) {
        if (!options->modes[mode]) continue;
        // One untimed run first, so that no timed run pays for first-use costs (host code being
        // compiled, pools filling, the device's cache).
        if (bench_run(s, (bench_mode)mode, count, (uint16_t)blocks, buffer, 0x2545F4914F6CDD1Dull) != 0) {
            result = msc_error_context("%s warm-up run", mode_names[mode]);
            break;
        }
        for (uint32_t run = 0; run < options->runs; run++) {
            uint64_t start = now_ns();
            if (bench_run(s, (bench_mode)mode, count, (uint16_t)blocks, buffer, 0x2545F4914F6CDD1Dull + run) != 0) {
                result = msc_error_context("%s run %u", mode_names[mode], run + 1);
                break;
            }
            uint64_t elapsed = now_ns() - start;
            if (elapsed == 0) elapsed = 1;  // a clock coarser than a run: report the upper bound
            rates[run] = (double)bytes / 1048576.0 / ((double)elapsed / 1e9);
        }
        if (result != 0) break;
        qsort(rates, options->runs, sizeof *rates, compare_double);
        uint32_t n = options->runs;
        double median = n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
        printf("%s: %u x %u KiB %s%s, %u runs: median %.2f MiB/s (min %.2f, max %.2f)\n", mode_names[mode], count, options->block_kib,
               mode == SEQ_READ || mode == RAND_READ ? "READ(10)" : "WRITE(10)",
               mode == SEQ_WRITE || mode == RAND_WRITE ? " + SYNCHRONIZE CACHE" : "", n, median, rates[0], rates[n - 1]);
        printf("result mode=%s bytes=%" PRIu64 " runs=%u median_mib_s=%.2f min_mib_s=%.2f max_mib_s=%.2f\n", mode_names[mode], bytes, n, median,
               rates[0], rates[n - 1]);
        fflush(stdout);
    }
    free(buffer);
    free(rates);
    return result;
}

static int parse_number(const char *text, uint32_t minimum, uint32_t maximum, uint32_t *value) {
    if (text == NULL || *text == 0) return -1;
    char *end;
    errno = 0;
    unsigned long parsed = strtoul(text, &end, 10);
    if (errno != 0 || *end != 0 || text[0] == '-' || parsed < minimum || parsed > maximum) return -1;
    *value = (uint32_t)parsed;
    return 0;
}

int main(int argc, char **argv) {
    msc_device_selector selector = {0};
    const char *positional[4];
    int positional_count = 0;
    bench_options bench = {.size_mib = 16, .block_kib = 64, .runs = 10};
    const char *mode = NULL;
    uint32_t timeout_ms = 10000;
    char problem[160];

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(arg, "--device") == 0) {
            if (!usb_parse_vid_pid(value, &selector.vendor, &selector.product))
                return usage("--device takes VID:PID in hexadecimal, e.g. --device 1209:0002");
            selector.by_id = 1;
            i++;
        } else if (strcmp(arg, "--timeout") == 0) {
            if (parse_number(value, 1, 3600000, &timeout_ms) != 0) return usage("--timeout takes milliseconds, 1 to 3600000");
            i++;
        } else if (strcmp(arg, "--mode") == 0) {
            if (value == NULL) return usage("--mode needs a value");
            mode = value;
            i++;
        } else if (strcmp(arg, "--size") == 0) {
            if (parse_number(value, 1, 1024 * 1024, &bench.size_mib) != 0) return usage("--size takes a whole number of MiB, 1 or more");
            i++;
        } else if (strcmp(arg, "--block") == 0) {
            if (parse_number(value, 1, 16 * 1024, &bench.block_kib) != 0) return usage("--block takes a whole number of KiB, 1 to 16384");
            i++;
        } else if (strcmp(arg, "--runs") == 0) {
            if (parse_number(value, 1, 100000, &bench.runs) != 0) return usage("--runs takes a whole number, 1 to 100000");
            i++;
        } else if (strcmp(arg, "--allow-write") == 0) {
            bench.allow_write = 1;
        } else if (arg[0] == '-' && arg[1] == '-') {
            snprintf(problem, sizeof problem, "unknown option %s", arg);
            return usage(problem);
        } else {
            if (positional_count == 4) return usage("too many arguments");
            positional[positional_count++] = arg;
        }
    }
    if (positional_count == 0) return usage("no command given");
    const char *command = positional[0];
    int is_bench = strcmp(command, "bench") == 0;
    if (!is_bench && (mode || bench.allow_write || bench.size_mib != 16 || bench.block_kib != 64 || bench.runs != 10))
        return usage("--mode, --size, --block, --runs and --allow-write belong to bench");
    if (is_bench) {
        if (positional_count > 1) return usage("bench takes options only");
        if (mode == NULL || strcmp(mode, "all") == 0) {
            for (int m = 0; m < MODE_COUNT; m++) bench.modes[m] = 1;
            if (mode == NULL) bench.modes[SEQ_WRITE] = bench.modes[RAND_WRITE] = bench.allow_write;
        } else {
            int found = 0;
            for (int m = 0; m < MODE_COUNT; m++)
                if (strcmp(mode, mode_names[m]) == 0) bench.modes[m] = found = 1;
            if (!found) {
                snprintf(problem, sizeof problem, "unknown bench mode %s (seq-read, seq-write, rand-read, rand-write or all)", mode);
                return usage(problem);
            }
        }
    } else if (strcmp(command, "info") == 0) {
        if (positional_count > 1) return usage("info takes no arguments");
    } else if (strcmp(command, "ls") == 0 || strcmp(command, "tree") == 0) {
        if (positional_count > 2) return usage("ls and tree take at most one PATH");
    } else if (strcmp(command, "cat") == 0) {
        if (positional_count != 2) return usage("cat takes one PATH");
    } else {
        snprintf(problem, sizeof problem, "unknown command %s", command);
        return usage(problem);
    }

    session s;
    if (open_session(&s, &selector, timeout_ms) != 0) {
        close_session(&s);
        return fail();
    }
    int result;
    if (strcmp(command, "info") == 0) result = command_info(&s);
    else if (is_bench) result = command_bench(&s, &bench);
    else {
        msc_fat fat;
        result = msc_fat_mount(&fat, &s.disk);
        if (result == 0) {
            const char *path = positional_count > 1 ? positional[1] : "/";
            if (strcmp(command, "ls") == 0) result = command_ls(&fat, path);
            else if (strcmp(command, "cat") == 0) result = command_cat(&fat, path);
            else result = command_tree(&fat, path);
            msc_fat_unmount(&fat);
        }
    }
    close_session(&s);
    return result == 0 ? 0 : fail();
}
