using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Simulation;

/// <summary>An I2C bus with register-level device models attached by address, and faults that
/// can be injected and cleared while it runs. One transfer at a time, as on a real bus.</summary>
public sealed class SimulatedI2cBus : II2cBus
{
    private readonly SimulatedI2cDevice?[] _byAddress = new SimulatedI2cDevice?[128];
    private readonly List<SimulatedI2cDevice> _devices = [];
    private readonly Lock _transferLock = new();
    // Copy-on-write so that a transfer reads the fault list without taking a second lock.
    private I2cFaultHandle[] _faults = [];
    private readonly SimulationClock _clock;
    private bool _disposed;

    internal SimulatedI2cBus(string name, SimulationClock clock, string? description = null)
    {
        Name = name;
        _clock = clock;
        _description = description;
    }

    private readonly string? _description;

    public string Name { get; }

    public string Description => _description ?? $"simulated I2C bus, {_devices.Count} device{(_devices.Count == 1 ? "" : "s")}";

    /// <summary>The attached devices, in the order they were attached.</summary>
    public IReadOnlyList<SimulatedI2cDevice> Devices => _devices;

    /// <summary>The device answering on <paramref name="address"/>, or null.</summary>
    public SimulatedI2cDevice? DeviceAt(ushort address) => address < 128 ? _byAddress[address] : null;

    /// <summary>The faults currently injected.</summary>
    public IReadOnlyList<I2cFaultHandle> Faults => Volatile.Read(ref _faults);

    internal void Attach(SimulatedI2cDevice device)
    {
        lock (_transferLock)
        {
            foreach (ushort address in device.Addresses)
            {
                if (address > 0x7F) throw new ArgumentException($"0x{address:x2} is not a 7-bit I2C address", nameof(device));
                if (_byAddress[address] is { } other)
                    throw new InvalidOperationException($"address 0x{address:x2} on bus '{Name}' is already taken by {other}");
            }
            foreach (ushort address in device.Addresses) _byAddress[address] = device;
            _devices.Add(device);
        }
    }

    /// <summary>Injects <paramref name="fault"/>; it applies from the next transfer on until
    /// the returned handle is disposed or <see cref="ClearFaults"/> is called.</summary>
    public I2cFaultHandle InjectFault(I2cFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Address is > 0x7F) throw new ArgumentException($"0x{fault.Address:x2} is not a 7-bit I2C address", nameof(fault));
        if (fault.Kind == I2cFaultKind.Latency && fault.Latency <= TimeSpan.Zero)
            throw new ArgumentException("a latency fault needs a positive latency", nameof(fault));
        var handle = new I2cFaultHandle(this, fault);
        lock (_transferLock) _faults = [.. _faults, handle];
        return handle;
    }

    public void ClearFaults()
    {
        lock (_transferLock) _faults = [];
    }

    internal void RemoveFault(I2cFaultHandle handle)
    {
        lock (_transferLock) _faults = Array.FindAll(_faults, f => f != handle);
    }

    public I2cStatus Transfer(ushort address, ReadOnlySpan<I2cMessage> messages)
    {
        if (address > 0x7F) throw new ArgumentOutOfRangeException(nameof(address), address, "an I2C address has 7 bits");
        lock (_transferLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            TimeSpan latency = TimeSpan.Zero;
            I2cStatus injected = I2cStatus.Ok;
            foreach (I2cFaultHandle fault in _faults)
            {
                if (!fault.Fires(address)) continue;
                if (fault.Fault.Kind == I2cFaultKind.Latency) latency += fault.Fault.Latency;
                else if (injected == I2cStatus.Ok) injected = fault.Fault.Status;
            }
            _clock.Sleep(latency);

            if (injected is I2cStatus.BusError or I2cStatus.ArbitrationLoss or I2cStatus.NoAcknowledgeAddress) return injected;

            SimulatedI2cDevice? device = _byAddress[address];
            if (device is null) return I2cStatus.NoAcknowledgeAddress;

            lock (device.Sync)
            {
                I2cStatus status = RunMessages(device, address, messages, injected == I2cStatus.NoAcknowledgeData);
                device.OnStop();
                return status;
            }
        }
    }

    private static I2cStatus RunMessages(SimulatedI2cDevice device, ushort address, ReadOnlySpan<I2cMessage> messages, bool nackData)
    {
        if (messages.IsEmpty)
        {
            // A quick command: start, address, stop - how a bus scan probes.
            return device.OnStart(address, read: false) ? I2cStatus.Ok : I2cStatus.NoAcknowledgeAddress;
        }
        foreach (ref readonly I2cMessage message in messages)
        {
            if (!device.OnStart(address, message.IsRead)) return I2cStatus.NoAcknowledgeAddress;
            if (nackData) return I2cStatus.NoAcknowledgeData;
            Span<byte> buffer = message.Buffer.Span;
            if (message.IsRead)
            {
                for (int i = 0; i < buffer.Length; i++) buffer[i] = device.OnRead();
            }
            else
            {
                for (int i = 0; i < buffer.Length; i++)
                    if (!device.OnWrite(buffer[i])) return I2cStatus.NoAcknowledgeData;
            }
        }
        return I2cStatus.Ok;
    }

    public void Dispose()
    {
        lock (_transferLock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (SimulatedI2cDevice device in _devices)
                lock (device.Sync) device.Close();
        }
    }
}
