namespace IronWasm.Hardware.Usb;

/// <summary>The 18-byte device descriptor (USB 2.0 §9.6.1); the fields of component:usb's
/// <c>device-descriptor</c> (bLength and bDescriptorType are the constants here).</summary>
public readonly record struct UsbDeviceDescriptor(
    ushort UsbVersion,
    byte DeviceClass,
    byte DeviceSubclass,
    byte DeviceProtocol,
    byte MaxPacketSize0,
    ushort VendorId,
    ushort ProductId,
    ushort DeviceVersion,
    byte ManufacturerIndex,
    byte ProductIndex,
    byte SerialNumberIndex,
    byte ConfigurationCount)
{
    public const byte Length = 18;
    public const byte DescriptorType = UsbStandard.DescriptorDevice;

    public override string ToString() => $"{VendorId:x4}:{ProductId:x4} class {DeviceClass:x2} usb {UsbVersion >> 8:x}.{UsbVersion & 0xFF:x2}";
}

/// <summary>A configuration descriptor with everything under it (USB 2.0 §9.6.3). Interfaces are
/// listed as on the wire: one entry per alternate setting.</summary>
public sealed class UsbConfigurationDescriptor
{
    public const byte Length = 9;
    public const byte DescriptorType = UsbStandard.DescriptorConfiguration;

    public UsbConfigurationDescriptor(byte configurationValue, byte attributes, byte maxPower,
        IReadOnlyList<UsbInterfaceDescriptor> interfaces, byte configurationIndex = 0, ReadOnlyMemory<byte> extra = default)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ConfigurationValue = configurationValue;
        Attributes = attributes;
        MaxPower = maxPower;
        Interfaces = interfaces;
        ConfigurationIndex = configurationIndex;
        Extra = extra;
        int total = Length + extra.Length;
        foreach (var i in interfaces) total += i.TotalLength;
        if (total > ushort.MaxValue) throw new ArgumentException("a configuration's descriptors exceed 65535 bytes", nameof(interfaces));
        TotalLength = (ushort)total;
        InterfaceCount = (byte)interfaces.Select(i => i.InterfaceNumber).Distinct().Count();
    }

    /// <summary>bConfigurationValue: what SET_CONFIGURATION selects it by (never 0).</summary>
    public byte ConfigurationValue { get; }

    /// <summary>bmAttributes: bit 7 always set, bit 6 self-powered, bit 5 remote wakeup.</summary>
    public byte Attributes { get; }

    /// <summary>bMaxPower in units of 2 mA (high speed).</summary>
    public byte MaxPower { get; }

    /// <summary>iConfiguration: the string describing it (0: none).</summary>
    public byte ConfigurationIndex { get; }

    public IReadOnlyList<UsbInterfaceDescriptor> Interfaces { get; }

    /// <summary>Class- or vendor-specific descriptors between the configuration descriptor and the first interface.</summary>
    public ReadOnlyMemory<byte> Extra { get; }

    /// <summary>wTotalLength: all the descriptors of this configuration.</summary>
    public ushort TotalLength { get; }

    /// <summary>bNumInterfaces: distinct interface numbers.</summary>
    public byte InterfaceCount { get; }

    /// <summary>The interface <paramref name="number"/> in alternate setting <paramref name="alternateSetting"/>, or null.</summary>
    public UsbInterfaceDescriptor? FindInterface(byte number, byte alternateSetting = 0)
    {
        foreach (var i in Interfaces)
            if (i.InterfaceNumber == number && i.AlternateSetting == alternateSetting) return i;
        return null;
    }

    public bool HasInterface(byte number)
    {
        foreach (var i in Interfaces)
            if (i.InterfaceNumber == number) return true;
        return false;
    }

    public override string ToString() => $"configuration {ConfigurationValue}, {InterfaceCount} interface{(InterfaceCount == 1 ? "" : "s")}, {MaxPower * 2} mA";
}

/// <summary>One alternate setting of an interface, with its endpoints (USB 2.0 §9.6.5).</summary>
public sealed class UsbInterfaceDescriptor
{
    public const byte Length = 9;
    public const byte DescriptorType = UsbStandard.DescriptorInterface;

    public UsbInterfaceDescriptor(byte interfaceNumber, byte alternateSetting, byte interfaceClass, byte interfaceSubclass,
        byte interfaceProtocol, IReadOnlyList<UsbEndpointDescriptor> endpoints, byte interfaceIndex = 0, ReadOnlyMemory<byte> extra = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        InterfaceNumber = interfaceNumber;
        AlternateSetting = alternateSetting;
        InterfaceClass = interfaceClass;
        InterfaceSubclass = interfaceSubclass;
        InterfaceProtocol = interfaceProtocol;
        Endpoints = endpoints;
        InterfaceIndex = interfaceIndex;
        Extra = extra;
    }

    public byte InterfaceNumber { get; }
    public byte AlternateSetting { get; }
    public byte InterfaceClass { get; }
    public byte InterfaceSubclass { get; }
    public byte InterfaceProtocol { get; }

    /// <summary>iInterface: the string describing it (0: none).</summary>
    public byte InterfaceIndex { get; }

    public IReadOnlyList<UsbEndpointDescriptor> Endpoints { get; }

    /// <summary>Class-specific descriptors after the interface descriptor (a HID descriptor, for one).</summary>
    public ReadOnlyMemory<byte> Extra { get; }

    internal int TotalLength
    {
        get
        {
            int total = Length + Extra.Length;
            foreach (var e in Endpoints) total += e.Length + e.Extra.Length;
            return total;
        }
    }

    public override string ToString() => $"interface {InterfaceNumber} alt {AlternateSetting} class {InterfaceClass:x2}/{InterfaceSubclass:x2}/{InterfaceProtocol:x2}";
}

/// <summary>An endpoint descriptor (USB 2.0 §9.6.6); bRefresh and bSynchAddress are the two
/// bytes audio-class endpoints add (a 9-byte descriptor), 0 otherwise.</summary>
public sealed class UsbEndpointDescriptor
{
    public const byte DescriptorType = UsbStandard.DescriptorEndpoint;

    public UsbEndpointDescriptor(byte address, byte attributes, ushort maxPacketSize, byte interval,
        byte refresh = 0, byte synchAddress = 0, ReadOnlyMemory<byte> extra = default)
    {
        Address = address;
        Attributes = attributes;
        MaxPacketSize = maxPacketSize;
        Interval = interval;
        Refresh = refresh;
        SynchAddress = synchAddress;
        Extra = extra;
    }

    /// <summary>Makes a descriptor of <paramref name="type"/> at <paramref name="address"/> (bit 7: IN).</summary>
    public static UsbEndpointDescriptor Create(byte address, UsbTransferType type, ushort maxPacketSize, byte interval = 0) =>
        new(address, (byte)type, maxPacketSize, interval);

    /// <summary>bEndpointAddress: number in bits 0..3, bit 7 set for IN.</summary>
    public byte Address { get; }

    /// <summary>bmAttributes: transfer type in bits 0..1; for isochronous, synchronisation and usage in bits 2..5.</summary>
    public byte Attributes { get; }

    /// <summary>wMaxPacketSize as on the wire: bits 0..10 the packet size, bits 11..12 extra transactions per microframe.</summary>
    public ushort MaxPacketSize { get; }

    /// <summary>bInterval: for high-speed interrupt and isochronous endpoints 2^(bInterval-1) microframes.</summary>
    public byte Interval { get; }

    public byte Refresh { get; }
    public byte SynchAddress { get; }

    /// <summary>Class-specific descriptors after this one.</summary>
    public ReadOnlyMemory<byte> Extra { get; }

    /// <summary>bLength: 7, or 9 when bRefresh or bSynchAddress is set.</summary>
    public byte Length => Refresh != 0 || SynchAddress != 0 ? (byte)9 : (byte)7;

    public bool IsIn => (Address & 0x80) != 0;
    public int Number => Address & 0x0F;
    public UsbTransferType TransferType => (UsbTransferType)(Attributes & 3);

    /// <summary>Bytes per packet (wMaxPacketSize bits 0..10).</summary>
    public int PacketSize => MaxPacketSize & 0x7FF;

    /// <summary>Transactions per service opportunity: 1 to 3 (high-bandwidth periodic endpoints).</summary>
    public int TransactionsPerInterval => ((MaxPacketSize >> 11) & 3) + 1;

    public override string ToString() => $"endpoint {Address:x2} {TransferType} {(IsIn ? "IN" : "OUT")} {PacketSize} bytes" +
        (TransferType is UsbTransferType.Interrupt or UsbTransferType.Isochronous ? $" interval {Interval}" : "");
}
