using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Simulation;

/// <summary>A register-level model of one SPI chip on its own chip select. A transaction
/// asserts chip select, exchanges bytes full duplex (MSB first, mode 0) and releases chip
/// select; the model sees exactly that. Only this assembly defines devices.</summary>
public abstract class SimulatedSpiDevice : ISpiDevice
{
    private readonly Lock _lock = new();
    private bool _disposed;

    private protected SimulatedSpiDevice(string name, SimulationClock clock)
    {
        Name = name;
        Clock = clock;
    }

    public string Name { get; }

    /// <summary>The device type as written in simulation files, e.g. "w25q16".</summary>
    public abstract string Kind { get; }

    public abstract string Description { get; }

    private protected SimulationClock Clock { get; }

    private protected Lock Sync => _lock;

    public SpiStatus Transaction(ReadOnlySpan<SpiOperation> operations, out string? message)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            message = null;
            ChipSelect();
            try
            {
                foreach (ref readonly SpiOperation op in operations)
                {
                    switch (op.Kind)
                    {
                        case SpiOperationKind.Read:
                            {
                                Span<byte> into = op.Read.Span;
                                for (int i = 0; i < into.Length; i++) into[i] = Exchange(0x00);
                                break;
                            }
                        case SpiOperationKind.Write:
                            {
                                ReadOnlySpan<byte> data = op.Write.Span;
                                for (int i = 0; i < data.Length; i++) Exchange(data[i]);
                                break;
                            }
                        case SpiOperationKind.Transfer:
                            {
                                ReadOnlySpan<byte> data = op.Write.Span;
                                Span<byte> into = op.Read.Span;
                                if (into.Length != data.Length)
                                {
                                    message = "a transfer reads as many bytes as it writes";
                                    return SpiStatus.FrameFormat;
                                }
                                for (int i = 0; i < data.Length; i++) into[i] = Exchange(data[i]);
                                break;
                            }
                        case SpiOperationKind.Delay:
                            Clock.Sleep(TimeSpan.FromTicks(op.DelayNs / 100));
                            break;
                    }
                }
            }
            finally
            {
                ChipDeselect();
            }
            return SpiStatus.Ok;
        }
    }

    /// <summary>Chip select goes low.</summary>
    private protected abstract void ChipSelect();

    /// <summary>One byte each way: <paramref name="mosi"/> in, the returned byte out.</summary>
    private protected abstract byte Exchange(byte mosi);

    /// <summary>Chip select goes high (many commands take effect here).</summary>
    private protected abstract void ChipDeselect();

    private protected virtual void Close() { }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            Close();
        }
    }

    public override string ToString() => $"{Kind} '{Name}'";
}
