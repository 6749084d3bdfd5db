namespace IronWasm.Hardware.Usb.Simulation.Devices;

/// <summary>A HID gamepad (HID 1.11): 16 buttons and four 8-bit axes in a 6-byte input report
/// on interrupt IN endpoint 0x81, four indicator LEDs in a 1-byte output report set with
/// SET_REPORT. It reports on change (and at first, so a reader learns the initial state), and
/// again every idle period if SET_IDLE gave one (the default, 0, never repeats, as HID §7.2.4
/// recommends for joysticks). Input comes from <see cref="Press"/>, <see cref="Release"/>,
/// <see cref="SetAxis"/> or a timed script (<see cref="Play"/>).</summary>
public sealed class GamepadDevice : SimulatedUsbDevice
{
    public const ushort VendorId = 0x1209;
    public const ushort ProductId = 0x0003;

    public const byte InterruptIn = 0x81;
    public const byte Interface = 0;
    public const int ReportLength = 6;

    /// <summary>HID class requests (HID 1.11 §7.2).</summary>
    public const byte GetReport = 0x01, GetIdle = 0x02, GetProtocol = 0x03, SetReport = 0x09, SetIdle = 0x0A, SetProtocol = 0x0B;

    /// <summary>HID class descriptor types.</summary>
    public const byte HidDescriptorType = 0x21, ReportDescriptorType = 0x22;

    public const byte InputReport = 1, OutputReport = 2, FeatureReport = 3;

    private static readonly byte[] ReportDescriptorBytes =
    [
        0x05, 0x01,       // Usage Page (Generic Desktop)
        0x09, 0x05,       // Usage (Game Pad)
        0xA1, 0x01,       // Collection (Application)
        0x05, 0x09,       //   Usage Page (Button)
        0x19, 0x01,       //   Usage Minimum (1)
        0x29, 0x10,       //   Usage Maximum (16)
        0x15, 0x00,       //   Logical Minimum (0)
        0x25, 0x01,       //   Logical Maximum (1)
        0x75, 0x01,       //   Report Size (1)
        0x95, 0x10,       //   Report Count (16)
        0x81, 0x02,       //   Input (Data, Variable, Absolute)
        0x05, 0x01,       //   Usage Page (Generic Desktop)
        0x09, 0x30,       //   Usage (X)
        0x09, 0x31,       //   Usage (Y)
        0x09, 0x33,       //   Usage (Rx)
        0x09, 0x34,       //   Usage (Ry)
        0x15, 0x81,       //   Logical Minimum (-127)
        0x25, 0x7F,       //   Logical Maximum (127)
        0x75, 0x08,       //   Report Size (8)
        0x95, 0x04,       //   Report Count (4)
        0x81, 0x02,       //   Input (Data, Variable, Absolute)
        0x05, 0x08,       //   Usage Page (LEDs)
        0x09, 0x4B,       //   Usage (Generic Indicator)
        0x15, 0x00,       //   Logical Minimum (0)
        0x25, 0x01,       //   Logical Maximum (1)
        0x75, 0x01,       //   Report Size (1)
        0x95, 0x04,       //   Report Count (4)
        0x91, 0x02,       //   Output (Data, Variable, Absolute)
        0x75, 0x04,       //   Report Size (4)
        0x95, 0x01,       //   Report Count (1)
        0x91, 0x03,       //   Output (Constant, Variable, Absolute): padding
        0xC0,             // End Collection
    ];

    private readonly string _serialNumber;
    private readonly byte[] _hidDescriptor;
    private readonly sbyte[] _axes = new sbyte[4];
    private readonly byte[] _lastSent = new byte[ReportLength];
    private ushort _buttons;
    private byte _leds;
    private byte _idle;
    private bool _sentSinceReset;
    private TimeSpan _lastSentAt;

    /// <param name="name">Name in tests and simulation files.</param>
    /// <param name="serialNumber">iSerialNumber's string.</param>
    /// <param name="interval">bInterval of the interrupt endpoint: 4 is 2^3 microframes, 1 ms.</param>
    public GamepadDevice(string name = "gamepad", string serialNumber = "PAD0001", byte interval = 4) : base(name)
    {
        if (interval is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(interval), interval, "a high-speed bInterval is 1 to 16");
        _serialNumber = serialNumber;
        _hidDescriptor =
        [
            9, HidDescriptorType, 0x11, 0x01, 0x00, 1, ReportDescriptorType,
            (byte)ReportDescriptorBytes.Length, (byte)(ReportDescriptorBytes.Length >> 8),
        ];
        DeviceDescriptor = new UsbDeviceDescriptor(0x0200, 0, 0, 0, 64, VendorId, ProductId, 0x0100, 1, 2, 3, 1);
        Configurations =
        [
            new UsbConfigurationDescriptor(1, 0x80, 50,
            [
                new UsbInterfaceDescriptor(Interface, 0, 0x03, 0x00, 0x00,
                    [UsbEndpointDescriptor.Create(InterruptIn, UsbTransferType.Interrupt, 8, interval)],
                    extra: _hidDescriptor),
            ]),
        ];
    }

    /// <summary>The HID report descriptor (what GET_DESCRIPTOR(REPORT) returns).</summary>
    public static ReadOnlySpan<byte> ReportDescriptor => ReportDescriptorBytes;

    public override UsbDeviceDescriptor DeviceDescriptor { get; }

    public override IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; }

    /// <summary>Pressed buttons, bit <see cref="GamepadButton"/> set for each.</summary>
    public ushort Buttons
    {
        get
        {
            using (LockBus()) return _buttons;
        }
    }

    /// <summary>The indicator LEDs the host set (bits 0..3).</summary>
    public byte Leds
    {
        get
        {
            using (LockBus()) return _leds;
        }
    }

    /// <summary>The idle period SET_IDLE chose (zero: report only on change).</summary>
    public TimeSpan IdleRate
    {
        get
        {
            using (LockBus()) return TimeSpan.FromMilliseconds(4 * _idle);
        }
    }

    public override string? GetString(byte index) => index switch
    {
        1 => "IronWasm",
        2 => "Simulated Gamepad",
        3 => _serialNumber,
        _ => null,
    };

    // usbhid binds to the interface at enumeration.
    public override bool HasKernelDriver(byte interfaceNumber) => interfaceNumber == Interface;

    public void Press(GamepadButton button) => Apply(new GamepadInput(TimeSpan.Zero, GamepadInputKind.Press, button));

    public void Release(GamepadButton button) => Apply(new GamepadInput(TimeSpan.Zero, GamepadInputKind.Release, button));

    /// <summary>Moves an axis to <paramref name="value"/> (-127 to 127; 0 is centred).</summary>
    public void SetAxis(GamepadAxis axis, sbyte value) => Apply(GamepadInput.Move(axis, value, TimeSpan.Zero));

    public sbyte GetAxis(GamepadAxis axis)
    {
        using (LockBus()) return _axes[(int)axis];
    }

    /// <summary>Plays <paramref name="script"/> on the bus clock, each step at its time from now.</summary>
    /// <exception cref="InvalidOperationException">The gamepad is not plugged in.</exception>
    public void Play(IEnumerable<GamepadInput> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        foreach (var step in script)
        {
            var s = step;
            Schedule(step.At, () => ApplyLocked(s));
        }
    }

    /// <summary>The input report as it stands: buttons (little-endian), then X, Y, Rx, Ry.</summary>
    public byte[] CurrentReport()
    {
        var report = new byte[ReportLength];
        using (LockBus()) WriteReport(report);
        return report;
    }

    protected internal override void OnReset()
    {
        _idle = 0;
        _leds = 0;
        _sentSinceReset = false;
    }

    protected internal override void OnConfigurationChanged(byte configurationValue) => _sentSinceReset = false;

    protected internal override UsbPacketResult OnInPacket(byte endpoint, Span<byte> packet, out int length)
    {
        length = 0;
        if (endpoint != InterruptIn) return UsbPacketResult.Stall;
        Span<byte> report = stackalloc byte[ReportLength];
        WriteReport(report);
        var now = BusTime;
        var idle = TimeSpan.FromMilliseconds(4 * _idle);
        bool changed = !_sentSinceReset || !report.SequenceEqual(_lastSent);
        bool idleDue = _idle != 0 && now - _lastSentAt >= idle;
        if (!changed && !idleDue)
        {
            if (_idle != 0) NotifyEndpointReady(InterruptIn, _lastSentAt + idle - now);
            return UsbPacketResult.Nak;
        }
        report.CopyTo(packet);
        report.CopyTo(_lastSent);
        _lastSentAt = now;
        _sentSinceReset = true;
        length = ReportLength;
        return UsbPacketResult.Ack;
    }

    protected internal override UsbPacketResult OnControl(in UsbSetupPacket setup, Span<byte> data, out int length)
    {
        length = 0;
        if (setup.Recipient != UsbRequestRecipient.Interface || setup.Index != Interface) return UsbPacketResult.Stall;
        if (setup.Kind == UsbRequestKind.Standard)
        {
            if (setup.Request != UsbStandard.GetDescriptor || !setup.IsDeviceToHost) return UsbPacketResult.Stall;
            ReadOnlySpan<byte> descriptor = (setup.Value >> 8) switch
            {
                HidDescriptorType => _hidDescriptor,
                ReportDescriptorType => ReportDescriptorBytes,
                _ => default,
            };
            if (descriptor.IsEmpty) return UsbPacketResult.Stall;
            length = Math.Min(descriptor.Length, data.Length);
            descriptor[..length].CopyTo(data);
            return UsbPacketResult.Ack;
        }
        if (setup.Kind != UsbRequestKind.Class) return UsbPacketResult.Stall;
        byte reportType = (byte)(setup.Value >> 8), reportId = (byte)setup.Value;
        switch (setup.Request)
        {
            case GetReport when setup.IsDeviceToHost && reportId == 0 && reportType == InputReport:
                Span<byte> report = stackalloc byte[ReportLength];
                WriteReport(report);
                length = Math.Min(ReportLength, data.Length);
                report[..length].CopyTo(data);
                return UsbPacketResult.Ack;
            case GetReport when setup.IsDeviceToHost && reportId == 0 && reportType == OutputReport && data.Length >= 1:
                data[0] = _leds;
                length = 1;
                return UsbPacketResult.Ack;
            case SetReport when !setup.IsDeviceToHost && reportId == 0 && reportType == OutputReport && data.Length >= 1:
                _leds = (byte)(data[0] & 0x0F);
                return UsbPacketResult.Ack;
            case GetIdle when setup.IsDeviceToHost && reportId == 0 && data.Length >= 1:
                data[0] = _idle;
                length = 1;
                return UsbPacketResult.Ack;
            case SetIdle when !setup.IsDeviceToHost && reportId == 0:
                _idle = reportType;
                // A reader waiting on an unchanged report may now be due one.
                NotifyEndpointReady(InterruptIn);
                return UsbPacketResult.Ack;
            default:
                // GET/SET_PROTOCOL are for boot devices only; feature reports there are none.
                return UsbPacketResult.Stall;
        }
    }

    private void Apply(GamepadInput input)
    {
        using (LockBus()) ApplyLocked(input);
    }

    private void ApplyLocked(GamepadInput input)
    {
        switch (input.Kind)
        {
            case GamepadInputKind.Press:
                _buttons |= (ushort)(1 << (int)input.Button);
                break;
            case GamepadInputKind.Release:
                _buttons &= (ushort)~(1 << (int)input.Button);
                break;
            default:
                _axes[(int)input.Axis] = input.Value;
                break;
        }
        NotifyEndpointReady(InterruptIn);
    }

    private void WriteReport(Span<byte> report)
    {
        report[0] = (byte)_buttons;
        report[1] = (byte)(_buttons >> 8);
        for (int i = 0; i < 4; i++) report[2 + i] = (byte)_axes[i];
    }
}
