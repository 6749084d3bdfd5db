// USB Mass Storage Class Bulk-Only Transport 1.0: a 31-byte Command Block Wrapper OUT, the data
// phase, a 13-byte Command Status Wrapper IN, and Reset Recovery when the two sides disagree.
#ifndef MSC_BOT_H
#define MSC_BOT_H

#include <stdint.h>

#include "transport.h"

#define MSC_BOT_CBW_LENGTH 31
#define MSC_BOT_CSW_LENGTH 13

#define MSC_BOT_PASSED 0
#define MSC_BOT_FAILED 1
#define MSC_BOT_PHASE_ERROR 2

typedef enum { MSC_DATA_NONE, MSC_DATA_IN, MSC_DATA_OUT } msc_direction;

typedef struct msc_bot {
    const msc_transport *usb;
    uint8_t interface;
    uint8_t endpoint_in;
    uint8_t endpoint_out;
    uint8_t lun;
    uint32_t tag;         // the last CBW's; each command takes the next
    uint32_t timeout_ms;  // per transfer
    unsigned reset_recoveries;
    unsigned cleared_stalls;
} msc_bot;

typedef struct msc_bot_status {
    uint8_t status;    // MSC_BOT_PASSED or MSC_BOT_FAILED (a phase error is an error return)
    uint32_t residue;  // dCSWDataResidue: what the device did not move of what the host asked
    uint32_t moved;    // bytes the host actually moved in the data phase
} msc_bot_status;

void msc_bot_init(msc_bot *bot, const msc_transport *usb, uint8_t interface, uint8_t endpoint_in, uint8_t endpoint_out);

// Runs one command. 0: the CSW came back valid, its status (passed or failed: the caller asks
// REQUEST SENSE) in *status. -1 (message set): the transport failed, the CSW was not valid or
// meaningful, or the device reported a phase error; Reset Recovery has been done where BOT asks.
int msc_bot_command(msc_bot *bot, const uint8_t *cdb, uint8_t cdb_length, msc_direction direction, uint8_t *data,
                    uint32_t length, msc_bot_status *status);

// Bulk-Only Mass Storage Reset (class request 0xFF), then CLEAR_FEATURE(HALT) on both pipes (BOT §5.3.4).
int msc_bot_reset_recovery(msc_bot *bot);

// Get Max LUN (class request 0xFE); a device that stalls it has one LUN (BOT §3.2).
int msc_bot_get_max_lun(msc_bot *bot, uint8_t *max_lun);

#endif
