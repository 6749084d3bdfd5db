namespace IronWasm.Hardware.Buses;

/// <summary>How an I2C transfer ended, in the terms of wasi:i2c's error-code (plus success).</summary>
public enum I2cStatus : byte
{
    Ok,
    /// <summary>No device acknowledged the address.</summary>
    NoAcknowledgeAddress,
    /// <summary>The device acknowledged its address but not a data byte.</summary>
    NoAcknowledgeData,
    /// <summary>Not acknowledged; the backend cannot tell whether address or data.</summary>
    NoAcknowledgeUnknown,
    BusError,
    ArbitrationLoss,
    Overrun,
    Other,
}

/// <summary>One message of an I2C transfer: a read into <see cref="Buffer"/> or a write of it.
/// Messages of one transfer are joined by repeated starts, with a stop after the last.</summary>
public readonly struct I2cMessage
{
    private I2cMessage(bool isRead, Memory<byte> buffer)
    {
        IsRead = isRead;
        Buffer = buffer;
    }

    public bool IsRead { get; }

    /// <summary>The bytes to write, or the space the read fills (its length is the read's length).</summary>
    public Memory<byte> Buffer { get; }

    public static I2cMessage Read(Memory<byte> into) => new(true, into);

    public static I2cMessage Write(ReadOnlyMemory<byte> data) =>
        new(false, System.Runtime.InteropServices.MemoryMarshal.AsMemory(data));
}

/// <summary>A backend's I2C bus (Linux i2c-dev, a simulated bus, ...). Implementations are
/// thread-safe: one transfer at a time, as on a real bus. No policy here: the host checks
/// rights before it calls a bus.</summary>
public interface II2cBus : IDisposable
{
    /// <summary>The bus's name in policies and on the command line, e.g. "i2c-1" or "sim-i2c-0".</summary>
    string Name { get; }

    /// <summary>One line for `ironwasm devices`, e.g. "Linux i2c-dev /dev/i2c-1 (SMBus I801 adapter)".</summary>
    string Description { get; }

    /// <summary>Runs <paramref name="messages"/> to the device at the 7-bit <paramref name="address"/>
    /// as one transfer. Read messages are filled in place.</summary>
    I2cStatus Transfer(ushort address, ReadOnlySpan<I2cMessage> messages);
}
