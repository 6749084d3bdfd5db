#include "bot.h"

#include <string.h>

#include "error.h"

#define CBW_SIGNATURE 0x43425355u  // "USBC"
#define CSW_SIGNATURE 0x53425355u  // "USBS"

#define REQUEST_RESET 0xFF
#define REQUEST_GET_MAX_LUN 0xFE
#define CLASS_INTERFACE_OUT 0x21
#define CLASS_INTERFACE_IN 0xA1

static void put_le32(uint8_t *at, uint32_t value) {
    at[0] = (uint8_t)value;
    at[1] = (uint8_t)(value >> 8);
    at[2] = (uint8_t)(value >> 16);
    at[3] = (uint8_t)(value >> 24);
}

static uint32_t get_le32(const uint8_t *at) {
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

void msc_bot_init(msc_bot *bot, const msc_transport *usb, uint8_t interface, uint8_t endpoint_in, uint8_t endpoint_out) {
    memset(bot, 0, sizeof *bot);
    bot->usb = usb;
    bot->interface = interface;
    bot->endpoint_in = endpoint_in;
    bot->endpoint_out = endpoint_out;
    bot->timeout_ms = 10000;
}

int msc_bot_reset_recovery(msc_bot *bot) {
    uint32_t actual = 0;
    int error = bot->usb->control(bot->usb->context, CLASS_INTERFACE_OUT, REQUEST_RESET, 0, bot->interface, NULL, 0,
                                  bot->timeout_ms, &actual);
    if (error != MSC_USB_OK) return msc_error("Reset Recovery: Bulk-Only Mass Storage Reset failed (%s)", msc_usb_error_name(error));
    error = bot->usb->clear_halt(bot->usb->context, bot->endpoint_in);
    if (error != MSC_USB_OK) return msc_error("Reset Recovery: clearing the halt of bulk IN 0x%02x failed (%s)", bot->endpoint_in, msc_usb_error_name(error));
    error = bot->usb->clear_halt(bot->usb->context, bot->endpoint_out);
    if (error != MSC_USB_OK) return msc_error("Reset Recovery: clearing the halt of bulk OUT 0x%02x failed (%s)", bot->endpoint_out, msc_usb_error_name(error));
    bot->reset_recoveries++;
    return 0;
}

int msc_bot_get_max_lun(msc_bot *bot, uint8_t *max_lun) {
    uint8_t answer = 0;
    uint32_t actual = 0;
    int error = bot->usb->control(bot->usb->context, CLASS_INTERFACE_IN, REQUEST_GET_MAX_LUN, 0, bot->interface, &answer, 1,
                                  bot->timeout_ms, &actual);
    if (error == MSC_USB_PIPE) {
        *max_lun = 0;
        return 0;
    }
    if (error != MSC_USB_OK) return msc_error("Get Max LUN failed (%s)", msc_usb_error_name(error));
    if (actual != 1 || answer > 15) return msc_error("Get Max LUN answered %u byte(s), value %u (BOT allows 0 to 15)", actual, answer);
    *max_lun = answer;
    return 0;
}

// Reset Recovery after a failure, keeping the failure's message; -1.
static int fail_with_recovery(msc_bot *bot) {
    char saved[256];
    strncpy(saved, msc_error_message(), sizeof saved - 1);
    saved[sizeof saved - 1] = 0;
    if (msc_bot_reset_recovery(bot) != 0) return msc_error_context("%s; then", saved);
    return msc_error("%s (Reset Recovery done)", saved);
}

static int clear_stall(msc_bot *bot, uint8_t endpoint) {
    int error = bot->usb->clear_halt(bot->usb->context, endpoint);
    if (error != MSC_USB_OK) {
        msc_error("clearing the halt of endpoint 0x%02x failed (%s)", endpoint, msc_usb_error_name(error));
        return fail_with_recovery(bot);
    }
    bot->cleared_stalls++;
    return 0;
}

static int read_csw(msc_bot *bot, uint8_t csw[MSC_BOT_CSW_LENGTH], uint32_t *actual) {
    int error = bot->usb->bulk_in(bot->usb->context, bot->endpoint_in, csw, MSC_BOT_CSW_LENGTH, bot->timeout_ms, actual);
    if (error == MSC_USB_PIPE) {
        // BOT §6.7.2: a stalled status read is cleared and tried once more.
        if (clear_stall(bot, bot->endpoint_in) != 0) return -1;
        error = bot->usb->bulk_in(bot->usb->context, bot->endpoint_in, csw, MSC_BOT_CSW_LENGTH, bot->timeout_ms, actual);
    }
    if (error != MSC_USB_OK) {
        msc_error("reading the CSW failed (%s)", msc_usb_error_name(error));
        return error == MSC_USB_NO_DEVICE ? -1 : fail_with_recovery(bot);
    }
    return 0;
}

int msc_bot_command(msc_bot *bot, const uint8_t *cdb, uint8_t cdb_length, msc_direction direction, uint8_t *data,
                    uint32_t length, msc_bot_status *status) {
    if (cdb_length == 0 || cdb_length > 16) return msc_error("a CDB is 1 to 16 bytes, not %u", cdb_length);
    if (length == 0) direction = MSC_DATA_NONE;

    uint8_t cbw[MSC_BOT_CBW_LENGTH] = {0};
    uint32_t tag = ++bot->tag;
    put_le32(cbw, CBW_SIGNATURE);
    put_le32(cbw + 4, tag);
    put_le32(cbw + 8, direction == MSC_DATA_NONE ? 0 : length);
    cbw[12] = direction == MSC_DATA_IN ? 0x80 : 0x00;
    cbw[13] = bot->lun;
    cbw[14] = cdb_length;
    memcpy(cbw + 15, cdb, cdb_length);

    uint32_t actual = 0;
    int error = bot->usb->bulk_out(bot->usb->context, bot->endpoint_out, cbw, sizeof cbw, bot->timeout_ms, &actual);
    if (error != MSC_USB_OK || actual != sizeof cbw) {
        if (error == MSC_USB_OK) msc_error("the CBW went out short (%u of 31 bytes)", actual);
        else msc_error("sending the CBW failed (%s)", msc_usb_error_name(error));
        return error == MSC_USB_NO_DEVICE ? -1 : fail_with_recovery(bot);
    }

    uint32_t moved = 0;
    if (direction != MSC_DATA_NONE) {
        uint8_t endpoint = direction == MSC_DATA_IN ? bot->endpoint_in : bot->endpoint_out;
        error = direction == MSC_DATA_IN ? bot->usb->bulk_in(bot->usb->context, endpoint, data, length, bot->timeout_ms, &moved)
                                         : bot->usb->bulk_out(bot->usb->context, endpoint, data, length, bot->timeout_ms, &moved);
        if (error == MSC_USB_PIPE) {
            // The device had less to move than asked (BOT §6.7.2, §6.7.3): clear the halt, then read the CSW.
            // What arrived before the stall is not reported by the transport, so count it as nothing.
            moved = 0;
            if (clear_stall(bot, endpoint) != 0) return -1;
        } else if (error != MSC_USB_OK) {
            msc_error("the data phase (%s, %u bytes) failed (%s)", direction == MSC_DATA_IN ? "IN" : "OUT", length,
                      msc_usb_error_name(error));
            return error == MSC_USB_NO_DEVICE ? -1 : fail_with_recovery(bot);
        }
    }

    uint8_t csw[MSC_BOT_CSW_LENGTH];
    if (read_csw(bot, csw, &actual) != 0) return -1;

    // BOT §6.3: valid (13 bytes, signature, our tag) and meaningful (known status, residue no larger than asked).
    uint32_t residue = get_le32(csw + 8);
    uint32_t asked = direction == MSC_DATA_NONE ? 0 : length;
    if (actual != MSC_BOT_CSW_LENGTH || get_le32(csw) != CSW_SIGNATURE) {
        msc_error("the CSW is not valid (%u bytes, signature 0x%08x)", actual, actual >= 4 ? get_le32(csw) : 0);
        return fail_with_recovery(bot);
    }
    if (get_le32(csw + 4) != tag) {
        msc_error("the CSW's tag 0x%08x is not the CBW's 0x%08x", get_le32(csw + 4), tag);
        return fail_with_recovery(bot);
    }
    if (csw[12] == MSC_BOT_PHASE_ERROR) {
        msc_error("the device reported a phase error");
        return fail_with_recovery(bot);
    }
    if (csw[12] > MSC_BOT_PHASE_ERROR || residue > asked) {
        msc_error("the CSW is not meaningful (status %u, residue %u of %u)", csw[12], residue, asked);
        return fail_with_recovery(bot);
    }
    status->status = csw[12];
    status->residue = residue;
    status->moved = moved;
    return 0;
}
