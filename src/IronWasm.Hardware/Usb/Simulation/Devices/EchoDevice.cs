namespace IronWasm.Hardware.Usb.Simulation.Devices;

/// <summary>The "ping" device of the paper's USB evaluation: whatever goes OUT on one endpoint of
/// a pair comes back IN on the other, packet for packet, for bulk, interrupt and isochronous
/// endpoints, plus a vendor control request that echoes its data stage. Interface 0 holds the
/// bulk and interrupt pairs; interface 1 holds the isochronous pair in alternate setting 1 (alt
/// 0 has no endpoints, as USB 2.0 §5.6.3 asks of isochronous interfaces).</summary>
public sealed class EchoDevice : SimulatedUsbDevice
{
    public const ushort VendorId = 0x1209;
    public const ushort ProductId = 0x0001;

    public const byte BulkOut = 0x01;
    public const byte BulkIn = 0x81;
    public const byte InterruptOut = 0x02;
    public const byte InterruptIn = 0x82;
    public const byte IsochronousOut = 0x03;
    public const byte IsochronousIn = 0x83;

    public const byte DataInterface = 0;
    public const byte IsochronousInterface = 1;

    /// <summary>Vendor request (bmRequestType 0x40 to store, 0xC0 to read back) echoing up to <see cref="ControlEchoCapacity"/> bytes.</summary>
    public const byte EchoRequest = 0x01;
    public const int ControlEchoCapacity = 4096;

    private readonly PacketQueue _bulk = new(64 * 1024, 256);
    private readonly PacketQueue _interrupt = new(4 * 1024, 64);
    private readonly PacketQueue _isochronous = new(32 * 1024, 32);
    private readonly byte[] _control = new byte[ControlEchoCapacity];
    private readonly string _serialNumber;
    private int _controlLength;

    /// <param name="name">Name in tests and simulation files.</param>
    /// <param name="serialNumber">iSerialNumber's string.</param>
    /// <param name="interruptInterval">bInterval of the interrupt pair: 4 is 2^3 microframes, 1 ms.</param>
    /// <param name="isochronousInterval">bInterval of the isochronous pair: 4 is 1 ms.</param>
    public EchoDevice(string name = "echo", string serialNumber = "ECHO0001", byte interruptInterval = 4, byte isochronousInterval = 4)
        : base(name)
    {
        if (interruptInterval is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(interruptInterval), interruptInterval, "a high-speed bInterval is 1 to 16");
        if (isochronousInterval is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(isochronousInterval), isochronousInterval, "a high-speed bInterval is 1 to 16");
        _serialNumber = serialNumber;
        DeviceDescriptor = new UsbDeviceDescriptor(0x0200, 0, 0, 0, 64, VendorId, ProductId, 0x0100, 1, 2, 3, 1);
        Configurations =
        [
            new UsbConfigurationDescriptor(1, 0x80, 50,
            [
                new UsbInterfaceDescriptor(DataInterface, 0, 0xFF, 0, 0,
                [
                    UsbEndpointDescriptor.Create(BulkOut, UsbTransferType.Bulk, 512),
                    UsbEndpointDescriptor.Create(BulkIn, UsbTransferType.Bulk, 512),
                    UsbEndpointDescriptor.Create(InterruptOut, UsbTransferType.Interrupt, 64, interruptInterval),
                    UsbEndpointDescriptor.Create(InterruptIn, UsbTransferType.Interrupt, 64, interruptInterval),
                ], interfaceIndex: 4),
                new UsbInterfaceDescriptor(IsochronousInterface, 0, 0xFF, 0, 0, []),
                new UsbInterfaceDescriptor(IsochronousInterface, 1, 0xFF, 0, 0,
                [
                    UsbEndpointDescriptor.Create(IsochronousOut, UsbTransferType.Isochronous, 1024, isochronousInterval),
                    UsbEndpointDescriptor.Create(IsochronousIn, UsbTransferType.Isochronous, 1024, isochronousInterval),
                ], interfaceIndex: 5),
            ]),
        ];
    }

    public override UsbDeviceDescriptor DeviceDescriptor { get; }

    public override IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; }

    /// <summary>Isochronous packets lost because the echo buffer was full (isochronous OUT has no flow control).</summary>
    public long DroppedIsochronousPackets { get; private set; }

    public override string? GetString(byte index) => index switch
    {
        1 => "IronWasm",
        2 => "Echo (ping) device",
        3 => _serialNumber,
        4 => "bulk and interrupt echo",
        5 => "isochronous echo",
        _ => null,
    };

    protected internal override void OnReset() => ClearAll();

    protected internal override void OnConfigurationChanged(byte configurationValue) => ClearAll();

    protected internal override void OnAlternateSettingChanged(byte interfaceNumber, byte alternateSetting)
    {
        if (interfaceNumber == IsochronousInterface) _isochronous.Clear();
    }

    protected internal override UsbPacketResult OnOutPacket(byte endpoint, ReadOnlySpan<byte> packet)
    {
        switch (endpoint)
        {
            case BulkOut:
                return Store(_bulk, packet, BulkIn);
            case InterruptOut:
                return Store(_interrupt, packet, InterruptIn);
            case IsochronousOut:
                if (!_isochronous.TryEnqueue(packet)) DroppedIsochronousPackets++;
                return UsbPacketResult.Ack;
            default:
                return UsbPacketResult.Stall;
        }
    }

    protected internal override UsbPacketResult OnInPacket(byte endpoint, Span<byte> packet, out int length)
    {
        length = 0;
        switch (endpoint)
        {
            case BulkIn:
                return Take(_bulk, packet, out length, BulkOut);
            case InterruptIn:
                return Take(_interrupt, packet, out length, InterruptOut);
            case IsochronousIn:
                return _isochronous.TryDequeue(packet, out length) ? UsbPacketResult.Ack : UsbPacketResult.Nak;
            default:
                return UsbPacketResult.Stall;
        }
    }

    protected internal override UsbPacketResult OnControl(in UsbSetupPacket setup, Span<byte> data, out int length)
    {
        length = 0;
        if (setup.Kind != UsbRequestKind.Vendor || setup.Request != EchoRequest) return UsbPacketResult.Stall;
        if (setup.IsDeviceToHost)
        {
            length = Math.Min(_controlLength, data.Length);
            _control.AsSpan(0, length).CopyTo(data);
            return UsbPacketResult.Ack;
        }
        if (data.Length > _control.Length) return UsbPacketResult.Stall;
        data.CopyTo(_control);
        _controlLength = data.Length;
        return UsbPacketResult.Ack;
    }

    private UsbPacketResult Store(PacketQueue queue, ReadOnlySpan<byte> packet, byte partner)
    {
        // Full: NAK, and the host resends once the IN side has drained a packet.
        if (!queue.TryEnqueue(packet)) return UsbPacketResult.Nak;
        NotifyEndpointReady(partner);
        return UsbPacketResult.Ack;
    }

    private UsbPacketResult Take(PacketQueue queue, Span<byte> packet, out int length, byte partner)
    {
        if (!queue.TryDequeue(packet, out length)) return UsbPacketResult.Nak;
        NotifyEndpointReady(partner);
        return UsbPacketResult.Ack;
    }

    private void ClearAll()
    {
        _bulk.Clear();
        _interrupt.Clear();
        _isochronous.Clear();
        _controlLength = 0;
    }
}
