namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>A simulated USB 2.0 bus with one hub of <see cref="PortCount"/> ports, into which
/// device models are plugged and unplugged at run time. Timing follows
/// <see cref="UsbBusTiming"/> on the given clock: with the system clock transfers really take
/// their modelled time; with a manual one they complete as a test advances it.</summary>
public sealed class SimulatedUsbBackend : IUsbBackend
{
    private readonly SimulatedUsbBus _bus;
    private readonly List<AttachedUsbDevice> _devices = [];
    private readonly Queue<UsbHotplugEvent> _hotplugQueue = new();
    private readonly Lock _deliveryLock = new();
    private HotplugSubscription[] _subscriptions = [];
    private byte _lastAddress = 1;
    private bool _disposed;

    /// <param name="timing">The timing model; <see cref="UsbBusTiming.HighSpeed"/> by default.</param>
    /// <param name="time">The clock; the system's by default.</param>
    /// <param name="busNumber">The bus number devices report (libusb's bus numbers start at 1).</param>
    /// <param name="portCount">Ports on the root hub.</param>
    /// <param name="name">The backend's name, for listings.</param>
    public SimulatedUsbBackend(UsbBusTiming? timing = null, TimeProvider? time = null, byte busNumber = 1, int portCount = 8, string name = "sim-usb")
    {
        timing ??= UsbBusTiming.HighSpeed;
        timing.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(portCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(portCount, 127);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        BusNumber = busNumber;
        PortCount = portCount;
        _bus = new SimulatedUsbBus(this, timing, time ?? TimeProvider.System);
    }

    public string Name { get; }

    public string Description
    {
        get
        {
            int count;
            lock (_bus.Gate) count = _devices.Count;
            return $"simulated USB 2.0 bus {BusNumber:D3}, {count} device{(count == 1 ? "" : "s")}" +
                   (Timing.IsZeroLatency ? ", zero latency" : "");
        }
    }

    public byte BusNumber { get; }

    public int PortCount { get; }

    public UsbBusTiming Timing => _bus.Timing;

    /// <summary>Bus time: since the backend was made, on its clock.</summary>
    public TimeSpan Now => TimeSpan.FromTicks(_bus.Now / 100);

    public bool SupportsHotplug => true;

    internal SimulatedUsbBus Bus => _bus;

    public UsbError GetDevices(List<IUsbDevice> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_bus.Gate) into.AddRange(_devices);
        return UsbError.Success;
    }

    /// <summary>The device models plugged in now, by port.</summary>
    public IReadOnlyList<SimulatedUsbDevice> PluggedDevices
    {
        get
        {
            lock (_bus.Gate) return _devices.OrderBy(d => d.Location.PortNumber).Select(d => d.Model).ToArray();
        }
    }

    /// <summary>Plugs <paramref name="device"/> into <paramref name="port"/> (default: the first
    /// free one). It is reset, gets the next free address, its first configuration is selected
    /// and kernel drivers are bound, as when Linux enumerates it; hotplug reports the arrival.</summary>
    /// <exception cref="ArgumentException">Its descriptors are inconsistent (the message says how).</exception>
    /// <exception cref="InvalidOperationException">It is plugged in already, or the port is taken or there is none free.</exception>
    public IUsbDevice Plug(SimulatedUsbDevice device, byte? port = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateDescriptors(device);
        if (port is { } p && (p < 1 || p > PortCount))
            throw new ArgumentOutOfRangeException(nameof(port), p, $"bus {BusNumber} has ports 1 to {PortCount}");
        AttachedUsbDevice attached;
        _bus.Enter();
        try
        {
            if (device.CurrentAttachment is { IsConnected: true } a)
                throw new InvalidOperationException($"device '{device.Name}' is plugged in already ({a.Location})");
            byte chosen = port ?? FreePort();
            if (_devices.Any(d => d.Location.PortNumber == chosen))
                throw new InvalidOperationException($"port {chosen} of bus {BusNumber} is taken");
            var location = new UsbDeviceLocation(BusNumber, NextAddress(), chosen, device.Speed);
            attached = new AttachedUsbDevice(_bus, device, location);
            device.SetAttachment(attached);
            _devices.Add(attached);
            attached.Enumerate();
            _hotplugQueue.Enqueue(new UsbHotplugEvent(UsbHotplugEventKind.Arrived, attached));
        }
        finally { _bus.Leave(); }
        return attached;
    }

    /// <summary>Pulls <paramref name="device"/> out: its pending transfers end with
    /// <see cref="UsbTransferStatus.NoDevice"/>, open handles answer
    /// <see cref="UsbError.NoDevice"/>, hotplug reports the departure. Nothing happens if it is
    /// not plugged in.</summary>
    public void Unplug(SimulatedUsbDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _bus.Enter();
        try
        {
            if (device.CurrentAttachment is { IsConnected: true } a && _devices.Contains(a)) _bus.Disconnect(a);
        }
        finally { _bus.Leave(); }
    }

    public IDisposable SubscribeHotplug(Action<UsbHotplugEvent> handler, bool enumerateExisting = false)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new HotplugSubscription(this, handler);
        AttachedUsbDevice[] existing;
        lock (_bus.Gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
            existing = enumerateExisting ? [.. _devices] : [];
        }
        lock (_deliveryLock)
            foreach (var d in existing) Invoke(handler, new UsbHotplugEvent(UsbHotplugEventKind.Arrived, d));
        return subscription;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _bus.Enter();
        try
        {
            foreach (var d in _devices.ToArray()) _bus.Disconnect(d);
        }
        finally { _bus.Leave(); }
        _bus.Dispose();
    }

    public override string ToString() => $"{Name}: {Description}";

    /// <summary>Under the bus lock, from <see cref="SimulatedUsbBus.Disconnect"/>.</summary>
    internal void OnDisconnected(AttachedUsbDevice device)
    {
        _devices.Remove(device);
        device.Model.SetAttachment(null);
        _hotplugQueue.Enqueue(new UsbHotplugEvent(UsbHotplugEventKind.Left, device));
    }

    /// <summary>Outside the bus lock: hands queued events to the subscribers, in order, one
    /// delivery at a time.</summary>
    internal void DeliverHotplug()
    {
        if (Volatile.Read(ref _subscriptions).Length == 0)
        {
            lock (_bus.Gate) _hotplugQueue.Clear();
            return;
        }
        lock (_deliveryLock)
        {
            while (true)
            {
                UsbHotplugEvent next;
                lock (_bus.Gate)
                    if (!_hotplugQueue.TryDequeue(out next)) return;
                foreach (var s in Volatile.Read(ref _subscriptions)) Invoke(s.Handler, next);
            }
        }
    }

    private static void Invoke(Action<UsbHotplugEvent> handler, UsbHotplugEvent e)
    {
        try
        {
            handler(e);
        }
        catch (Exception ex)
        {
            System.Diagnostics.Trace.TraceWarning($"a USB hotplug handler threw: {ex}");
        }
    }

    private void Unsubscribe(HotplugSubscription subscription)
    {
        lock (_bus.Gate) _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
    }

    private byte FreePort()
    {
        for (byte p = 1; p <= PortCount; p++)
            if (!_devices.Any(d => d.Location.PortNumber == p)) return p;
        throw new InvalidOperationException($"all {PortCount} ports of bus {BusNumber} are taken");
    }

    // As Linux does: the next address after the last one given, skipping those in use, wrapping
    // from 127 to 2 (1 is the root hub's).
    private byte NextAddress()
    {
        for (int i = 0; i < 126; i++)
        {
            _lastAddress = _lastAddress >= 127 ? (byte)2 : (byte)(_lastAddress + 1);
            if (!_devices.Any(d => d.Location.DeviceAddress == _lastAddress)) return _lastAddress;
        }
        throw new InvalidOperationException($"bus {BusNumber} has no free address");
    }

    private static void ValidateDescriptors(SimulatedUsbDevice device)
    {
        var d = device.DeviceDescriptor;
        var configurations = device.Configurations;
        string who = $"device '{device.Name}'";
        if (d.MaxPacketSize0 is not (8 or 16 or 32 or 64)) throw new ArgumentException($"{who}: bMaxPacketSize0 {d.MaxPacketSize0} is not 8, 16, 32 or 64");
        if (configurations.Count == 0) throw new ArgumentException($"{who} has no configuration");
        if (d.ConfigurationCount != configurations.Count)
            throw new ArgumentException($"{who}: bNumConfigurations is {d.ConfigurationCount} but it has {configurations.Count} configurations");
        var values = new HashSet<byte>();
        foreach (var c in configurations)
        {
            if (c.ConfigurationValue == 0) throw new ArgumentException($"{who}: configuration value 0 means unconfigured");
            if (!values.Add(c.ConfigurationValue)) throw new ArgumentException($"{who}: two configurations have value {c.ConfigurationValue}");
            var settings = new HashSet<(byte, byte)>();
            foreach (var i in c.Interfaces)
            {
                if (!settings.Add((i.InterfaceNumber, i.AlternateSetting)))
                    throw new ArgumentException($"{who}: configuration {c.ConfigurationValue} has interface {i.InterfaceNumber} alt {i.AlternateSetting} twice");
                var addresses = new HashSet<byte>();
                foreach (var e in i.Endpoints)
                {
                    string where = $"{who}: interface {i.InterfaceNumber} alt {i.AlternateSetting}";
                    if (!UsbTransfer.IsValidEndpointAddress(e.Address)) throw new ArgumentException($"{where}: 0x{e.Address:x2} is not an endpoint address");
                    if (e.TransferType == UsbTransferType.Control) throw new ArgumentException($"{where}: endpoint 0x{e.Address:x2} is a control endpoint");
                    if (e.PacketSize is 0 or > 1024) throw new ArgumentException($"{where}: endpoint 0x{e.Address:x2} has packet size {e.PacketSize}");
                    if (!addresses.Add(e.Address)) throw new ArgumentException($"{where}: endpoint 0x{e.Address:x2} appears twice");
                }
            }
            foreach (var (number, _) in settings)
                if (!settings.Contains((number, 0))) throw new ArgumentException($"{who}: interface {number} has no alternate setting 0");
        }
    }

    private sealed class HotplugSubscription(SimulatedUsbBackend owner, Action<UsbHotplugEvent> handler) : IDisposable
    {
        public Action<UsbHotplugEvent> Handler { get; } = handler;

        public void Dispose() => owner.Unsubscribe(this);
    }
}
