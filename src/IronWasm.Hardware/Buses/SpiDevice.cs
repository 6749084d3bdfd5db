namespace IronWasm.Hardware.Buses;

/// <summary>How an SPI transaction ended, in the terms of wasi:spi's error variant (plus success).</summary>
public enum SpiStatus : byte
{
    Ok,
    Overrun,
    ModeFault,
    FrameFormat,
    ChipSelectFault,
    /// <summary>Any other failure; the backend's message says what.</summary>
    Other,
}

public enum SpiOperationKind : byte
{
    /// <summary>Clock out zeros and keep what comes in, into <see cref="SpiOperation.Read"/>.</summary>
    Read,
    /// <summary>Clock out <see cref="SpiOperation.Write"/>, ignoring what comes in.</summary>
    Write,
    /// <summary>Clock out <see cref="SpiOperation.Write"/> while filling <see cref="SpiOperation.Read"/> (same length).</summary>
    Transfer,
    /// <summary>Wait <see cref="SpiOperation.DelayNs"/> with chip select still asserted.</summary>
    Delay,
}

/// <summary>One step of an SPI transaction; all steps run with chip select asserted throughout.</summary>
public readonly struct SpiOperation
{
    private SpiOperation(SpiOperationKind kind, ReadOnlyMemory<byte> write, Memory<byte> read, uint delayNs)
    {
        Kind = kind;
        Write = write;
        Read = read;
        DelayNs = delayNs;
    }

    public SpiOperationKind Kind { get; }
    public ReadOnlyMemory<byte> Write { get; }
    public Memory<byte> Read { get; }
    public uint DelayNs { get; }

    public static SpiOperation ReadInto(Memory<byte> into) => new(SpiOperationKind.Read, default, into, 0);
    public static SpiOperation WriteFrom(ReadOnlyMemory<byte> data) => new(SpiOperationKind.Write, data, default, 0);

    /// <summary>Full duplex: <paramref name="into"/> must be as long as <paramref name="data"/>.</summary>
    public static SpiOperation TransferBoth(ReadOnlyMemory<byte> data, Memory<byte> into)
    {
        if (into.Length != data.Length) throw new ArgumentException("a transfer reads as many bytes as it writes", nameof(into));
        return new(SpiOperationKind.Transfer, data, into, 0);
    }

    public static SpiOperation Wait(uint nanoseconds) => new(SpiOperationKind.Delay, default, default, nanoseconds);
}

/// <summary>A backend's SPI device: one chip select on one bus (Linux spidev, a simulated device).
/// Thread-safe: one transaction at a time.</summary>
public interface ISpiDevice : IDisposable
{
    /// <summary>The logical name guests open it by (wasi:spi `open`) and policies grant, e.g. "flash0".</summary>
    string Name { get; }

    /// <summary>One line for `ironwasm devices`.</summary>
    string Description { get; }

    /// <summary>Runs the operations with chip select held; on failure <paramref name="message"/>
    /// says why (it is null on success).</summary>
    SpiStatus Transaction(ReadOnlySpan<SpiOperation> operations, out string? message);
}
