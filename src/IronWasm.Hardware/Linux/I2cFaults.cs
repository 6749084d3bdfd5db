using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Linux;

/// <summary>Maps the errno of a failed I2C_RDWR or I2C_SMBUS ioctl to wasi:i2c's error terms,
/// following the kernel's Documentation/i2c/fault-codes.rst and what adapter drivers do.</summary>
internal static class I2cFaults
{
    public static I2cStatus ToStatus(int errno) => errno switch
    {
        // "the address phase of a transfer didn't get an ACK": nothing listens at that address.
        Errno.ENXIO => I2cStatus.NoAcknowledgeAddress,
        // i2c-stub (and a few SMBus drivers) answer ENODEV for an address with no chip behind it.
        Errno.ENODEV => I2cStatus.NoAcknowledgeAddress,
        // Many adapter drivers (DesignWare, BCM2835, ...) report any NAK as EREMOTEIO, without
        // saying whether it came in the address or the data phase.
        Errno.EREMOTEIO => I2cStatus.NoAcknowledgeUnknown,
        // "lost arbitration in master transmit mode".
        Errno.EAGAIN => I2cStatus.ArbitrationLoss,
        // A timeout, a bus held busy too long, a vague I/O failure, an adapter already suspended:
        // all mean the bus itself misbehaved.
        Errno.ETIMEDOUT or Errno.EBUSY or Errno.EIO or Errno.ESHUTDOWN => I2cStatus.BusError,
        Errno.EOVERFLOW => I2cStatus.Overrun,
        // EPROTO (a device broke the protocol), EBADMSG (bad PEC), EOPNOTSUPP (the adapter cannot
        // do this transfer), EINVAL, EMSGSIZE and anything else.
        _ => I2cStatus.Other,
    };
}
