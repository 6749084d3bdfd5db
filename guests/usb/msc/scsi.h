// The SCSI commands a USB disk needs (SPC-4, SBC-3), over Bulk-Only Transport. A command the
// device fails (CHECK CONDITION) is followed by REQUEST SENSE, and the error message names the
// command, the sense key and the additional sense code.
#ifndef MSC_SCSI_H
#define MSC_SCSI_H

#include <stdint.h>

#include "bot.h"

typedef struct msc_inquiry {
    uint8_t device_type;  // peripheral device type: 0 is a direct-access block device
    uint8_t removable;
    char vendor[9];
    char product[17];
    char revision[5];
} msc_inquiry;

typedef struct msc_sense {
    uint8_t key;
    uint8_t asc;
    uint8_t ascq;
} msc_sense;

typedef struct msc_disk {
    msc_bot *bot;
    uint32_t block_size;
    uint64_t block_count;
    msc_sense last_sense;  // from the last failed command
} msc_disk;

int msc_scsi_inquiry(msc_disk *disk, msc_inquiry *inquiry);
int msc_scsi_test_unit_ready(msc_disk *disk);
int msc_scsi_request_sense(msc_disk *disk, msc_sense *sense);
// READ CAPACITY(10): fills block_size and block_count.
int msc_scsi_read_capacity(msc_disk *disk);
int msc_scsi_read(msc_disk *disk, uint32_t lba, uint16_t blocks, uint8_t *data);
int msc_scsi_write(msc_disk *disk, uint32_t lba, uint16_t blocks, const uint8_t *data);
int msc_scsi_synchronize_cache(msc_disk *disk);

// TEST UNIT READY until ready (a fresh device reports UNIT ATTENTION first), INQUIRY, READ CAPACITY.
int msc_scsi_start(msc_disk *disk, msc_bot *bot, msc_inquiry *inquiry);

const char *msc_sense_key_name(uint8_t key);

#endif
