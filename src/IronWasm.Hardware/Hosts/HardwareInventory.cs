using System.Diagnostics.CodeAnalysis;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Gpio;
using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.Hosts;

/// <summary>One thing a deployment can reach, for <c>ironwasm devices</c>.</summary>
/// <param name="Kind">"i2c", "spi", "gpio" or "usb".</param>
/// <param name="Name">The name policies and guests use: a bus name, an SPI device name or a pin label
/// (for USB, vendor:product/serial, as audit records name the device).</param>
/// <param name="Description">One line about it.</param>
public sealed record InventoryEntry(string Kind, string Name, string Description);

/// <summary>
/// Everything a deployment can reach: I2C buses, SPI devices and GPIO lines by name, simulated and
/// real. Names are unique per kind across every source, and pin labels across every controller, so
/// a policy's name means one thing. The inventory owns what it holds: <see cref="Dispose"/> disposes
/// the simulation it was built from and every part added to it. Thread-safe.
/// </summary>
public sealed class HardwareInventory : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<II2cBus> _buses = [];
    private readonly List<ISpiDevice> _spi = [];
    private readonly List<IGpioController> _gpio = [];
    // Parts added by hand (not from the simulation), which the inventory disposes itself.
    private readonly List<IDisposable> _owned = [];
    private bool _disposed;

    /// <summary>An empty inventory, for deployments on real hardware only; see <see cref="Add(II2cBus)"/>.</summary>
    public HardwareInventory()
    {
    }

    private HardwareInventory(SimulatedHardware simulation)
    {
        Simulation = simulation;
        foreach (SimulatedI2cBus bus in simulation.I2cBuses) AddPart(_buses, bus, bus.Name, "I2C bus", owned: false);
        foreach (SimulatedSpiDevice device in simulation.SpiDevices) AddPart(_spi, device, device.Name, "SPI device", owned: false);
        AddController(simulation.Gpio, owned: false);
    }

    /// <summary>An inventory of everything in <paramref name="simulation"/>, which it then owns.</summary>
    public static HardwareInventory FromSimulation(SimulatedHardware simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var inventory = new HardwareInventory(simulation);
        if (simulation.Usb is { } usb) inventory.Add(usb);
        return inventory;
    }

    /// <summary>The simulation the inventory was built from, if it was.</summary>
    public SimulatedHardware? Simulation { get; }

    /// <summary>The USB backend guests' component:usb imports reach (null: none, and those imports
    /// answer <c>not-supported</c>). A deployment has at most one.</summary>
    public IUsbBackend? Usb { get; private set; }

    /// <summary>Sets the USB backend; the inventory owns it from now on.</summary>
    /// <exception cref="InvalidOperationException">The inventory has a USB backend already.</exception>
    public HardwareInventory Add(IUsbBackend usb)
    {
        ArgumentNullException.ThrowIfNull(usb);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Usb is not null) throw new InvalidOperationException($"the inventory has a USB backend already ({Usb.Name})");
            Usb = usb;
            _owned.Add(usb);
        }
        return this;
    }

    /// <summary>Adds a bus; the inventory owns it from now on.</summary>
    /// <exception cref="ArgumentException">Another I2C bus has the same name.</exception>
    public HardwareInventory Add(II2cBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        AddPart(_buses, bus, bus.Name, "I2C bus", owned: true);
        return this;
    }

    /// <summary>Adds an SPI device; the inventory owns it from now on.</summary>
    /// <exception cref="ArgumentException">Another SPI device has the same name.</exception>
    public HardwareInventory Add(ISpiDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        AddPart(_spi, device, device.Name, "SPI device", owned: true);
        return this;
    }

    /// <summary>Adds a GPIO controller; the inventory owns it from now on.</summary>
    /// <exception cref="ArgumentException">Another controller has the same name, or one of its line labels is taken.</exception>
    public HardwareInventory Add(IGpioController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        AddController(controller, owned: true);
        return this;
    }

    public bool TryGetI2cBus(string name, [NotNullWhen(true)] out II2cBus? bus)
    {
        lock (_lock) bus = _buses.Find(b => b.Name == name);
        return bus is not null;
    }

    public bool TryGetSpiDevice(string name, [NotNullWhen(true)] out ISpiDevice? device)
    {
        lock (_lock) device = _spi.Find(d => d.Name == name);
        return device is not null;
    }

    /// <summary>Finds the controller that has a line (digital or analog) labelled <paramref name="label"/>.</summary>
    public bool TryGetGpioLine(string label, [NotNullWhen(true)] out IGpioController? controller)
    {
        lock (_lock)
        {
            foreach (IGpioController candidate in _gpio)
            {
                if (FindLine(candidate, label) is not null)
                {
                    controller = candidate;
                    return true;
                }
            }
        }
        controller = null;
        return false;
    }

    /// <summary>What <paramref name="controller"/> says about the line labelled <paramref name="label"/>.</summary>
    internal static GpioLineInfo? FindLine(IGpioController controller, string label)
    {
        foreach (GpioLineInfo line in controller.Lines)
            if (line.Label == label) return line;
        return null;
    }

    /// <summary>Every bus, SPI device and pin, in the order they were added: buses, then SPI devices, then
    /// pins; then the USB devices connected now, named as USB policy rules and audit records name them.</summary>
    public IReadOnlyList<InventoryEntry> Describe()
    {
        var entries = new List<InventoryEntry>();
        lock (_lock)
        {
            foreach (II2cBus bus in _buses) entries.Add(new("i2c", bus.Name, DescribeBus(bus)));
            foreach (ISpiDevice device in _spi) entries.Add(new("spi", device.Name, device.Description));
            foreach (IGpioController controller in _gpio)
                foreach (GpioLineInfo line in controller.Lines)
                    entries.Add(new("gpio", line.Label, DescribeLine(controller, line)));
        }
        if (Usb is { } usb)
        {
            var devices = new List<IUsbDevice>();
            if (usb.GetDevices(devices) == UsbError.Success)
                foreach (var device in devices)
                    entries.Add(new("usb", Policy.UsbDeviceIdentity.Of(device).Name,
                        $"{device.Product ?? "USB device"} ({device.Descriptor}, {device.Location}, {usb.Name})"));
        }
        return entries;
    }

    public void Dispose()
    {
        IDisposable[] owned;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            owned = [.. _owned];
        }
        foreach (IDisposable part in owned) part.Dispose();
        Simulation?.Dispose();
    }

    private void AddPart<T>(List<T> list, T part, string name, string what, bool owned) where T : class, IDisposable
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException($"every {what} needs a name");
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (T existing in list)
            {
                if (ReferenceEquals(existing, part)) throw new ArgumentException($"{what} '{name}' is already in the inventory");
                if (NameOf(existing) == name) throw new ArgumentException($"another {what} is already named '{name}': names must be unique across every source");
            }
            list.Add(part);
            if (owned) _owned.Add(part);
        }
    }

    private void AddController(IGpioController controller, bool owned)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (IGpioController existing in _gpio)
            {
                if (ReferenceEquals(existing, controller) || existing.Name == controller.Name)
                    throw new ArgumentException($"a GPIO controller named '{controller.Name}' is already in the inventory");
                foreach (GpioLineInfo line in controller.Lines)
                    if (FindLine(existing, line.Label) is not null)
                        throw new ArgumentException($"GPIO line '{line.Label}' of {controller.Name} has the label of a line of {existing.Name}: labels must be unique across controllers");
            }
            _gpio.Add(controller);
            if (owned) _owned.Add(controller);
        }
    }

    private static string NameOf<T>(T part) => part switch
    {
        II2cBus bus => bus.Name,
        ISpiDevice device => device.Name,
        _ => "",
    };

    private static string DescribeBus(II2cBus bus)
    {
        if (bus is not SimulatedI2cBus simulated || simulated.Devices.Count == 0) return bus.Description;
        return bus.Description + ": " + string.Join(", ", simulated.Devices.Select(d => $"{d.Kind} '{d.Name}' at 0x{d.Address:x2}"));
    }

    private static string DescribeLine(IGpioController controller, GpioLineInfo line)
    {
        string what;
        if (controller is SimulatedGpioController simulated)
        {
            what = line.IsAnalog ? simulated.Analog(line.Label).Description : simulated.Line(line.Label).Description;
        }
        else
        {
            string directions = (line.CanInput, line.CanOutput) switch
            {
                (true, true) => "in/out",
                (true, false) => "in",
                (false, true) => "out",
                _ => "unusable",
            };
            what = (line.IsAnalog ? "analog " : "digital ") + directions;
        }
        return $"{what} ({controller.Name} line {line.Offset}{(line.InUse ? ", in use" : "")})";
    }
}
