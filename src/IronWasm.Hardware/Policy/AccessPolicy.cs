using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Policy;

/// <summary>A parsed, immutable access policy: which guest may use which bus address, SPI device
/// pin and USB device, and how. Anything it does not grant is denied. Checks allocate nothing and may run on
/// any number of threads. To change the policy of running guests, hand a new one to
/// <see cref="PolicyEngine.Replace"/>.</summary>
public sealed class AccessPolicy
{
    private readonly Dictionary<string, GuestGrants> _guests;
    private readonly GuestGrants? _defaults;

    internal AccessPolicy(string source, Dictionary<string, GuestGrants> guests, GuestGrants? defaults)
    {
        Source = source;
        _guests = guests;
        _defaults = defaults;
        Guests = guests.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>A policy that grants nothing to anyone.</summary>
    public static AccessPolicy DenyAll { get; } = new("deny-all", new Dictionary<string, GuestGrants>(StringComparer.Ordinal), null);

    /// <summary>Where the policy came from (a file path, or the name given to <see cref="Parse"/>).</summary>
    public string Source { get; }

    /// <summary>The guests the policy names, in ordinal order.</summary>
    public IReadOnlyList<string> Guests { get; }

    /// <summary>True when the policy has a <c>default</c> section, whose grants every guest gets.</summary>
    public bool HasDefaultGrants => _defaults is not null;

    /// <summary>Parses the YAML text of a policy (format: Policy/README.md).</summary>
    /// <exception cref="PolicyFormatException">The text is not a valid policy; the message says where and why.</exception>
    public static AccessPolicy Parse(string yaml, string sourceName = "policy") => PolicyParser.Parse(yaml, sourceName);

    /// <summary>Reads and parses a policy file.</summary>
    /// <exception cref="PolicyFormatException">The file is not a valid policy.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static AccessPolicy Load(string path) => PolicyParser.Parse(File.ReadAllText(path), path);

    /// <summary>May <paramref name="guest"/> use <paramref name="address"/> on <paramref name="bus"/> with <paramref name="access"/>?
    /// <see cref="I2cAccess.None"/> asks whether the address is granted at all.</summary>
    public PolicyVerdict CheckI2c(string guest, string bus, ushort address, I2cAccess access)
    {
        var grants = Find(guest);
        if (grants is null) return PolicyVerdict.UnknownGuest;
        return grants.I2c.TryGetValue(bus, out var busGrant) ? busGrant.Check(address, access) : PolicyVerdict.ResourceNotGranted;
    }

    /// <summary>May <paramref name="guest"/> open the SPI device named <paramref name="device"/>?</summary>
    public PolicyVerdict CheckSpi(string guest, string device)
    {
        var grants = Find(guest);
        if (grants is null) return PolicyVerdict.UnknownGuest;
        return grants.Spi.Contains(device) ? PolicyVerdict.Granted : PolicyVerdict.ResourceNotGranted;
    }

    /// <summary>May <paramref name="guest"/> use the digital pin <paramref name="pin"/> in
    /// <paramref name="direction"/> with <paramref name="pull"/>?</summary>
    public PolicyVerdict CheckGpio(string guest, string pin, GpioDirection direction, GpioPull pull)
    {
        var grants = Find(guest);
        if (grants is null) return PolicyVerdict.UnknownGuest;
        return grants.Gpio.TryGetValue(pin, out var pinGrant) ? pinGrant.CheckDigital(direction, pull) : PolicyVerdict.ResourceNotGranted;
    }

    /// <summary>May <paramref name="guest"/> use <paramref name="pin"/> as an analog input
    /// (<see cref="GpioDirection.Input"/>, an ADC) or output (a DAC or PWM)?</summary>
    public PolicyVerdict CheckAnalog(string guest, string pin, GpioDirection direction)
    {
        var grants = Find(guest);
        if (grants is null) return PolicyVerdict.UnknownGuest;
        return grants.Gpio.TryGetValue(pin, out var pinGrant) ? pinGrant.CheckAnalog(direction) : PolicyVerdict.ResourceNotGranted;
    }

    /// <summary>May <paramref name="guest"/> see and open <paramref name="device"/>? Granted when some
    /// <c>usb</c> rule matches it with at least one interface.</summary>
    public PolicyVerdict CheckUsb(string guest, UsbDeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var grants = Find(guest);
        if (grants is null) return PolicyVerdict.UnknownGuest;
        return UsbGrant.Resolve(grants.Usb, device).IsEmpty ? PolicyVerdict.ResourceNotGranted : PolicyVerdict.Granted;
    }

    /// <summary>May <paramref name="guest"/> claim interface <paramref name="interfaceNumber"/> of <paramref name="device"/>?</summary>
    public PolicyVerdict CheckUsbInterface(string guest, UsbDeviceIdentity device, byte interfaceNumber)
    {
        var verdict = ResolveUsb(guest, device, out var granted);
        if (verdict != PolicyVerdict.Granted) return verdict;
        return granted.Contains(interfaceNumber) ? PolicyVerdict.Granted : PolicyVerdict.InterfaceNotGranted;
    }

    internal PolicyVerdict ResolveUsb(string guest, UsbDeviceIdentity device, out UsbInterfaceSet granted)
    {
        ArgumentNullException.ThrowIfNull(device);
        granted = UsbInterfaceSet.None;
        var grants = Find(guest);
        if (grants is null) return PolicyVerdict.UnknownGuest;
        granted = UsbGrant.Resolve(grants.Usb, device);
        return granted.IsEmpty ? PolicyVerdict.ResourceNotGranted : PolicyVerdict.Granted;
    }

    /// <summary>The grants of <paramref name="guest"/> (its own merged with the defaults), the defaults
    /// for a guest the policy does not name, or null when there are none.</summary>
    internal GuestGrants? Find(string guest) => _guests.TryGetValue(guest, out var grants) ? grants : _defaults;
}

/// <summary>Everything one guest is granted, already merged with the policy's defaults.</summary>
internal sealed class GuestGrants
{
    public Dictionary<string, I2cBusGrant> I2c { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Spi { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, GpioPinGrant> Gpio { get; } = new(StringComparer.Ordinal);
    public List<UsbGrant> Usb { get; } = [];

    public void MergeFrom(GuestGrants other)
    {
        foreach (var (bus, grant) in other.I2c)
            GetOrAddBus(bus).MergeFrom(grant);
        Spi.UnionWith(other.Spi);
        foreach (var (pin, grant) in other.Gpio)
            GetOrAddPin(pin).MergeFrom(grant);
        Usb.AddRange(other.Usb);
    }

    public I2cBusGrant GetOrAddBus(string bus)
    {
        if (!I2c.TryGetValue(bus, out var grant)) I2c[bus] = grant = new I2cBusGrant();
        return grant;
    }

    public GpioPinGrant GetOrAddPin(string pin)
    {
        if (!Gpio.TryGetValue(pin, out var grant)) Gpio[pin] = grant = new GpioPinGrant();
        return grant;
    }
}

/// <summary>The rights on each 7-bit address of one bus: a table, so a check is one index.</summary>
internal sealed class I2cBusGrant
{
    public const int AddressCount = 128;

    private readonly I2cAccess[] _rights = new I2cAccess[AddressCount];

    public void Grant(int first, int last, I2cAccess access)
    {
        for (int address = first; address <= last; address++) _rights[address] |= access;
    }

    public void MergeFrom(I2cBusGrant other)
    {
        for (int address = 0; address < AddressCount; address++) _rights[address] |= other._rights[address];
    }

    public I2cAccess RightsOf(ushort address) => address < AddressCount ? _rights[address] : I2cAccess.None;

    /// <summary>The addresses with any right, lowest first (for set-up and messages, not calls).</summary>
    public IEnumerable<ushort> GrantedAddresses()
    {
        for (ushort address = 0; address < AddressCount; address++)
            if (_rights[address] != I2cAccess.None) yield return address;
    }

    public PolicyVerdict Check(ushort address, I2cAccess access)
    {
        var rights = RightsOf(address);
        if (rights == I2cAccess.None) return PolicyVerdict.AddressNotGranted;
        return (rights & access) == access ? PolicyVerdict.Granted : PolicyVerdict.AccessNotGranted;
    }
}

/// <summary>The directions and pulls granted on one pin, as bit sets indexed by the enums of Buses.</summary>
internal sealed class GpioPinGrant
{
    public byte Directions { get; private set; }
    public byte Pulls { get; private set; }
    public byte AnalogDirections { get; private set; }

    public void AllowDirection(GpioDirection direction) => Directions |= (byte)(1 << (int)direction);
    public void AllowPull(GpioPull pull) => Pulls |= (byte)(1 << (int)pull);
    public void AllowAnalog(GpioDirection direction) => AnalogDirections |= (byte)(1 << (int)direction);

    public void MergeFrom(GpioPinGrant other)
    {
        Directions |= other.Directions;
        Pulls |= other.Pulls;
        AnalogDirections |= other.AnalogDirections;
    }

    public PolicyVerdict CheckDigital(GpioDirection direction, GpioPull pull)
    {
        if ((Directions & (1 << (int)direction)) == 0) return PolicyVerdict.DirectionNotGranted;
        return (Pulls & (1 << (int)pull)) != 0 ? PolicyVerdict.Granted : PolicyVerdict.PullNotGranted;
    }

    public PolicyVerdict CheckAnalog(GpioDirection direction) =>
        (AnalogDirections & (1 << (int)direction)) != 0 ? PolicyVerdict.Granted : PolicyVerdict.DirectionNotGranted;
}
