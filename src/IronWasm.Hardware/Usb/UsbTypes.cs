namespace IronWasm.Hardware.Usb;

/// <summary>How a transfer ended, with libusb_transfer_status's values.</summary>
public enum UsbTransferStatus
{
    /// <summary>Completed without error; a short read is still completed (see the actual length).</summary>
    Completed = 0,
    Error = 1,
    TimedOut = 2,
    Cancelled = 3,
    /// <summary>The endpoint stalled (for bulk and interrupt endpoints: it is halted until cleared).</summary>
    Stall = 4,
    NoDevice = 5,
    /// <summary>The device sent more than was asked for.</summary>
    Overflow = 6,
}

/// <summary>Transfer types, with the values of an endpoint's bmAttributes bits 0..1 (and libusb's).</summary>
public enum UsbTransferType : byte
{
    Control = 0,
    Isochronous = 1,
    Bulk = 2,
    Interrupt = 3,
}

/// <summary>Bus speeds, with libusb_speed's values and the order of component:usb's <c>usb-speed</c>.</summary>
public enum UsbSpeed : byte
{
    Unknown = 0,
    /// <summary>1.5 Mbit/s.</summary>
    Low = 1,
    /// <summary>12 Mbit/s.</summary>
    Full = 2,
    /// <summary>480 Mbit/s.</summary>
    High = 3,
    /// <summary>5 Gbit/s.</summary>
    Super = 4,
    /// <summary>10 Gbit/s.</summary>
    SuperPlus = 5,
    /// <summary>20 Gbit/s.</summary>
    SuperPlusX2 = 6,
}

/// <summary>Where a device sits: component:usb's <c>device-location</c>.</summary>
public readonly record struct UsbDeviceLocation(byte BusNumber, byte DeviceAddress, byte PortNumber, UsbSpeed Speed)
{
    public override string ToString() => $"bus {BusNumber:D3} device {DeviceAddress:D3} (port {PortNumber}, {Speed} speed)";
}
