namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>What a device answers to one packet (or one control request): data or
/// acceptance, not ready yet, or a stall.</summary>
public enum UsbPacketResult : byte
{
    Ack,
    /// <summary>Not ready: the host retries once the device calls
    /// <see cref="SimulatedUsbDevice.NotifyEndpointReady(byte)"/> (for an isochronous IN: no data this interval).</summary>
    Nak,
    Stall,
}

/// <summary>A device model for a <see cref="SimulatedUsbBackend"/>: its descriptors, its answers
/// to control requests that are not standard ones, and its answers to each data packet, as on
/// the wire (a bulk transfer of 1024 bytes to a 512-byte endpoint is two packets; a short packet
/// ends an IN transfer). The bus handles the standard requests (descriptors, configuration,
/// interfaces, halts) itself. Every On... method is called under the bus's lock, one at a
/// time; code outside those calls (test input, scripts) that changes what the device answers
/// holds the lock through <see cref="LockBus"/>.</summary>
public abstract class SimulatedUsbDevice
{
    private readonly Lock _ownGate = new();
    private AttachedUsbDevice? _attachment;
    private UsbFaultHandle[] _faults = [];

    protected SimulatedUsbDevice(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The name tests and simulation files refer to it by.</summary>
    public string Name { get; }

    public abstract UsbDeviceDescriptor DeviceDescriptor { get; }

    /// <summary>Configurations by index; <see cref="UsbDeviceDescriptor.ConfigurationCount"/> of them.</summary>
    public abstract IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; }

    public virtual UsbSpeed Speed => UsbSpeed.High;

    /// <summary>String descriptor <paramref name="index"/> (1..255) in US English, or null for none.</summary>
    public abstract string? GetString(byte index);

    /// <summary>Whether the OS would bind a kernel driver to the interface (usb-storage, usbhid):
    /// it is bound at enumeration and must be detached before the interface can be claimed.</summary>
    public virtual bool HasKernelDriver(byte interfaceNumber) => false;

    /// <summary>True while the device is on a bus.</summary>
    public bool IsPlugged => Volatile.Read(ref _attachment) is { IsConnected: true };

    /// <summary>The bus's view of the device while it is plugged in (what listings return), or null.</summary>
    public IUsbDevice? Attachment => Volatile.Read(ref _attachment) is { IsConnected: true } a ? a : null;

    /// <summary>The faults currently injected.</summary>
    public IReadOnlyList<UsbFaultHandle> Faults => Volatile.Read(ref _faults);

    /// <summary>Injects <paramref name="fault"/>; it applies to transfers that reach the bus from
    /// now on, until the handle is disposed or <see cref="ClearFaults"/> is called.</summary>
    public UsbFaultHandle InjectFault(UsbFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var handle = new UsbFaultHandle(this, fault);
        using (LockBus())
            _faults = [.. _faults, handle];
        return handle;
    }

    public void ClearFaults()
    {
        using (LockBus()) _faults = [];
    }

    internal void RemoveFault(UsbFaultHandle handle)
    {
        using (LockBus()) _faults = [.. _faults.Where(f => f != handle)];
    }

    /// <summary>The first injected fault that fires for a transfer on <paramref name="endpoint"/>; under the bus lock.</summary>
    internal UsbFaultKind? NextFault(byte endpoint)
    {
        UsbFaultKind? fired = null;
        foreach (var f in _faults)
            if (f.Fires(endpoint) && fired is null) fired = f.Fault.Kind;
        return fired;
    }

    /// <summary>Bus reset: at plug-in and on <see cref="UsbDeviceHandle.ResetDevice"/>. Forget all transfer state.</summary>
    protected internal virtual void OnReset() { }

    /// <summary>SET_CONFIGURATION: <paramref name="configurationValue"/> 0 when unconfigured. Also after a reset.</summary>
    protected internal virtual void OnConfigurationChanged(byte configurationValue) { }

    /// <summary>SET_INTERFACE; also when a configuration is selected (every interface to 0).</summary>
    protected internal virtual void OnAlternateSettingChanged(byte interfaceNumber, byte alternateSetting) { }

    /// <summary>The host cleared a halt on <paramref name="endpoint"/> (CLEAR_FEATURE(ENDPOINT_HALT));
    /// the bus has already un-halted it, and resets the data toggle.</summary>
    protected internal virtual void OnHaltCleared(byte endpoint) { }

    /// <summary>A class or vendor request, or a standard one the bus does not handle (a
    /// GET_DESCRIPTOR of a class descriptor). For a device-to-host request write at most
    /// <paramref name="data"/>.Length bytes and say how many; for host-to-device
    /// <paramref name="data"/> is the data stage. Stall what is not supported.</summary>
    protected internal virtual UsbPacketResult OnControl(in UsbSetupPacket setup, Span<byte> data, out int length)
    {
        length = 0;
        return UsbPacketResult.Stall;
    }

    /// <summary>The host asks IN <paramref name="endpoint"/> for one packet: write at most
    /// <paramref name="packet"/>.Length bytes (the endpoint's packet size) and set
    /// <paramref name="length"/>. Fewer than a full packet ends the host's transfer.</summary>
    protected internal virtual UsbPacketResult OnInPacket(byte endpoint, Span<byte> packet, out int length)
    {
        length = 0;
        return UsbPacketResult.Stall;
    }

    /// <summary>The host sends one packet to OUT <paramref name="endpoint"/>. A NAK leaves the
    /// packet with the host, who sends it again after <see cref="NotifyEndpointReady(byte)"/>.</summary>
    protected internal virtual UsbPacketResult OnOutPacket(byte endpoint, ReadOnlySpan<byte> packet) => UsbPacketResult.Stall;

    /// <summary>Bus time (from the backend's creation) while plugged; zero otherwise.</summary>
    protected TimeSpan BusTime => Volatile.Read(ref _attachment) is { } a ? TimeSpan.FromTicks(a.Bus.CurrentTime / 100) : TimeSpan.Zero;

    /// <summary>The device can now answer on <paramref name="endpoint"/> (data to send, room to
    /// receive): the host retries a transfer it NAKed. Call under the bus lock (in an On...
    /// method or inside <see cref="LockBus"/>); does nothing while unplugged.</summary>
    protected void NotifyEndpointReady(byte endpoint) => NotifyEndpointReady(endpoint, TimeSpan.Zero);

    /// <summary>As <see cref="NotifyEndpointReady(byte)"/>, <paramref name="after"/> from now on the bus clock.</summary>
    protected void NotifyEndpointReady(byte endpoint, TimeSpan after)
    {
        if (Volatile.Read(ref _attachment) is not { IsConnected: true } a) return;
        a.Bus.RequireGate();
        a.Bus.EndpointReady(a, endpoint, after.Ticks * 100);
    }

    /// <summary>Halts <paramref name="endpoint"/> from the device side: every transfer on it stalls
    /// until the host clears the halt. Call under the bus lock.</summary>
    protected void HaltEndpoint(byte endpoint)
    {
        if (Volatile.Read(ref _attachment) is not { IsConnected: true } a) return;
        a.Bus.RequireGate();
        a.Bus.Halt(a, endpoint);
    }

    /// <summary>Runs <paramref name="action"/> under the bus lock after <paramref name="delay"/>
    /// on the bus clock, unless the device has left by then.</summary>
    /// <exception cref="InvalidOperationException">The device is not plugged in.</exception>
    protected void Schedule(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using (LockBus())
        {
            if (Volatile.Read(ref _attachment) is not { IsConnected: true } a)
                throw new InvalidOperationException($"device '{Name}' is not plugged in");
            a.Bus.ScheduleCallback(a, Math.Max(0, delay.Ticks * 100), action);
        }
    }

    /// <summary>Holds the lock of the bus the device is on (or its own while unplugged) until
    /// disposed; on release the bus serves whatever the change made ready.</summary>
    protected BusLock LockBus()
    {
        while (true)
        {
            var attachment = Volatile.Read(ref _attachment);
            var gate = attachment?.Bus.Gate ?? _ownGate;
            gate.Enter();
            if (ReferenceEquals(Volatile.Read(ref _attachment), attachment)) return new BusLock(gate, attachment?.Bus);
            gate.Exit();
        }
    }

    /// <summary>Called by the bus under its lock: takes the device's own lock too, so that
    /// <see cref="LockBus"/> callers see the change of bus atomically.</summary>
    internal void SetAttachment(AttachedUsbDevice? attachment)
    {
        lock (_ownGate) Volatile.Write(ref _attachment, attachment);
    }

    internal AttachedUsbDevice? CurrentAttachment => Volatile.Read(ref _attachment);

    public override string ToString() => $"{Name} ({DeviceDescriptor.VendorId:x4}:{DeviceDescriptor.ProductId:x4})";

    /// <summary>The bus lock held by <see cref="LockBus"/>.</summary>
    public readonly ref struct BusLock
    {
        private readonly Lock _gate;
        private readonly SimulatedUsbBus? _bus;

        internal BusLock(Lock gate, SimulatedUsbBus? bus)
        {
            _gate = gate;
            _bus = bus;
        }

        public void Dispose()
        {
            _bus?.AfterExternalChange();
            _gate.Exit();
            _bus?.AfterUnlock();
        }
    }
}
