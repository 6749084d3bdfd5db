using System.Text;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation.Configuration;
using IronWasm.Hardware.Simulation.Gpio;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Simulation;

/// <summary>One entry of <see cref="SimulatedHardware.Describe"/>: a bus, device, controller or line.</summary>
/// <param name="Kind">"i2c-bus", "i2c-device", "i2c-fault", "spi-device", "gpio-controller", "gpio-line", "usb-bus", "usb" or "environment".</param>
/// <param name="Path">How hosts and policies name it: "sim-i2c-1", "sim-i2c-1@0x5f", "flash0", "sim-gpio", "sim-gpio/led";
/// a USB device by bus and port as Linux does, "usb 1-1".</param>
/// <param name="Name">The part's own name (device name, line label).</param>
/// <param name="Type">The device type or line kind as in simulation files, e.g. "hts221" or "button".</param>
/// <param name="Description">One line for people.</param>
/// <param name="Depth">0 for buses, SPI devices and the GPIO controller; 1 for what is on them.</param>
public readonly record struct SimulatedPartInfo(string Kind, string Path, string Name, string Type, string Description, int Depth);

/// <summary>A whole simulated machine built from a simulation file, the inline form or the
/// built-in default: the shared environment, I2C buses with their devices, SPI devices and a
/// GPIO controller. It owns them all and disposes them. Hosts get the backend interfaces by name
/// (<see cref="GetI2cBus"/>, <see cref="GetSpiDevice"/>, <see cref="GetGpioController"/>); tests
/// and demos reach the models (<see cref="GetDevice{T}"/>, <see cref="Displays"/>, <see cref="Gpio"/>).</summary>
public sealed class SimulatedHardware : IDisposable
{
    /// <summary>The built-in simulation of `ironwasm demo`, in the inline form.</summary>
    public const string DefaultInline =
        "i2c:sim-i2c-1=hts221@0x5f,bme280@0x76,hd44780@0x27(name=lcd),tm1650@0x24,ssd1306@0x3c(name=oled),24c02@0x50(name=eeprom);" +
        "spi:flash0=w25q16,adc0=mcp3008(channels=1.65 0.4 2.5 0 0 0 0 3.3);" +
        "gpio:led=led,led2=led,button=button(pressed=low,presses=1s,repeat=2s);" +
        "env:temperature=21.5,humidity=45,pressure=1013.25,drift=42;" +
        "usb:echo,mass-storage(size=1MiB),gamepad";

    private readonly SimulationClock _clock;
    private readonly List<SimulatedI2cBus> _buses;
    private readonly List<SimulatedSpiDevice> _spi;
    private readonly SimulatedUsb? _usb;
    private bool _disposed;

    internal SimulatedHardware(SimulationClock clock, SimulatedEnvironment environment, List<SimulatedI2cBus> buses, List<SimulatedSpiDevice> spi, SimulatedGpioController gpio, SimulatedUsb? usb = null)
    {
        _clock = clock;
        Environment = environment;
        _buses = buses;
        _spi = spi;
        Gpio = gpio;
        _usb = usb;
    }

    /// <summary>Builds the simulation described by the YAML file at <paramref name="path"/>;
    /// relative file names in it are relative to the file's folder.</summary>
    /// <exception cref="SimulationConfigException">The file is not a valid simulation (with line and column).</exception>
    public static SimulatedHardware Load(string path, TimeProvider? time = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SimulationConfigException($"cannot read the simulation file: {e.Message}", SourceLocation.InYaml(path, 0, 0), e);
        }
        return FromYaml(text, Path.GetDirectoryName(Path.GetFullPath(path)), time, path);
    }

    /// <summary>Builds the simulation described by YAML text.</summary>
    public static SimulatedHardware FromYaml(string yaml, string? baseDirectory = null, TimeProvider? time = null, string source = "yaml") =>
        Create(YamlSource.Parse(yaml, source), new SimulationClock(time), baseDirectory);

    /// <summary>Builds the simulation of the inline form, e.g.
    /// <c>i2c:sim-i2c-1=hts221@0x5f,lcd1602@0x27;gpio:led=led,button=button</c>.</summary>
    public static SimulatedHardware FromInline(string spec, TimeProvider? time = null) =>
        Create(InlineSource.Parse(spec), new SimulationClock(time), baseDirectory: null);

    /// <summary>A command-line argument: a YAML file if it names an existing file or ends in
    /// .yaml/.yml, else the inline form.</summary>
    public static SimulatedHardware FromArgument(string fileOrInline, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(fileOrInline);
        bool looksLikeFile = File.Exists(fileOrInline) || fileOrInline.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileOrInline.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        return looksLikeFile ? Load(fileOrInline, time) : FromInline(fileOrInline, time);
    }

    /// <summary>The built-in simulation (<see cref="DefaultInline"/>).</summary>
    public static SimulatedHardware CreateDefault(TimeProvider? time = null) => FromInline(DefaultInline, time);

    internal static SimulatedHardware Create(ConfigNode? root, SimulationClock clock, string? baseDirectory) =>
        SimulationBuilder.Build(root, clock, baseDirectory);

    /// <summary>Test hook: the clock every part of this simulation reads.</summary>
    internal SimulationClock Clock => _clock;

    public SimulatedEnvironment Environment { get; }

    public IReadOnlyList<SimulatedI2cBus> I2cBuses => _buses;

    public IReadOnlyList<SimulatedSpiDevice> SpiDevices => _spi;

    /// <summary>The GPIO controller (present even with no lines).</summary>
    public SimulatedGpioController Gpio { get; }

    /// <summary>The simulated USB bus with the devices of the <c>usb</c> section plugged in
    /// (null without one). The simulation owns it; hosts take it as their <see cref="IUsbBackend"/>.</summary>
    public SimulatedUsbBackend? Usb => _usb?.Backend;

    /// <summary>Time since the simulation was built, on the clock its devices use.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <exception cref="KeyNotFoundException">No bus has that name.</exception>
    public SimulatedI2cBus GetI2cBus(string name) =>
        TryGetI2cBus(name, out SimulatedI2cBus? bus) ? bus
            : throw new KeyNotFoundException($"no simulated I2C bus is named '{name}' (buses: {List(_buses.Select(b => b.Name))})");

    public bool TryGetI2cBus(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SimulatedI2cBus? bus)
    {
        bus = _buses.Find(b => b.Name == name);
        return bus is not null;
    }

    /// <exception cref="KeyNotFoundException">No SPI device has that name.</exception>
    public SimulatedSpiDevice GetSpiDevice(string name) =>
        TryGetSpiDevice(name, out SimulatedSpiDevice? device) ? device
            : throw new KeyNotFoundException($"no simulated SPI device is named '{name}' (SPI devices: {List(_spi.Select(d => d.Name))})");

    public bool TryGetSpiDevice(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SimulatedSpiDevice? device)
    {
        device = _spi.Find(d => d.Name == name);
        return device is not null;
    }

    /// <summary>The GPIO controller, by name if one is given.</summary>
    /// <exception cref="KeyNotFoundException">The controller has another name.</exception>
    public IGpioController GetGpioController(string? name = null) =>
        name is null || name == Gpio.Name ? Gpio : throw new KeyNotFoundException($"no simulated GPIO controller is named '{name}' (controller: {Gpio.Name})");

    /// <summary>Every I2C device, on every bus.</summary>
    public IEnumerable<SimulatedI2cDevice> I2cDevices => _buses.SelectMany(b => b.Devices);

    /// <summary>The device (I2C or SPI) named <paramref name="name"/>, as the model type <typeparamref name="T"/>.</summary>
    /// <exception cref="KeyNotFoundException">No device has that name and type.</exception>
    public T GetDevice<T>(string name) where T : class
    {
        object? found = (object?)I2cDevices.FirstOrDefault(d => d.Name == name) ?? _spi.Find(d => d.Name == name);
        return found as T ?? throw new KeyNotFoundException(found is null
            ? $"no simulated device is named '{name}' (devices: {List(I2cDevices.Select(d => d.Name).Concat(_spi.Select(d => d.Name)))})"
            : $"device '{name}' is a {found.GetType().Name}, not a {typeof(T).Name}");
    }

    /// <summary>The devices of type <typeparamref name="T"/>.</summary>
    public IEnumerable<T> Devices<T>() where T : class => I2cDevices.OfType<T>().Concat(_spi.OfType<T>());

    /// <summary>The displays (LCD, 7-segment, OLED), in declaration order.</summary>
    public IReadOnlyList<ISimulatedDisplay> Displays => I2cDevices.OfType<ISimulatedDisplay>().ToArray();

    /// <summary>Everything in the simulation, buses first, for `ironwasm devices`.</summary>
    public IReadOnlyList<SimulatedPartInfo> Describe()
    {
        var parts = new List<SimulatedPartInfo>();
        foreach (SimulatedI2cBus bus in _buses)
        {
            parts.Add(new("i2c-bus", bus.Name, bus.Name, "i2c", bus.Description, 0));
            foreach (SimulatedI2cDevice device in bus.Devices)
            {
                string addresses = string.Join(",", device.Addresses.Select(a => $"0x{a:x2}"));
                parts.Add(new("i2c-device", $"{bus.Name}@0x{device.Address:x2}", device.Name, device.Kind,
                    device.Addresses.Count > 1 ? $"{device.Description} [{addresses}]" : device.Description, 1));
            }
            foreach (I2cFaultHandle fault in bus.Faults)
                parts.Add(new("i2c-fault", fault.Fault.Address is { } a ? $"{bus.Name}@0x{a:x2}" : bus.Name, "fault", "fault", $"fault: {fault.Fault}", 1));
        }
        foreach (SimulatedSpiDevice device in _spi)
            parts.Add(new("spi-device", device.Name, device.Name, device.Kind, device.Description, 0));
        if (Gpio.Lines.Count > 0)
        {
            parts.Add(new("gpio-controller", Gpio.Name, Gpio.Name, "gpio", Gpio.Description, 0));
            foreach (SimulatedDigitalLine line in Gpio.DigitalLines)
                parts.Add(new("gpio-line", $"{Gpio.Name}/{line.Label}", line.Label, line.Kind, line.Description, 1));
            foreach (SimulatedAnalogLine line in Gpio.AnalogLines)
                parts.Add(new("gpio-line", $"{Gpio.Name}/{line.Label}", line.Label, line.Kind.ToString().ToLowerInvariant(), line.Description, 1));
        }
        if (_usb is { } usb)
        {
            parts.Add(new("usb-bus", usb.Backend.Name, usb.Backend.Name, "usb", usb.Backend.Description, 0));
            var plugged = new List<IUsbDevice>();
            usb.Backend.GetDevices(plugged);
            foreach (var device in plugged.Cast<AttachedUsbDevice>().OrderBy(d => d.Location.PortNumber))
            {
                string type = UsbType(device.Model);
                parts.Add(new("usb", $"usb {device.Location.BusNumber}-{device.Location.PortNumber}", device.Model.Name, type, UsbDescription(device, type), 1));
            }
        }
        EnvironmentReading air = Environment.Read();
        parts.Add(new("environment", "environment", "environment", "environment",
            FormattableString.Invariant($"{air.Temperature:0.00} °C, {air.Humidity:0.0} %RH, {air.Pressure:0.00} hPa{(Environment.Drift is { } d ? $", drifting (seed {d.Seed})" : "")}"), 0));
        return parts;
    }

    /// <summary><see cref="Describe"/> as indented text, one part per line.</summary>
    public string DescribeText()
    {
        var parts = Describe();
        int width = parts.Max(p => p.Depth * 2 + p.Path.Length);
        var sb = new StringBuilder();
        foreach (SimulatedPartInfo part in parts)
        {
            string left = new string(' ', part.Depth * 2) + part.Path;
            sb.Append(left.PadRight(width + 2)).Append(part.Description).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Starts what runs by itself: the scripted button presses and gamepad scripts. Idempotent.</summary>
    public void StartScripts()
    {
        Gpio.StartScripts();
        _usb?.StartScripts();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (SimulatedI2cBus bus in _buses) bus.Dispose();
        foreach (SimulatedSpiDevice device in _spi) device.Dispose();
        Gpio.Dispose();
        _usb?.Dispose();
    }

    private static string UsbType(SimulatedUsbDevice model) => model switch
    {
        EchoDevice => "echo",
        MassStorageDevice => "mass-storage",
        GamepadDevice => "gamepad",
        _ => model.Name,
    };

    /// <summary>"1209:0001 IronWasm echo (bulk, interrupt, isochronous)": the IDs, the maker, the
    /// type as simulation files name it and the transfer types its endpoints use.</summary>
    private static string UsbDescription(AttachedUsbDevice device, string type)
    {
        var transfers = device.Configurations
            .SelectMany(c => c.Interfaces).SelectMany(i => i.Endpoints)
            .Select(e => e.TransferType).Distinct()
            .OrderBy(t => t switch { UsbTransferType.Bulk => 0, UsbTransferType.Interrupt => 1, UsbTransferType.Isochronous => 2, _ => 3 })
            .Select(t => t.ToString().ToLowerInvariant());
        string size = device.Model is MassStorageDevice disk ? $" {FormatSize(disk.BlockCount * disk.BlockSize)}{(disk.IsReadOnly ? " read-only" : "")}" : "";
        return $"{device.Descriptor.VendorId:x4}:{device.Descriptor.ProductId:x4} {device.Manufacturer ?? "?"} {type}{size} ({string.Join(", ", transfers)})";
    }

    private static string FormatSize(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30} GiB"
        : bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB"
        : bytes % (1L << 10) == 0 ? $"{bytes >> 10} KiB"
        : $"{bytes} B";

    private static string List(IEnumerable<string> names)
    {
        string text = string.Join(", ", names);
        return text.Length == 0 ? "none" : text;
    }
}

/// <summary>The USB part of a simulation: the bus, the device models it owns, and the gamepad
/// scripts that start with <see cref="SimulatedHardware.StartScripts"/>.</summary>
internal sealed class SimulatedUsb(SimulatedUsbBackend backend, List<SimulatedUsbDevice> devices, List<(GamepadDevice Pad, IReadOnlyList<GamepadInput> Script)> scripts) : IDisposable
{
    private int _started;

    public SimulatedUsbBackend Backend { get; } = backend;

    public IReadOnlyList<SimulatedUsbDevice> Devices => devices;

    public void StartScripts()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        foreach (var (pad, script) in scripts)
            if (pad.CurrentAttachment is { IsConnected: true }) pad.Play(script);
    }

    public void Dispose()
    {
        Backend.Dispose();
        // The backend unplugs the models; the disks among them hold image files or buffers.
        foreach (var device in devices) (device as IDisposable)?.Dispose();
    }
}
