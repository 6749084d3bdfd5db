namespace IronWasm.Hardware.Simulation;

/// <summary>A register-level model of one chip on a <see cref="SimulatedI2cBus"/>. The bus drives
/// it with the conditions a real chip sees on the wire: start (or repeated start) with its
/// address and direction, each written byte (the chip acknowledges or not), each byte the
/// master reads, and stop. Only this assembly defines devices.</summary>
public abstract class SimulatedI2cDevice
{
    private protected SimulatedI2cDevice(string name, ushort address, SimulationClock clock)
    {
        Name = name;
        Address = address;
        Clock = clock;
    }

    /// <summary>The device's name in the simulation (e.g. "lcd"), unique within the simulation.</summary>
    public string Name { get; }

    /// <summary>The 7-bit address the device answers on (its first one, for devices with several).</summary>
    public ushort Address { get; }

    /// <summary>The device type as written in simulation files, e.g. "hts221".</summary>
    public abstract string Kind { get; }

    /// <summary>One line for `ironwasm devices`.</summary>
    public abstract string Description { get; }

    /// <summary>Every address the device answers on.</summary>
    public virtual IReadOnlyList<ushort> Addresses => [Address];

    private protected SimulationClock Clock { get; }

    /// <summary>Held by the bus for a whole transfer and by every public method, so a host
    /// reading a display's state never sees half a transfer.</summary>
    internal readonly Lock Sync = new();

    /// <summary>Start or repeated start addressed to this device. Returns whether the device
    /// acknowledges its address.</summary>
    internal abstract bool OnStart(ushort address, bool read);

    /// <summary>One byte from the master. Returns whether the device acknowledges it.</summary>
    internal abstract bool OnWrite(byte value);

    /// <summary>One byte to the master.</summary>
    internal abstract byte OnRead();

    /// <summary>Stop condition (also after a transfer that ended in a no-acknowledge).</summary>
    internal abstract void OnStop();

    /// <summary>Releases files the device keeps open.</summary>
    internal virtual void Close() { }

    public override string ToString() => $"{Kind} '{Name}' at 0x{Address:x2}";
}
