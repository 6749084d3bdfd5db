namespace IronWasm.Hardware.Usb;

/// <summary>A USB context (libusb_context): the devices of one backend, libusb on Linux or a
/// simulated bus. Thread-safe. No policy here: the host filters what a guest sees and may open.</summary>
public interface IUsbBackend : IDisposable
{
    /// <summary>The backend's name on the command line and in `ironwasm devices`, e.g. "libusb" or "sim-usb".</summary>
    string Name { get; }

    /// <summary>One line for `ironwasm devices`.</summary>
    string Description { get; }

    /// <summary>Adds the devices connected now to <paramref name="into"/> (which it does not clear).
    /// A device is the same object in every listing for as long as it stays connected; after it
    /// is unplugged and plugged again it is a new object.</summary>
    UsbError GetDevices(List<IUsbDevice> into);

    /// <summary>Whether arrivals and departures are reported (libusb: LIBUSB_CAP_HAS_HOTPLUG).</summary>
    bool SupportsHotplug { get; }

    /// <summary>Calls <paramref name="handler"/> for every arrival and departure from now until
    /// the returned subscription is disposed; with <paramref name="enumerateExisting"/>, first
    /// with an arrival for each device connected now. Handlers run one at a time, outside the
    /// backend's locks (on the thread that plugged the device, or the backend's event thread), and
    /// must return quickly; an exception from one is swallowed.</summary>
    /// <exception cref="NotSupportedException">Without <see cref="SupportsHotplug"/>.</exception>
    IDisposable SubscribeHotplug(Action<UsbHotplugEvent> handler, bool enumerateExisting = false);
}

/// <summary>A device found on a bus (libusb_device): what can be known without opening it.</summary>
public interface IUsbDevice
{
    UsbDeviceLocation Location { get; }

    UsbDeviceDescriptor Descriptor { get; }

    /// <summary>All configurations, by index (the order of GET_DESCRIPTOR(CONFIGURATION, index)).</summary>
    IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; }

    /// <summary>The strings the descriptor points at, as read at enumeration (null where there is
    /// none); policy rules on serial numbers need them before a device is opened.</summary>
    string? Manufacturer { get; }
    string? Product { get; }
    string? SerialNumber { get; }

    /// <summary>False once the device has left the bus; every operation then gives <see cref="UsbError.NoDevice"/>.</summary>
    bool IsConnected { get; }

    /// <summary>The configuration in use: <see cref="UsbError.NotFound"/> when the device is unconfigured.</summary>
    UsbError GetActiveConfiguration(out UsbConfigurationDescriptor? configuration);

    /// <summary>Opens the device for I/O. A device is open through one handle at a time in this
    /// process: a second open fails with <see cref="UsbError.Access"/> until the first handle is
    /// disposed. <see cref="UsbError.NoDevice"/> when it has left.</summary>
    UsbError Open(out UsbDeviceHandle? handle);
}

public enum UsbHotplugEventKind : byte
{
    /// <summary>LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.</summary>
    Arrived = 1,
    /// <summary>LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.</summary>
    Left = 2,
}

public readonly record struct UsbHotplugEvent(UsbHotplugEventKind Kind, IUsbDevice Device);
