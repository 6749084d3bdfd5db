using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.Policy;

/// <summary>What the USB rules of a policy look at: a device's identity as known before it is
/// opened (the descriptors and the serial number read at enumeration).</summary>
public sealed class UsbDeviceIdentity
{
    private readonly (byte Interface, byte Class)[] _interfaceClasses;

    /// <param name="vendorId">idVendor.</param>
    /// <param name="productId">idProduct.</param>
    /// <param name="serialNumber">The serial number string, null when the device has none.</param>
    /// <param name="deviceClass">bDeviceClass.</param>
    /// <param name="interfaceClasses">Every interface number with its class, over all configurations
    /// and alternate settings (an interface may appear several times with different classes).</param>
    public UsbDeviceIdentity(ushort vendorId, ushort productId, string? serialNumber, byte deviceClass, IEnumerable<(byte Interface, byte Class)> interfaceClasses)
    {
        ArgumentNullException.ThrowIfNull(interfaceClasses);
        VendorId = vendorId;
        ProductId = productId;
        SerialNumber = serialNumber;
        DeviceClass = deviceClass;
        _interfaceClasses = interfaceClasses.Distinct().ToArray();
        Name = serialNumber is null ? $"{vendorId:x4}:{productId:x4}" : $"{vendorId:x4}:{productId:x4}/{serialNumber}";
    }

    /// <summary>The identity of a device found on a backend.</summary>
    public static UsbDeviceIdentity Of(IUsbDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var d = device.Descriptor;
        var classes = new List<(byte, byte)>();
        foreach (var configuration in device.Configurations)
            foreach (var i in configuration.Interfaces) classes.Add((i.InterfaceNumber, i.InterfaceClass));
        return new UsbDeviceIdentity(d.VendorId, d.ProductId, device.SerialNumber, d.DeviceClass, classes);
    }

    public ushort VendorId { get; }
    public ushort ProductId { get; }
    public string? SerialNumber { get; }

    /// <summary>bDeviceClass (0: each interface says its own class).</summary>
    public byte DeviceClass { get; }

    public IReadOnlyList<(byte Interface, byte Class)> InterfaceClasses => _interfaceClasses;

    /// <summary>How audit records name the device: <c>vvvv:pppp</c> or <c>vvvv:pppp/serial</c>.</summary>
    public string Name { get; }

    public override string ToString() => Name;
}

/// <summary>A set of interface numbers (0 to 255) as four words: a check is a shift and a mask.</summary>
internal readonly record struct UsbInterfaceSet(ulong W0, ulong W1, ulong W2, ulong W3)
{
    public static UsbInterfaceSet None => default;
    public static UsbInterfaceSet All => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    public bool IsEmpty => (W0 | W1 | W2 | W3) == 0;

    public bool Contains(byte number) => (Word(number >> 6) >> (number & 63) & 1) != 0;

    public UsbInterfaceSet With(byte number)
    {
        ulong bit = 1UL << (number & 63);
        return (number >> 6) switch
        {
            0 => this with { W0 = W0 | bit },
            1 => this with { W1 = W1 | bit },
            2 => this with { W2 = W2 | bit },
            _ => this with { W3 = W3 | bit },
        };
    }

    public UsbInterfaceSet Union(UsbInterfaceSet other) => new(W0 | other.W0, W1 | other.W1, W2 | other.W2, W3 | other.W3);

    public UsbInterfaceSet Intersect(UsbInterfaceSet other) => new(W0 & other.W0, W1 & other.W1, W2 & other.W2, W3 & other.W3);

    /// <summary>True when every member of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(UsbInterfaceSet other) => Intersect(other) == this;

    private ulong Word(int index) => index switch { 0 => W0, 1 => W1, 2 => W2, _ => W3 };
}

/// <summary>One <c>usb:</c> grant: the devices it matches (every given field must match) and the
/// interfaces it lets a guest claim on them.</summary>
internal sealed class UsbGrant
{
    public ushort? Vendor { get; init; }
    public ushort? Product { get; init; }
    public string? Serial { get; init; }

    /// <summary>Matches the device class, or else the interfaces of that class.</summary>
    public byte? Class { get; init; }

    /// <summary>The interfaces it grants; null for every interface.</summary>
    public UsbInterfaceSet? Interfaces { get; init; }

    /// <summary>The interfaces this grant gives on <paramref name="device"/> (empty: it does not match).</summary>
    public UsbInterfaceSet Resolve(UsbDeviceIdentity device)
    {
        if (Vendor is { } v && v != device.VendorId) return UsbInterfaceSet.None;
        if (Product is { } p && p != device.ProductId) return UsbInterfaceSet.None;
        if (Serial is not null && !string.Equals(Serial, device.SerialNumber, StringComparison.Ordinal)) return UsbInterfaceSet.None;
        var granted = Interfaces ?? UsbInterfaceSet.All;
        if (Class is not { } c || c == device.DeviceClass) return granted;
        // Composite devices (class 0 or 0xef) say their classes per interface: grant those alone.
        var ofClass = UsbInterfaceSet.None;
        foreach (var (number, interfaceClass) in device.InterfaceClasses)
            if (interfaceClass == c) ofClass = ofClass.With(number);
        return ofClass.Intersect(granted);
    }

    /// <summary>The interfaces all of <paramref name="grants"/> give on <paramref name="device"/>.</summary>
    public static UsbInterfaceSet Resolve(List<UsbGrant> grants, UsbDeviceIdentity device)
    {
        var granted = UsbInterfaceSet.None;
        foreach (var grant in grants) granted = granted.Union(grant.Resolve(device));
        return granted;
    }
}
