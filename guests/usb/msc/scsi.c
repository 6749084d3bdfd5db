#include "scsi.h"

#include <string.h>

#include "error.h"

#define OP_TEST_UNIT_READY 0x00
#define OP_REQUEST_SENSE 0x03
#define OP_INQUIRY 0x12
#define OP_READ_CAPACITY_10 0x25
#define OP_READ_10 0x28
#define OP_WRITE_10 0x2A
#define OP_SYNCHRONIZE_CACHE_10 0x35

#define SENSE_NOT_READY 0x2
#define SENSE_UNIT_ATTENTION 0x6

const char *msc_sense_key_name(uint8_t key) {
    static const char *const names[16] = {
        "NO SENSE",        "RECOVERED ERROR", "NOT READY",       "MEDIUM ERROR",   "HARDWARE ERROR", "ILLEGAL REQUEST",
        "UNIT ATTENTION",  "DATA PROTECT",    "BLANK CHECK",     "VENDOR SPECIFIC", "COPY ABORTED",  "ABORTED COMMAND",
        "(reserved 0xC)",  "VOLUME OVERFLOW", "MISCOMPARE",      "COMPLETED",
    };
    return names[key & 0x0F];
}

// The additional sense codes a USB disk commonly reports (SPC-4 annex).
static const char *asc_name(uint8_t asc, uint8_t ascq) {
    switch (asc << 8 | ascq) {
    case 0x0000: return "no additional sense information";
    case 0x0401: return "logical unit is in process of becoming ready";
    case 0x0402: return "initializing command required";
    case 0x1100: return "unrecovered read error";
    case 0x2000: return "invalid command operation code";
    case 0x2100: return "logical block address out of range";
    case 0x2400: return "invalid field in CDB";
    case 0x2500: return "logical unit not supported";
    case 0x2700: return "write protected";
    case 0x2800: return "not ready to ready change, medium may have changed";
    case 0x2900: return "power on, reset, or bus device reset occurred";
    case 0x3A00: return "medium not present";
    case 0x0300: return "peripheral device write fault";
    case 0x0C00: return "write error";
    default: return NULL;
    }
}

static void put_be32(uint8_t *at, uint32_t value) {
    at[0] = (uint8_t)(value >> 24);
    at[1] = (uint8_t)(value >> 16);
    at[2] = (uint8_t)(value >> 8);
    at[3] = (uint8_t)value;
}

static uint32_t get_be32(const uint8_t *at) {
    return (uint32_t)at[0] << 24 | (uint32_t)at[1] << 16 | (uint32_t)at[2] << 8 | (uint32_t)at[3];
}

int msc_scsi_request_sense(msc_disk *disk, msc_sense *sense) {
    uint8_t cdb[6] = {OP_REQUEST_SENSE, 0, 0, 0, 18, 0};
    uint8_t data[18] = {0};
    msc_bot_status status;
    if (msc_bot_command(disk->bot, cdb, sizeof cdb, MSC_DATA_IN, data, sizeof data, &status) != 0)
        return msc_error_context("REQUEST SENSE");
    if (status.status != MSC_BOT_PASSED) return msc_error("REQUEST SENSE failed");
    uint32_t got = sizeof data - status.residue;
    if (got < 14 || (data[0] & 0x7E) != 0x70) return msc_error("REQUEST SENSE returned no fixed-format sense data (%u bytes, code 0x%02x)", got, data[0]);
    sense->key = data[2] & 0x0F;
    sense->asc = data[12];
    sense->ascq = data[13];
    return 0;
}

// Runs a command; on CHECK CONDITION asks for the sense data and describes it. `name` names the command.
static int run(msc_disk *disk, const char *name, const uint8_t *cdb, uint8_t cdb_length, msc_direction direction, uint8_t *data,
               uint32_t length, msc_bot_status *status) {
    memset(&disk->last_sense, 0, sizeof disk->last_sense);
    for (int attempt = 0;; attempt++) {
        unsigned recoveries = disk->bot->reset_recoveries;
        if (msc_bot_command(disk->bot, cdb, cdb_length, direction, data, length, status) == 0) break;
        // A transport failure that Reset Recovery has cleared: the command gets another try, as the
        // Linux SCSI layer gives one (every command here may be repeated without harm).
        if (attempt < 2 && disk->bot->reset_recoveries > recoveries) continue;
        return msc_error_context("%s", name);
    }
    if (status->status == MSC_BOT_PASSED) return 0;
    msc_sense sense;
    if (msc_scsi_request_sense(disk, &sense) != 0) return msc_error_context("%s failed (CHECK CONDITION), then", name);
    disk->last_sense = sense;
    const char *meaning = asc_name(sense.asc, sense.ascq);
    return msc_error("%s failed: CHECK CONDITION, sense key %s (0x%X), ASC/ASCQ %02Xh/%02Xh%s%s%s", name, msc_sense_key_name(sense.key),
                     sense.key, sense.asc, sense.ascq, meaning ? " (" : "", meaning ? meaning : "", meaning ? ")" : "");
}

static void copy_trimmed(char *to, const uint8_t *from, int length) {
    memcpy(to, from, (size_t)length);
    to[length] = 0;
    for (int i = 0; i < length; i++)
        if ((unsigned char)to[i] < 0x20 || (unsigned char)to[i] > 0x7E) to[i] = '?';
    for (int i = length - 1; i >= 0 && to[i] == ' '; i--) to[i] = 0;
}

int msc_scsi_inquiry(msc_disk *disk, msc_inquiry *inquiry) {
    uint8_t cdb[6] = {OP_INQUIRY, 0, 0, 0, 36, 0};
    uint8_t data[36] = {0};
    msc_bot_status status;
    if (run(disk, "INQUIRY", cdb, sizeof cdb, MSC_DATA_IN, data, sizeof data, &status) != 0) return -1;
    if (sizeof data - status.residue < 36) return msc_error("INQUIRY returned %u bytes; standard data is at least 36", (unsigned)(sizeof data - status.residue));
    inquiry->device_type = data[0] & 0x1F;
    inquiry->removable = (data[1] & 0x80) != 0;
    copy_trimmed(inquiry->vendor, data + 8, 8);
    copy_trimmed(inquiry->product, data + 16, 16);
    copy_trimmed(inquiry->revision, data + 32, 4);
    return 0;
}

int msc_scsi_test_unit_ready(msc_disk *disk) {
    uint8_t cdb[6] = {OP_TEST_UNIT_READY};
    msc_bot_status status;
    return run(disk, "TEST UNIT READY", cdb, sizeof cdb, MSC_DATA_NONE, NULL, 0, &status);
}

int msc_scsi_read_capacity(msc_disk *disk) {
    uint8_t cdb[10] = {OP_READ_CAPACITY_10};
    uint8_t data[8] = {0};
    msc_bot_status status;
    if (run(disk, "READ CAPACITY(10)", cdb, sizeof cdb, MSC_DATA_IN, data, sizeof data, &status) != 0) return -1;
    if (status.residue != 0) return msc_error("READ CAPACITY(10) returned %u of 8 bytes", 8 - status.residue);
    uint32_t last = get_be32(data), size = get_be32(data + 4);
    if (size == 0 || size % 512 != 0 || size > 65536) return msc_error("READ CAPACITY(10) reports a block size of %u bytes", size);
    if (last == 0xFFFFFFFFu) return msc_error("the disk is larger than READ CAPACITY(10) can address (2 TiB with 512-byte blocks)");
    disk->block_size = size;
    disk->block_count = (uint64_t)last + 1;
    return 0;
}

static void rw_cdb(uint8_t cdb[10], uint8_t op, uint32_t lba, uint16_t blocks) {
    memset(cdb, 0, 10);
    cdb[0] = op;
    put_be32(cdb + 2, lba);
    cdb[7] = (uint8_t)(blocks >> 8);
    cdb[8] = (uint8_t)blocks;
}

static int check_range(msc_disk *disk, const char *name, uint32_t lba, uint16_t blocks) {
    if (blocks == 0) return msc_error("%s of no blocks", name);
    if ((uint64_t)lba + blocks > disk->block_count)
        return msc_error("%s of blocks %u to %u is beyond the disk's %llu blocks", name, lba, lba + blocks - 1, (unsigned long long)disk->block_count);
    return 0;
}

int msc_scsi_read(msc_disk *disk, uint32_t lba, uint16_t blocks, uint8_t *data) {
    if (check_range(disk, "READ(10)", lba, blocks) != 0) return -1;
    uint8_t cdb[10];
    rw_cdb(cdb, OP_READ_10, lba, blocks);
    uint32_t length = (uint32_t)blocks * disk->block_size;
    msc_bot_status status;
    if (run(disk, "READ(10)", cdb, sizeof cdb, MSC_DATA_IN, data, length, &status) != 0) return -1;
    if (status.residue != 0 || status.moved != length)
        return msc_error("READ(10) of %u blocks at %u moved %u of %u bytes (residue %u)", blocks, lba, status.moved, length, status.residue);
    return 0;
}

int msc_scsi_write(msc_disk *disk, uint32_t lba, uint16_t blocks, const uint8_t *data) {
    if (check_range(disk, "WRITE(10)", lba, blocks) != 0) return -1;
    uint8_t cdb[10];
    rw_cdb(cdb, OP_WRITE_10, lba, blocks);
    uint32_t length = (uint32_t)blocks * disk->block_size;
    msc_bot_status status;
    // The transport only reads OUT data; the cast is its interface's, not a write.
    if (run(disk, "WRITE(10)", cdb, sizeof cdb, MSC_DATA_OUT, (uint8_t *)data, length, &status) != 0) return -1;
    if (status.residue != 0 || status.moved != length)
        return msc_error("WRITE(10) of %u blocks at %u moved %u of %u bytes (residue %u)", blocks, lba, status.moved, length, status.residue);
    return 0;
}

int msc_scsi_synchronize_cache(msc_disk *disk) {
    uint8_t cdb[10] = {OP_SYNCHRONIZE_CACHE_10};
    msc_bot_status status;
    return run(disk, "SYNCHRONIZE CACHE(10)", cdb, sizeof cdb, MSC_DATA_NONE, NULL, 0, &status);
}

int msc_scsi_start(msc_disk *disk, msc_bot *bot, msc_inquiry *inquiry) {
    memset(disk, 0, sizeof *disk);
    disk->bot = bot;
    if (msc_scsi_inquiry(disk, inquiry) != 0) return -1;
    if (inquiry->device_type != 0) return msc_error("the device is not a direct-access block device (SCSI peripheral type 0x%02x)", inquiry->device_type);
    // UNIT ATTENTION (reset, medium changed) and NOT READY (spinning up) pass; a few tries are enough for a stick.
    for (int attempt = 0;; attempt++) {
        if (msc_scsi_test_unit_ready(disk) == 0) break;
        uint8_t key = disk->last_sense.key;
        if (attempt >= 5 || (key != SENSE_UNIT_ATTENTION && key != SENSE_NOT_READY)) return -1;
    }
    return msc_scsi_read_capacity(disk);
}
