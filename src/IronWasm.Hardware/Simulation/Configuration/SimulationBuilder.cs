using IronWasm.Hardware.Simulation.Devices;
using IronWasm.Hardware.Simulation.Gpio;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using IronWasm.Hardware.Usb.Simulation.FatImage;

namespace IronWasm.Hardware.Simulation.Configuration;

/// <summary>Turns a configuration tree (from YAML or the inline form) into a
/// <see cref="SimulatedHardware"/>, checking every key and value on the way.</summary>
internal sealed class SimulationBuilder
{
    public const string DefaultGpioName = "sim-gpio";

    /// <summary>I2C device types: the names accepted in files, the default address and default device name.</summary>
    internal static readonly (string[] Types, ushort Address, string Name)[] I2cTypes =
    [
        (["hts221"], Hts221Device.DefaultAddress, "hts221"),
        (["bme280"], 0x76, "bme280"),
        (["hd44780", "lcd1602"], 0x27, "lcd"),
        (["tm1650"], Tm1650Device.CommandAddress, "tm1650"),
        (["ssd1306"], 0x3C, "oled"),
        (["24c02", "at24c02"], 0x50, "eeprom"),
    ];

    internal static readonly string[] FlashTypes = ["w25q80", "w25q16", "w25q32", "w25q64", "w25q128"];
    internal static readonly string[] GpioKinds = ["led", "button", "pin", "adc", "dac", "pwm"];
    internal static readonly string[] UsbTypes = ["echo", "mass-storage", "gamepad"];
    internal static readonly string[] UsbTimings = ["usb2-high-speed", "zero-latency"];
    internal static readonly string[] DiskFormats = ["fat16", "fat32"];

    /// <summary>In-memory disks live in one byte array; past this an image file is the better choice.</summary>
    private const long MaxMemoryDiskBytes = 256L * 1024 * 1024;

    private readonly SimulationClock _clock;
    private readonly string? _baseDirectory;
    private readonly SimulatedEnvironment _environment;
    private readonly List<SimulatedI2cBus> _buses = [];
    private readonly List<SimulatedSpiDevice> _spi = [];
    private readonly SimulatedGpioController _gpio;
    private readonly HashSet<string> _deviceNames = new(StringComparer.Ordinal);
    private SimulatedUsbBackend? _usb;
    private readonly List<SimulatedUsbDevice> _usbDevices = [];
    private readonly List<(GamepadDevice Pad, IReadOnlyList<GamepadInput> Script)> _gamepadScripts = [];

    private SimulationBuilder(SimulationClock clock, string? baseDirectory, string gpioName)
    {
        _clock = clock;
        _baseDirectory = baseDirectory;
        _environment = new SimulatedEnvironment(clock);
        _gpio = new SimulatedGpioController(gpioName, clock);
    }

    public static SimulatedHardware Build(ConfigNode? root, SimulationClock clock, string? baseDirectory)
    {
        if (root is null) return new SimulatedHardware(clock, new SimulatedEnvironment(clock), [], [], new SimulatedGpioController(DefaultGpioName, clock));
        var top = new MapReader(root, "the simulation");
        ConfigNode? environment = top.Get("environment"), i2c = top.Get("i2c"), spi = top.Get("spi"), gpio = top.Get("gpio"), usb = top.Get("usb");
        top.Done();

        MapReader? gpioReader = gpio is null ? null : new MapReader(gpio, "gpio");
        string gpioName = gpioReader?.Scalar("name") is { } n ? Values.Name(n, "GPIO controller name") : DefaultGpioName;
        var builder = new SimulationBuilder(clock, baseDirectory, gpioName);
        try
        {
            if (environment is not null) builder.Environment(environment);
            if (i2c is not null)
                foreach (ConfigNode bus in Values.Sequence(i2c, "i2c")) builder.I2cBus(bus);
            if (spi is not null)
                foreach (ConfigNode device in Values.Sequence(spi, "spi")) builder.SpiDevice(device);
            if (gpioReader is not null) builder.Gpio(gpioReader);
            if (usb is not null) builder.Usb(usb);
        }
        catch
        {
            builder.DisposeParts();
            throw;
        }
        return new SimulatedHardware(clock, builder._environment, builder._buses, builder._spi, builder._gpio,
            builder._usb is null ? null : new SimulatedUsb(builder._usb, builder._usbDevices, builder._gamepadScripts));
    }

    private void DisposeParts()
    {
        foreach (var bus in _buses) bus.Dispose();
        foreach (var device in _spi) device.Dispose();
        _gpio.Dispose();
        _usb?.Dispose();
        foreach (var device in _usbDevices) (device as IDisposable)?.Dispose();
    }

    private void Environment(ConfigNode node)
    {
        var map = new MapReader(node, "the environment");
        EnvironmentReading air = _environment.Read();
        double temperature = map.Scalar("temperature") is { } t ? Values.Number(t, "temperature") : air.Temperature;
        double humidity = map.Scalar("humidity") is { } h ? Values.Number(h, "humidity") : air.Humidity;
        double pressure = map.Scalar("pressure") is { } p ? Values.Number(p, "pressure") : air.Pressure;
        ConfigNode? drift = map.Get("drift");
        map.Done();
        Guard(node.Location, () => _environment.Set(temperature, humidity, pressure));
        if (drift is not null) _environment.Drift = Drift(drift);
    }

    private static EnvironmentDrift? Drift(ConfigNode node)
    {
        var standard = new EnvironmentDrift(1, TimeSpan.FromSeconds(60));
        if (node is ScalarNode scalar)
        {
            // "drift: 42" is drift on with seed 42.
            if (scalar.Value.Trim().Length > 0 && char.IsAsciiDigit(scalar.Value.Trim()[0]))
                return standard with { Seed = (int)Values.Integer(scalar, 0, int.MaxValue, "drift seed") };
            return Values.Boolean(scalar, "drift") ? standard : null;
        }
        var map = new MapReader(node, "drift");
        EnvironmentDrift drift = standard;
        if (map.Scalar("seed") is { } seed) drift = drift with { Seed = (int)Values.Integer(seed, 0, int.MaxValue, "drift seed") };
        if (map.Scalar("period") is { } period)
        {
            TimeSpan value = Values.Duration(period, "drift period");
            if (value <= TimeSpan.Zero) throw new SimulationConfigException("the drift period must be positive", period.Location);
            drift = drift with { Period = value };
        }
        if (map.Scalar("temperature") is { } t) drift = drift with { Temperature = Amplitude(t, "temperature drift", 50) };
        if (map.Scalar("humidity") is { } h) drift = drift with { Humidity = Amplitude(h, "humidity drift", 50) };
        if (map.Scalar("pressure") is { } p) drift = drift with { Pressure = Amplitude(p, "pressure drift", 100) };
        map.Done();
        return drift;
    }

    private static double Amplitude(ScalarNode node, string what, double max)
    {
        double value = Values.Number(node, what);
        if (value < 0 || value > max) throw new SimulationConfigException($"{what} {node.Value} is out of range (0 to {max})", node.Location);
        return value;
    }

    private void I2cBus(ConfigNode node)
    {
        var map = new MapReader(node, "an I2C bus");
        ScalarNode nameNode = map.RequireScalar("bus");
        string name = Values.Name(nameNode, "bus name");
        if (_buses.Any(b => b.Name == name)) throw new SimulationConfigException($"bus '{name}' is declared twice", nameNode.Location);
        string? description = map.Scalar("description")?.Value;
        ConfigNode? devices = map.Get("devices"), faults = map.Get("faults");
        map.Done();

        var bus = new SimulatedI2cBus(name, _clock, description);
        _buses.Add(bus);
        if (devices is not null)
            foreach (ConfigNode device in Values.Sequence(devices, $"devices of bus '{name}'")) I2cDevice(bus, device);
        if (faults is not null)
            foreach (ConfigNode fault in Values.Sequence(faults, $"faults of bus '{name}'")) bus.InjectFault(Fault(fault));
    }

    private void I2cDevice(SimulatedI2cBus bus, ConfigNode node)
    {
        var map = new MapReader(node, "an I2C device");
        ScalarNode typeNode = map.RequireScalar("type");
        string type = typeNode.Value.Trim().ToLowerInvariant();
        var known = I2cTypes.FirstOrDefault(t => t.Types.Contains(type));
        if (known.Types is null)
            throw new SimulationConfigException($"unknown I2C device type '{typeNode.Value}' (known: {string.Join(", ", I2cTypes.SelectMany(t => t.Types))})", typeNode.Location);
        ScalarNode? addressNode = map.Scalar("address");
        ushort address = addressNode is null ? known.Address : Values.Address(addressNode);
        string name = DeviceName(map.Scalar("name"), known.Name, address, node.Location);
        SourceLocation where = addressNode?.Location ?? node.Location;

        SimulatedI2cDevice device = known.Types[0] switch
        {
            "hts221" => Guard(where, () => new Hts221Device(name, address, _clock, _environment,
                map.Scalar("conversion-time") is { } c ? Values.Duration(c, "conversion-time") : TimeSpan.Zero)),
            "bme280" => Guard(where, () => new Bme280Device(name, address, _clock, _environment)),
            "hd44780" => Guard(where, () => new Hd44780LcdDevice(name, address, _clock,
                map.Scalar("strict-timing") is { } st && Values.Boolean(st, "strict-timing"))),
            "tm1650" => Guard(where, () => new Tm1650Device(name, address, _clock)),
            "ssd1306" => Guard(where, () => new Ssd1306Device(name, address, _clock,
                map.Scalar("external-vcc") is { } v && Values.Boolean(v, "external-vcc"))),
            _ => Eeprom(name, address, map, where),
        };
        map.Done();
        try
        {
            bus.Attach(device);
        }
        catch (InvalidOperationException e)
        {
            throw new SimulationConfigException($"duplicate address: {e.Message}", where);
        }
        _deviceNames.Add(name);
    }

    private Eeprom24C02Device Eeprom(string name, ushort address, MapReader map, SourceLocation where)
    {
        TimeSpan? writeTime = map.Scalar("write-time") is { } w ? Values.Duration(w, "write-time") : null;
        int pageSize = map.Scalar("page-size") is { } p ? (int)Values.Integer(p, 1, 256, "page-size") : 8;
        string? file = map.Scalar("file") is { } f ? ResolvePath(f) : null;
        return Guard(where, () => new Eeprom24C02Device(name, address, _clock, writeTime, pageSize, file));
    }

    private string ResolvePath(ScalarNode node)
    {
        string path = node.Value.Trim();
        if (path.Length == 0) throw new SimulationConfigException("the file name is empty", node.Location);
        return _baseDirectory is null ? Path.GetFullPath(path) : Path.GetFullPath(path, _baseDirectory);
    }

    private string DeviceName(ScalarNode? node, string standard, ushort address, SourceLocation where)
    {
        if (node is not null)
        {
            string name = Values.Name(node, "device name");
            if (_deviceNames.Contains(name)) throw new SimulationConfigException($"device name '{name}' is used twice", node.Location);
            return name;
        }
        return _deviceNames.Contains(standard) ? $"{standard}-{address:x2}" : standard;
    }

    private static I2cFault Fault(ConfigNode node)
    {
        var map = new MapReader(node, "a fault");
        ScalarNode kindNode = map.RequireScalar("kind");
        I2cFaultKind kind = kindNode.Value.Trim().ToLowerInvariant() switch
        {
            "nack-address" => I2cFaultKind.NoAcknowledgeAddress,
            "nack-data" => I2cFaultKind.NoAcknowledgeData,
            "bus-error" => I2cFaultKind.BusError,
            "arbitration-loss" => I2cFaultKind.ArbitrationLoss,
            "latency" => I2cFaultKind.Latency,
            _ => throw new SimulationConfigException($"unknown fault kind '{kindNode.Value}' (nack-address, nack-data, bus-error, arbitration-loss, latency)", kindNode.Location),
        };
        ushort? address = map.Scalar("address") is { } a ? Values.Address(a) : null;
        ScalarNode? trigger = map.Scalar("trigger"), every = map.Scalar("every"), probability = map.Scalar("probability"), seed = map.Scalar("seed");
        ScalarNode? latencyNode = map.Scalar("latency");
        map.Done();

        int triggers = (trigger is null ? 0 : 1) + (every is null ? 0 : 1) + (probability is null ? 0 : 1);
        if (triggers > 1) throw new SimulationConfigException("a fault has one of trigger, every and probability", node.Location);
        if (seed is not null && probability is null) throw new SimulationConfigException("seed goes with probability", seed.Location);
        FaultTrigger when = FaultTrigger.Always;
        if (trigger is not null)
        {
            when = trigger.Value.Trim().ToLowerInvariant() switch
            {
                "always" => FaultTrigger.Always,
                "once" => FaultTrigger.Once,
                _ => throw new SimulationConfigException($"unknown trigger '{trigger.Value}' (always or once; or use every: N or probability: P)", trigger.Location),
            };
        }
        else if (every is not null) when = FaultTrigger.EveryNth((int)Values.Integer(every, 1, int.MaxValue, "every"));
        else if (probability is not null)
        {
            double p = Values.Number(probability, "probability");
            if (p is < 0 or > 1) throw new SimulationConfigException($"probability {probability.Value} is out of range (0 to 1)", probability.Location);
            when = FaultTrigger.WithProbability(p, seed is null ? 0 : (int)Values.Integer(seed, int.MinValue, int.MaxValue, "seed"));
        }

        TimeSpan latency = TimeSpan.Zero;
        if (kind == I2cFaultKind.Latency)
        {
            if (latencyNode is null) throw new SimulationConfigException("a latency fault needs 'latency' (e.g. 5ms)", node.Location);
            latency = Values.Duration(latencyNode, "latency");
            if (latency <= TimeSpan.Zero || latency > TimeSpan.FromSeconds(10))
                throw new SimulationConfigException($"latency {latencyNode.Value} is out of range (above 0, at most 10 s)", latencyNode.Location);
        }
        else if (latencyNode is not null) throw new SimulationConfigException("only a latency fault has 'latency'", latencyNode.Location);
        return new I2cFault(kind, when, address, latency);
    }

    private void SpiDevice(ConfigNode node)
    {
        var map = new MapReader(node, "an SPI device");
        ScalarNode nameNode = map.RequireScalar("name");
        string name = Values.Name(nameNode, "SPI device name");
        if (_deviceNames.Contains(name)) throw new SimulationConfigException($"device name '{name}' is used twice", nameNode.Location);
        ScalarNode typeNode = map.RequireScalar("type");
        string type = typeNode.Value.Trim().ToLowerInvariant();
        SimulatedSpiDevice device;
        if (type == "spi-nor") type = "w25q16";
        if (FlashTypes.Contains(type))
        {
            FlashTiming timing = FlashTiming.Typical;
            if (map.Scalar("timing") is { } t)
            {
                timing = t.Value.Trim().ToLowerInvariant() switch
                {
                    "typical" => FlashTiming.Typical,
                    "instant" => FlashTiming.Instant,
                    _ => throw new SimulationConfigException($"unknown timing '{t.Value}' (typical or instant)", t.Location),
                };
            }
            TimeSpan Time(string key, TimeSpan current) => map.Scalar(key) is { } v ? Values.Duration(v, key) : current;
            timing = new FlashTiming(
                Time("page-program-time", timing.PageProgram), Time("sector-erase-time", timing.SectorErase),
                Time("block-erase-32k-time", timing.BlockErase32K), Time("block-erase-64k-time", timing.BlockErase64K),
                Time("chip-erase-time", timing.ChipErase), Time("write-status-time", timing.WriteStatus));
            string? file = map.Scalar("file") is { } f ? ResolvePath(f) : null;
            device = Guard(nameNode.Location, () => new SpiNorFlashDevice(name, _clock, type, timing, file));
        }
        else if (type == "mcp3008")
        {
            double vref = map.Scalar("vref") is { } v ? Values.Number(v, "vref") : 3.3;
            List<ScalarNode> channels = map.Get("channels") is { } c ? Values.List(c, "channels") : [];
            var adc = Guard(map.Location, () => new Mcp3008Device(name, _clock, vref));
            if (channels.Count > Mcp3008Device.Channels)
                throw new SimulationConfigException($"the MCP3008 has {Mcp3008Device.Channels} channels, {channels.Count} values given", channels[Mcp3008Device.Channels].Location);
            for (int i = 0; i < channels.Count; i++)
            {
                double volts = Values.Number(channels[i], $"channel {i}");
                if (volts < 0 || volts > vref) throw new SimulationConfigException($"channel {i} voltage {channels[i].Value} is out of range (0 to vref {vref})", channels[i].Location);
                adc.SetChannelVoltage(i, volts);
            }
            device = adc;
        }
        else throw new SimulationConfigException($"unknown SPI device type '{typeNode.Value}' (known: {string.Join(", ", FlashTypes)}, spi-nor, mcp3008)", typeNode.Location);
        try
        {
            map.Done();
        }
        catch
        {
            device.Dispose();
            throw;
        }
        _spi.Add(device);
        _deviceNames.Add(name);
    }

    private void Gpio(MapReader map)
    {
        ConfigNode? lines = map.Get("lines");
        map.Done();
        if (lines is null) return;
        foreach (ConfigNode node in Values.Sequence(lines, "gpio lines")) GpioLine(node);
    }

    private void GpioLine(ConfigNode node)
    {
        var map = new MapReader(node, "a GPIO line");
        ScalarNode labelNode = map.RequireScalar("label");
        string label = Values.Name(labelNode, "GPIO label");
        if (_gpio.Lines.Any(l => l.Label == label)) throw new SimulationConfigException($"GPIO label '{label}' is used twice", labelNode.Location);
        ScalarNode kindNode = map.RequireScalar("kind");
        string kind = kindNode.Value.Trim().ToLowerInvariant();
        switch (kind)
        {
            case "led":
                {
                    bool activeHigh = map.Scalar("active") is not { } a || Values.Level(a, "active");
                    map.Done();
                    _gpio.AddLed(label, activeHigh);
                    break;
                }
            case "button":
                {
                    bool pressedHigh = map.Scalar("pressed") is not { } p || Values.Level(p, "pressed");
                    TimeSpan hold = map.Scalar("hold") is { } h ? Values.Duration(h, "hold") : TimeSpan.FromMilliseconds(100);
                    List<ScalarNode> presses = map.Get("presses") is { } list ? Values.List(list, "presses") : [];
                    ScalarNode? repeatNode = map.Scalar("repeat");
                    TimeSpan? repeat = repeatNode is null ? null : Values.Duration(repeatNode, "repeat");
                    map.Done();
                    var script = presses.Select(n => new ButtonPress(Values.Duration(n, "press time"), hold)).ToList();
                    if (repeat is not null && script.Count == 0)
                        throw new SimulationConfigException("'repeat' repeats the presses; give them with 'presses'", repeatNode!.Location);
                    Guard(node.Location, () => _gpio.AddButton(label, pressedHigh, script, repeat));
                    break;
                }
            case "pin":
                map.Done();
                _gpio.AddPin(label);
                break;
            case "adc" or "dac" or "pwm":
                {
                    AnalogLineKind analog = kind switch { "adc" => AnalogLineKind.Adc, "dac" => AnalogLineKind.Dac, _ => AnalogLineKind.Pwm };
                    int bits = map.Scalar("bits") is { } b ? (int)Values.Integer(b, 1, 16, "bits") : analog == AnalogLineKind.Pwm ? 8 : analog == AnalogLineKind.Dac ? 12 : 10;
                    ScalarNode? valueNode = map.Scalar("value");
                    uint value = valueNode is null ? 0 : (uint)Values.Integer(valueNode, 0, (1L << bits) - 1, $"value of a {bits}-bit line");
                    map.Done();
                    _gpio.AddAnalog(label, analog, bits, value);
                    break;
                }
            default:
                throw new SimulationConfigException($"unknown GPIO line kind '{kindNode.Value}' (known: {string.Join(", ", GpioKinds)})", kindNode.Location);
        }
    }

    private void Usb(ConfigNode node)
    {
        var map = new MapReader(node, "the USB bus");
        UsbBusTiming timing = UsbBusTiming.HighSpeed;
        if (map.Scalar("timing") is { } t)
        {
            timing = t.Value.Trim().ToLowerInvariant() switch
            {
                "usb2-high-speed" => UsbBusTiming.HighSpeed,
                "zero-latency" => UsbBusTiming.ZeroLatency,
                _ => throw new SimulationConfigException($"unknown USB timing '{t.Value}' (known: {string.Join(", ", UsbTimings)})", t.Location),
            };
        }
        ConfigNode? devices = map.Get("devices");
        map.Done();
        _usb = new SimulatedUsbBackend(timing, _clock.Provider);
        if (devices is null) return;
        foreach (ConfigNode device in Values.Sequence(devices, "USB devices")) UsbDevice(device);
    }

    private void UsbDevice(ConfigNode node)
    {
        var map = new MapReader(node, "a USB device");
        ScalarNode typeNode = map.RequireScalar("type");
        string type = typeNode.Value.Trim().ToLowerInvariant();
        if (!UsbTypes.Contains(type))
            throw new SimulationConfigException($"unknown USB device type '{typeNode.Value}' (known: {string.Join(", ", UsbTypes)})", typeNode.Location);
        string name = UsbDeviceName(map.Scalar("name"), type);
        ScalarNode? serialNode = map.Scalar("serial");
        string? serial = serialNode is null ? null : Serial(serialNode);
        SimulatedUsbDevice device;
        IReadOnlyList<GamepadInput>? script = null;
        switch (type)
        {
            case "echo":
                device = Guard(node.Location, () => new EchoDevice(name, serial ?? "ECHO0001"));
                break;
            case "gamepad":
                if (map.Scalar("script") is { } s) script = GamepadScript(s);
                device = Guard(node.Location, () => new GamepadDevice(name, serial ?? "PAD0001"));
                break;
            default:
                {
                    ScalarNode? image = map.Scalar("image"), size = map.Scalar("size");
                    bool readOnly = map.Scalar("read-only") is { } r && Values.Boolean(r, "read-only");
                    if (image is not null && size is not null) throw new SimulationConfigException("a mass-storage device has either 'image' or 'size', not both", size.Location);
                    if (image is null && size is null) throw new SimulationConfigException("a mass-storage device needs 'image: FILE' or 'size' (e.g. 16MiB)", node.Location);
                    ScalarNode? format = map.Scalar("format"), files = map.Scalar("files"), label = map.Scalar("label");
                    if (format is not null && image is not null)
                        throw new SimulationConfigException("'format' makes a new disk of 'size' bytes; an 'image' is used as it is", format.Location);
                    if (format is null && (files ?? label) is { } needsFormat)
                        throw new SimulationConfigException($"'{(files is not null ? "files" : "label")}' needs 'format: {string.Join(" or ", DiskFormats)}'", needsFormat.Location);
                    serial ??= "120900020001";
                    if (image is not null)
                    {
                        string path = ResolvePath(image);
                        device = Guard(image.Location, () => MassStorageDevice.OpenImage(path, readOnly, name, serial));
                    }
                    else
                    {
                        long bytes = Values.Size(size!, "disk size", 512, MaxMemoryDiskBytes);
                        if (bytes % 512 != 0) throw new SimulationConfigException($"disk size {size!.Value} is not a whole number of 512-byte blocks", size.Location);
                        byte[] disk = format is null ? new byte[bytes] : FormattedDisk(format, bytes, size!, files, label);
                        device = MassStorageDevice.FromMemory(disk, readOnly, name, serial);
                    }
                    break;
                }
        }
        try
        {
            map.Done();
            try
            {
                Guard(node.Location, () => _usb!.Plug(device));
            }
            catch (InvalidOperationException e)
            {
                // All ports taken.
                throw new SimulationConfigException(e.Message, node.Location, e);
            }
        }
        catch
        {
            (device as IDisposable)?.Dispose();
            throw;
        }
        _usbDevices.Add(device);
        _deviceNames.Add(name);
        if (script is not null) _gamepadScripts.Add(((GamepadDevice)device, script));
    }

    /// <summary>A FAT disk image of <paramref name="bytes"/> bytes, holding the files of a folder when
    /// <paramref name="files"/> names one: a USB stick with files on it, without writing an image file.</summary>
    private byte[] FormattedDisk(ScalarNode format, long bytes, ScalarNode size, ScalarNode? files, ScalarNode? label)
    {
        FatType type = format.Value.Trim().ToLowerInvariant() switch
        {
            "fat16" => FatType.Fat16,
            "fat32" => FatType.Fat32,
            _ => throw new SimulationConfigException($"unknown disk format '{format.Value}' (known: {string.Join(", ", DiskFormats)})", format.Location),
        };
        string volumeLabel = "NO NAME";
        if (label is not null)
        {
            string text = label.Value.Trim().ToUpperInvariant();
            volumeLabel = Guard(label.Location, () => FatImageBuilder.CheckLabel(text));
        }
        FatImageBuilder builder = Guard(size.Location, () => FatImageBuilder.ForSize(type, bytes, label: volumeLabel));
        string? directory = null;
        if (files is not null)
        {
            directory = ResolvePath(files);
            if (!Directory.Exists(directory))
                throw new SimulationConfigException(File.Exists(directory) ? $"'files' is a folder to copy onto the disk; {directory} is a file" : $"no folder {directory}", files.Location);
            Guard(files.Location, () => builder.AddHostDirectory(directory));
        }
        try
        {
            return builder.Build();
        }
        catch (ArgumentException e)
        {
            string what = directory is null ? "the files" : $"the files of {directory}";
            throw new SimulationConfigException($"{what} do not fit on a {size.Value.Trim()} {type.ToString().ToUpperInvariant()} disk: {StripParameter(e)}", (files ?? size).Location, e);
        }
    }

    private string UsbDeviceName(ScalarNode? node, string type)
    {
        if (node is not null)
        {
            string name = Values.Name(node, "device name");
            if (_deviceNames.Contains(name)) throw new SimulationConfigException($"device name '{name}' is used twice", node.Location);
            return name;
        }
        if (!_deviceNames.Contains(type)) return type;
        for (int n = 2; ; n++)
            if (!_deviceNames.Contains($"{type}-{n}")) return $"{type}-{n}";
    }

    // iSerialNumber is a string descriptor: printable ASCII keeps it readable in listings and policies.
    private static string Serial(ScalarNode node)
    {
        string text = node.Value.Trim();
        if (text.Length is 0 or > 126 || !text.All(c => c is > ' ' and < '\x7f'))
            throw new SimulationConfigException($"bad serial number '{node.Value}' (1 to 126 printable ASCII characters, no spaces)", node.Location);
        return text;
    }

    private static IReadOnlyList<GamepadInput> GamepadScript(ScalarNode node)
    {
        try
        {
            // '|' separates steps too, because the inline form cannot hold ';'.
            return GamepadInput.ParseScript(node.Value.Replace('|', ';'));
        }
        catch (FormatException e)
        {
            throw new SimulationConfigException($"bad gamepad script: {e.Message}", node.Location, e);
        }
    }

    /// <summary>Runs a constructor or setter whose argument checks speak for the device, reporting
    /// them at <paramref name="where"/>.</summary>
    private static T Guard<T>(SourceLocation where, Func<T> make)
    {
        try
        {
            return make();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            string message = e is ArgumentException a ? StripParameter(a) : e.Message;
            throw new SimulationConfigException(message, where, e);
        }
    }

    private static void Guard(SourceLocation where, Action act) => Guard(where, () => { act(); return 0; });

    private static string StripParameter(ArgumentException e)
    {
        // ArgumentException appends " (Parameter 'x')" and out-of-range ones the value; the file reader wants the sentence.
        string message = e.Message;
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        int newline = message.IndexOf('\n');
        return newline >= 0 ? message[..newline].TrimEnd() : message;
    }
}
