using System.Text;
using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.Linux.Usb;

/// <summary>One libusb_device, wrapped once for as long as it stays connected. It holds a
/// reference on the libusb_device (dropped when the device leaves or the backend is disposed),
/// so the pointer cannot be freed and reused for another device while this object knows it.</summary>
internal sealed unsafe class LibusbDevice : IUsbDevice
{
    private readonly LibusbBackend _backend;
    private int _connected = 1;

    private LibusbDevice(LibusbBackend backend, nint device, UsbDeviceLocation location, UsbDeviceDescriptor descriptor,
        IReadOnlyList<UsbConfigurationDescriptor> configurations, string sysfsName, string? manufacturer, string? product, string? serial)
    {
        _backend = backend;
        Native = device;
        Location = location;
        Descriptor = descriptor;
        Configurations = configurations;
        SysfsName = sysfsName;
        Manufacturer = manufacturer;
        Product = product;
        SerialNumber = serial;
    }

    /// <summary>The libusb_device*, referenced by this object.</summary>
    public nint Native { get; }

    /// <summary>The kernel's name for it under /sys/bus/usb/devices: "1-1.2", or "usb1" for a root hub.</summary>
    public string SysfsName { get; }

    public UsbDeviceLocation Location { get; }

    public UsbDeviceDescriptor Descriptor { get; }

    public IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; }

    public string? Manufacturer { get; }

    public string? Product { get; }

    public string? SerialNumber { get; }

    public bool IsConnected => Volatile.Read(ref _connected) != 0;

    /// <summary>Marks it gone; true the first time.</summary>
    internal bool MarkDisconnected() => Interlocked.Exchange(ref _connected, 0) != 0;

    /// <summary>Wraps <paramref name="device"/>, taking a reference on it; null when libusb cannot
    /// describe it (it left meanwhile).</summary>
    public static LibusbDevice? Create(LibusbBackend backend, nint device)
    {
        var lib = backend.Library;
        LibusbDeviceDescriptor d;
        if (lib.get_device_descriptor(device, &d) < 0) return null;
        var descriptor = new UsbDeviceDescriptor(d.bcdUSB, d.bDeviceClass, d.bDeviceSubClass, d.bDeviceProtocol, d.bMaxPacketSize0,
            d.idVendor, d.idProduct, d.bcdDevice, d.iManufacturer, d.iProduct, d.iSerialNumber, d.bNumConfigurations);
        var configurations = new List<UsbConfigurationDescriptor>(d.bNumConfigurations);
        for (int i = 0; i < d.bNumConfigurations; i++)
        {
            LibusbConfigDescriptor* config;
            if (lib.get_config_descriptor(device, (byte)i, &config) < 0) continue;
            try
            {
                configurations.Add(Convert(config));
            }
            finally
            {
                lib.free_config_descriptor(config);
            }
        }
        byte bus = lib.get_bus_number(device);
        int speed = lib.get_device_speed(device);
        var location = new UsbDeviceLocation(bus, lib.get_device_address(device), lib.get_port_number(device),
            speed is >= 0 and <= (int)UsbSpeed.SuperPlusX2 ? (UsbSpeed)speed : UsbSpeed.Unknown);
        byte* ports = stackalloc byte[8];
        int depth = lib.get_port_numbers(device, ports, 8);
        string name = SysfsNameOf(bus, new ReadOnlySpan<byte>(ports, Math.Max(depth, 0)));
        string directory = Path.Combine(backend.SysfsRoot, "bus", "usb", "devices", name);
        // Policy rules by serial number are decided before a device is opened; libusb reads
        // strings only through an open handle, the kernel has them in sysfs from enumeration.
        var wrapped = new LibusbDevice(backend, lib.ref_device(device), location, descriptor, configurations, name,
            d.iManufacturer == 0 ? null : ReadSysfsString(directory, "manufacturer"),
            d.iProduct == 0 ? null : ReadSysfsString(directory, "product"),
            d.iSerialNumber == 0 ? null : ReadSysfsString(directory, "serial"));
        return wrapped;
    }

    /// <summary>The kernel's device name: "usbB" for a root hub, "B-P1.P2..." below it.</summary>
    internal static string SysfsNameOf(byte bus, ReadOnlySpan<byte> portPath)
    {
        if (portPath.IsEmpty) return $"usb{bus}";
        var name = new StringBuilder().Append(bus).Append('-');
        for (int i = 0; i < portPath.Length; i++)
        {
            if (i > 0) name.Append('.');
            name.Append(portPath[i]);
        }
        return name.ToString();
    }

    internal static string? ReadSysfsString(string directory, string file)
    {
        try
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path)) return null;
            // sysfs ends the string with a newline; the string itself may have spaces at its ends.
            var text = File.ReadAllText(path);
            return text.EndsWith('\n') ? text[..^1] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>libusb's parsed configuration as ours; class-specific descriptors kept as extra bytes.</summary>
    internal static UsbConfigurationDescriptor Convert(LibusbConfigDescriptor* c)
    {
        var interfaces = new List<UsbInterfaceDescriptor>();
        for (int i = 0; i < c->bNumInterfaces; i++)
        {
            var iface = &c->@interface[i];
            for (int a = 0; a < iface->num_altsetting; a++)
            {
                var alt = &iface->altsetting[a];
                var endpoints = new UsbEndpointDescriptor[alt->bNumEndpoints];
                for (int e = 0; e < alt->bNumEndpoints; e++)
                {
                    var ep = &alt->endpoint[e];
                    endpoints[e] = new UsbEndpointDescriptor(ep->bEndpointAddress, ep->bmAttributes, ep->wMaxPacketSize, ep->bInterval,
                        ep->bLength >= 9 ? ep->bRefresh : (byte)0, ep->bLength >= 9 ? ep->bSynchAddress : (byte)0, Extra(ep->extra, ep->extra_length));
                }
                interfaces.Add(new UsbInterfaceDescriptor(alt->bInterfaceNumber, alt->bAlternateSetting, alt->bInterfaceClass,
                    alt->bInterfaceSubClass, alt->bInterfaceProtocol, endpoints, alt->iInterface, Extra(alt->extra, alt->extra_length)));
            }
        }
        return new UsbConfigurationDescriptor(c->bConfigurationValue, c->bmAttributes, c->MaxPower, interfaces, c->iConfiguration,
            Extra(c->extra, c->extra_length));
    }

    private static ReadOnlyMemory<byte> Extra(byte* extra, int length) =>
        extra == null || length <= 0 ? ReadOnlyMemory<byte>.Empty : new ReadOnlySpan<byte>(extra, length).ToArray();

    public UsbError GetActiveConfiguration(out UsbConfigurationDescriptor? configuration)
    {
        configuration = null;
        if (!IsConnected) return UsbError.NoDevice;
        LibusbConfigDescriptor* active;
        int r = _backend.Library.get_active_config_descriptor(Native, &active);
        if (r < 0) return LibusbLibrary.ToError(r);
        byte value = active->bConfigurationValue;
        try
        {
            foreach (var c in Configurations)
            {
                if (c.ConfigurationValue != value) continue;
                configuration = c;
                return UsbError.Success;
            }
            configuration = Convert(active);
            return UsbError.Success;
        }
        finally
        {
            _backend.Library.free_config_descriptor(active);
        }
    }

    public UsbError Open(out UsbDeviceHandle? handle) => _backend.Open(this, out handle);

    public override string ToString() => $"{Descriptor} at {Location} ({SysfsName})";
}
