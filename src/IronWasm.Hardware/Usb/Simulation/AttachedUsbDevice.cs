namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>One enumeration of a device model on a simulated bus (what libusb calls a device):
/// its address and port, and the standard USB state the bus keeps for it (configuration,
/// alternate settings, endpoints and their halts, kernel driver bindings). A replugged model
/// gets a new one. Mutable state is guarded by the bus lock.</summary>
internal sealed class AttachedUsbDevice : IUsbDevice
{
    private static readonly byte[] Languages = UsbDescriptorCodec.WriteLanguages([UsbStandard.LanguageEnglishUs]);

    private readonly byte[] _deviceBytes;
    private readonly byte[][] _configurationBytes;
    private readonly SimulatedEndpoint?[] _endpoints = new SimulatedEndpoint?[32];
    private readonly byte[] _alternateSettings = new byte[256];
    private readonly bool[] _kernelBound = new bool[256];
    private volatile bool _connected = true;

    public AttachedUsbDevice(SimulatedUsbBus bus, SimulatedUsbDevice model, UsbDeviceLocation location)
    {
        Bus = bus;
        Model = model;
        Location = location;
        Descriptor = model.DeviceDescriptor;
        Configurations = model.Configurations.ToArray();
        _deviceBytes = UsbDescriptorCodec.WriteDevice(Descriptor);
        _configurationBytes = Configurations.Select(UsbDescriptorCodec.WriteConfiguration).ToArray();
        Manufacturer = StringAt(Descriptor.ManufacturerIndex);
        Product = StringAt(Descriptor.ProductIndex);
        SerialNumber = StringAt(Descriptor.SerialNumberIndex);
        Ep0 = new SimulatedEndpoint(this, 0, UsbTransferType.Control, Descriptor.MaxPacketSize0, 1, 0, SimulatedEndpoint.NoInterface);
    }

    public SimulatedUsbBus Bus { get; }
    public SimulatedUsbDevice Model { get; }
    public UsbDeviceLocation Location { get; }
    public UsbDeviceDescriptor Descriptor { get; }
    public IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; }
    public string? Manufacturer { get; }
    public string? Product { get; }
    public string? SerialNumber { get; }
    public bool IsConnected => _connected;

    public SimulatedEndpoint Ep0 { get; }

    /// <summary>The handle that has it open, or null.</summary>
    public SimulatedUsbDeviceHandle? OpenHandle { get; set; }

    public byte ConfigurationValue { get; private set; }
    public UsbConfigurationDescriptor? ActiveConfiguration { get; private set; }

    public UsbError GetActiveConfiguration(out UsbConfigurationDescriptor? configuration)
    {
        lock (Bus.Gate)
        {
            configuration = ActiveConfiguration;
            if (!_connected) return UsbError.NoDevice;
            return configuration is null ? UsbError.NotFound : UsbError.Success;
        }
    }

    public UsbError Open(out UsbDeviceHandle? handle)
    {
        handle = null;
        lock (Bus.Gate)
        {
            if (!_connected) return UsbError.NoDevice;
            if (OpenHandle is not null) return UsbError.Access;
            var opened = new SimulatedUsbDeviceHandle(this);
            OpenHandle = opened;
            handle = opened;
            return UsbError.Success;
        }
    }

    public override string ToString() => $"{Location}: {Descriptor}{(Product is null ? "" : $" {Product}")}";

    private string? StringAt(byte index) => index == 0 ? null : Model.GetString(index);

    // ---- state changes, all under the bus lock ----

    public void MarkDisconnected() => _connected = false;

    /// <summary>What happens at plug-in: a bus reset, then the OS selects the first configuration
    /// and binds its drivers.</summary>
    public void Enumerate()
    {
        Model.OnReset();
        SelectConfiguration(Configurations[0].ConfigurationValue);
    }

    public SimulatedEndpoint? FindEndpoint(byte address) =>
        address == 0 ? Ep0 : UsbTransfer.IsValidEndpointAddress(address) ? _endpoints[Slot(address)] : null;

    /// <summary>The endpoints of the current alternate settings, endpoint 0 first.</summary>
    public IEnumerable<SimulatedEndpoint> Endpoints()
    {
        yield return Ep0;
        foreach (var e in _endpoints)
            if (e is not null) yield return e;
    }

    public bool HasInterface(byte number) => ActiveConfiguration?.HasInterface(number) == true;

    public byte AlternateSetting(byte interfaceNumber) => _alternateSettings[interfaceNumber];

    public bool IsKernelDriverBound(byte interfaceNumber) => _kernelBound[interfaceNumber];

    public void SetKernelDriverBound(byte interfaceNumber, bool bound) => _kernelBound[interfaceNumber] = bound;

    public bool AnyKernelDriverBound()
    {
        if (ActiveConfiguration is null) return false;
        foreach (var i in ActiveConfiguration.Interfaces)
            if (_kernelBound[i.InterfaceNumber]) return true;
        return false;
    }

    /// <summary>SET_CONFIGURATION (0: unconfigured). Pending transfers on the old endpoints are
    /// cancelled; the kernel binds its drivers to the new interfaces, as Linux does.</summary>
    public UsbError SelectConfiguration(byte value)
    {
        var configuration = value == 0 ? null : Configurations.FirstOrDefault(c => c.ConfigurationValue == value);
        if (value != 0 && configuration is null) return UsbError.NotFound;
        for (int i = 0; i < _endpoints.Length; i++) RemoveEndpoint(i);
        Array.Clear(_alternateSettings);
        Array.Clear(_kernelBound);
        ActiveConfiguration = configuration;
        ConfigurationValue = value;
        Model.OnConfigurationChanged(value);
        if (configuration is null) return UsbError.Success;
        foreach (var i in configuration.Interfaces)
        {
            if (i.AlternateSetting != 0) continue;
            AddEndpoints(i);
            _kernelBound[i.InterfaceNumber] = Model.HasKernelDriver(i.InterfaceNumber);
            Model.OnAlternateSettingChanged(i.InterfaceNumber, 0);
        }
        return UsbError.Success;
    }

    /// <summary>SET_INTERFACE: pending transfers on the interface's old endpoints are cancelled.</summary>
    public UsbError SelectAlternateSetting(byte interfaceNumber, byte alternateSetting)
    {
        var setting = ActiveConfiguration?.FindInterface(interfaceNumber, alternateSetting);
        if (setting is null) return UsbError.NotFound;
        for (int i = 0; i < _endpoints.Length; i++)
            if (_endpoints[i]?.InterfaceNumber == interfaceNumber) RemoveEndpoint(i);
        _alternateSettings[interfaceNumber] = alternateSetting;
        AddEndpoints(setting);
        Model.OnAlternateSettingChanged(interfaceNumber, alternateSetting);
        return UsbError.Success;
    }

    /// <summary>Port reset: transfers end, the device model resets, and the configuration it had
    /// is selected again (alternate settings back to 0; kernel bindings kept).</summary>
    public void Reset()
    {
        var bound = (bool[])_kernelBound.Clone();
        Bus.CancelQueued(Ep0, UsbTransferStatus.Cancelled);
        Model.OnReset();
        SelectConfiguration(ConfigurationValue);
        Array.Copy(bound, _kernelBound, bound.Length);
    }

    private void AddEndpoints(UsbInterfaceDescriptor setting)
    {
        foreach (var e in setting.Endpoints)
        {
            long period = e.TransferType is UsbTransferType.Interrupt or UsbTransferType.Isochronous
                ? Bus.Timing.PeriodNs(e, Model.Speed) : 0;
            _endpoints[Slot(e.Address)] = new SimulatedEndpoint(this, e.Address, e.TransferType, e.PacketSize,
                e.TransactionsPerInterval, period, setting.InterfaceNumber);
        }
    }

    private void RemoveEndpoint(int slot)
    {
        if (_endpoints[slot] is not { } e) return;
        e.Active = false;
        Bus.CancelQueued(e, UsbTransferStatus.Cancelled);
        _endpoints[slot] = null;
    }

    private static int Slot(byte address) => (address & 0x0F) | ((address & 0x80) >> 3);

    // ---- standard requests ----

    /// <summary>Answers a control request: the standard ones here, the rest by the model.
    /// SET_CONFIGURATION and SET_INTERFACE stall: they go through the handle, where claims and
    /// kernel drivers are checked, as a kernel that tracks them insists.</summary>
    public UsbPacketResult HandleControl(in UsbSetupPacket setup, Span<byte> data, out int length)
    {
        length = 0;
        if (setup.Kind != UsbRequestKind.Standard) return Model.OnControl(setup, data, out length);
        switch (setup.Request)
        {
            case UsbStandard.GetDescriptor when setup.IsDeviceToHost && setup.Recipient == UsbRequestRecipient.Device:
                var bytes = DescriptorBytes((byte)(setup.Value >> 8), (byte)setup.Value);
                if (bytes is null) return Model.OnControl(setup, data, out length);
                length = Math.Min(bytes.Length, data.Length);
                bytes.AsSpan(0, length).CopyTo(data);
                return UsbPacketResult.Ack;
            case UsbStandard.GetStatus when setup.IsDeviceToHost && data.Length >= 2:
                return GetStatus(setup, data, out length);
            case UsbStandard.ClearFeature or UsbStandard.SetFeature when !setup.IsDeviceToHost:
                return Feature(setup, setup.Request == UsbStandard.SetFeature);
            case UsbStandard.GetConfiguration when setup.IsDeviceToHost && data.Length >= 1:
                data[0] = ConfigurationValue;
                length = 1;
                return UsbPacketResult.Ack;
            case UsbStandard.GetInterface when setup.IsDeviceToHost && data.Length >= 1:
                if (setup.Index > 0xFF || !HasInterface((byte)setup.Index)) return UsbPacketResult.Stall;
                data[0] = _alternateSettings[setup.Index];
                length = 1;
                return UsbPacketResult.Ack;
            case UsbStandard.SetConfiguration or UsbStandard.SetInterface or UsbStandard.SetAddress
                or UsbStandard.SetDescriptor or UsbStandard.SynchFrame:
                return UsbPacketResult.Stall;
            default:
                return Model.OnControl(setup, data, out length);
        }
    }

    private byte[]? DescriptorBytes(byte type, byte index) => type switch
    {
        UsbStandard.DescriptorDevice => _deviceBytes,
        UsbStandard.DescriptorConfiguration => index < _configurationBytes.Length ? _configurationBytes[index] : null,
        UsbStandard.DescriptorString when index == 0 => Languages,
        UsbStandard.DescriptorString => Model.GetString(index) is { } s ? UsbDescriptorCodec.WriteString(s) : null,
        UsbStandard.DescriptorDeviceQualifier when Model.Speed == UsbSpeed.High => UsbDescriptorCodec.WriteDeviceQualifier(Descriptor),
        _ => null,
    };

    private UsbPacketResult GetStatus(in UsbSetupPacket setup, Span<byte> data, out int length)
    {
        length = 2;
        data[1] = 0;
        switch (setup.Recipient)
        {
            case UsbRequestRecipient.Device:
                data[0] = (byte)((ActiveConfiguration?.Attributes ?? 0) & 0x40) switch { 0 => 0, _ => 1 };
                return UsbPacketResult.Ack;
            case UsbRequestRecipient.Interface when setup.Index <= 0xFF && HasInterface((byte)setup.Index):
                data[0] = 0;
                return UsbPacketResult.Ack;
            case UsbRequestRecipient.Endpoint when setup.Index <= 0xFF && FindEndpoint((byte)setup.Index) is { } e:
                data[0] = e.Halted ? (byte)1 : (byte)0;
                return UsbPacketResult.Ack;
            default:
                length = 0;
                return UsbPacketResult.Stall;
        }
    }

    private UsbPacketResult Feature(in UsbSetupPacket setup, bool set)
    {
        if (setup.Recipient == UsbRequestRecipient.Endpoint && setup.Value == UsbStandard.FeatureEndpointHalt)
        {
            if (setup.Index > 0xFF || FindEndpoint((byte)setup.Index) is not { } e) return UsbPacketResult.Stall;
            if (e.Address == 0) return UsbPacketResult.Ack;
            if (set) Bus.Halt(this, e.Address);
            else Bus.ClearHalt(e);
            return UsbPacketResult.Ack;
        }
        if (setup.Recipient == UsbRequestRecipient.Device && setup.Value == UsbStandard.FeatureDeviceRemoteWakeup)
            return UsbPacketResult.Ack;
        return UsbPacketResult.Stall;
    }
}
