namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>The bus's state of one endpoint of an attached device in its current configuration
/// and alternate setting: halt, and the queue of submitted transfers (linked through the
/// transfers themselves, so queueing allocates nothing). Guarded by the bus lock.</summary>
internal sealed class SimulatedEndpoint
{
    public SimulatedEndpoint(AttachedUsbDevice device, byte address, UsbTransferType type, int packetSize,
        int transactions, long periodNs, byte interfaceNumber)
    {
        Device = device;
        Address = address;
        Type = type;
        PacketSize = packetSize;
        Transactions = transactions;
        PeriodNs = periodNs;
        InterfaceNumber = interfaceNumber;
    }

    /// <summary>Interface number of endpoint 0, which belongs to none and needs no claim.</summary>
    public const byte NoInterface = 0xFF;

    public AttachedUsbDevice Device { get; }
    public byte Address { get; }
    public UsbTransferType Type { get; }
    public int PacketSize { get; }

    /// <summary>Packets per service opportunity of a periodic endpoint (1..3).</summary>
    public int Transactions { get; }

    /// <summary>Service interval of a periodic endpoint; 0 when intervals are not modelled.</summary>
    public long PeriodNs { get; }

    public byte InterfaceNumber { get; }
    public bool IsIn => (Address & 0x80) != 0;
    public bool IsPeriodic => Type is UsbTransferType.Interrupt or UsbTransferType.Isochronous;

    /// <summary>False once a configuration or alternate-setting change has removed it.</summary>
    public bool Active { get; set; } = true;

    public bool Halted { get; set; }

    /// <summary>The head transfer was NAKed; it waits for the device's ready notification.</summary>
    public bool Parked { get; set; }

    public SimulatedUsbTransfer? Head { get; private set; }
    private SimulatedUsbTransfer? _tail;

    /// <summary>Bumped to invalidate a scheduled service event.</summary>
    public int ServiceVersion { get; set; }
    public bool ServiceScheduled { get; set; }
    public long ServiceAt { get; set; }

    /// <summary>When the endpoint was last polled (a service opportunity used); long.MinValue before.</summary>
    public long LastPollAt { get; set; } = long.MinValue;

    public void Enqueue(SimulatedUsbTransfer t)
    {
        t.Queue = this;
        t.Next = null;
        if (_tail is null) Head = t;
        else _tail.Next = t;
        _tail = t;
    }

    /// <summary>Takes <paramref name="t"/> out of the queue (wherever it is).</summary>
    public void Remove(SimulatedUsbTransfer t)
    {
        SimulatedUsbTransfer? previous = null;
        for (var x = Head; x is not null; previous = x, x = x.Next)
        {
            if (x != t) continue;
            if (previous is null)
            {
                Head = x.Next;
                Parked = false;
            }
            else previous.Next = x.Next;
            if (_tail == x) _tail = previous;
            break;
        }
        t.Queue = null;
        t.Next = null;
    }

    public override string ToString() => $"endpoint 0x{Address:x2} {Type} of {Device.Location}";
}
