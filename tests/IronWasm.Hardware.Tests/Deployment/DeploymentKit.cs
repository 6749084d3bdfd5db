using IronWasm.Hardware.Deployment;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Deployment;

/// <summary>One deployment's surroundings for a test: the built-in simulation with a still
/// environment, the demo policy, a hardware host, an engine, and the committed guests.</summary>
internal sealed class DeploymentKit : IDisposable
{
    /// <summary>The grants of the demo policy (src/IronWasm.Hardware/Policy/example.policy.yaml).</summary>
    public const string DemoPolicy = """
        version: 1
        guests:
          sensor:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x5f, 0x76]
                access: read-write
          display:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x27, 0x24, 0x34-0x37, 0x3c]
                access: read-write
          rogue-display:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x27]
                access: read-write
          app:
            gpio:
              - pin: led
                directions: [out]
              - pin: button
                directions: [in]
                pulls: [up, none]
            spi:
              - device: flash0
        """;

    // Away from rounding edges: 23.4 °C, 51 %RH, 1008 hPa whichever sensor reads them.
    public const double Temperature = 23.42, Humidity = 51.3, Pressure = 1008.2;

    private readonly Dictionary<string, Module> _modules = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _safety = new(TimeSpan.FromMinutes(1));

    public DeploymentKit(string policy = DemoPolicy, Config? config = null)
    {
        Simulation = SimulatedHardware.CreateDefault();
        Simulation.Environment.Drift = null;
        Simulation.Environment.Set(Temperature, Humidity, Pressure);
        Policy = new PolicyEngine(AccessPolicy.Parse(policy, "test.policy.yaml"));
        Inventory = HardwareInventory.FromSimulation(Simulation);
        // A guest waiting for an edge that never comes traps (Interrupt) instead of hanging the run.
        Hardware = new HardwareHost(Inventory, Policy, cancellation: _safety.Token);
        Engine = new Engine(config);
    }

    public SimulatedHardware Simulation { get; }
    public HardwareInventory Inventory { get; }
    public PolicyEngine Policy { get; }
    public HardwareHost Hardware { get; }
    public Engine Engine { get; }

    public Hd44780LcdDevice Lcd => Simulation.GetDevice<Hd44780LcdDevice>("lcd");
    public Tm1650Device SevenSegment => Simulation.GetDevice<Tm1650Device>("tm1650");
    public Ssd1306Device Oled => Simulation.GetDevice<Ssd1306Device>("oled");
    public Eeprom24C02Device Eeprom => Simulation.GetDevice<Eeprom24C02Device>("eeprom");

    /// <summary>guests/drivers/NAME.wasm or guests/apps/NAME.wasm, compiled once per kit.</summary>
    public Module Guest(string name)
    {
        if (_modules.TryGetValue(name, out var module)) return module;
        string folder = File.Exists(Path.Combine(GuestsDirectory, "drivers", name + ".wasm")) ? "drivers" : "apps";
        return _modules[name] = Module.FromFile(Engine, Path.Combine(GuestsDirectory, folder, name + ".wasm"));
    }

    public DriverModule Driver(string name, string module, ushort? address = null) =>
        new(name, Guest(module), address is { } a ? new I2cAttachment("sim-i2c-1", a) : null);

    public DeviceDeployment Start(string app, params DriverModule[] drivers) =>
        DeviceDeployment.Start(Engine, Hardware, Guest(app), drivers);

    /// <summary>Presses and releases the button over and over until disposed.</summary>
    public IDisposable KeepPressingTheButton()
    {
        var button = Simulation.Gpio.Button("button");
        var stop = new CancellationTokenSource();
        var presser = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                stop.Token.WaitHandle.WaitOne(10);
                button.Press();
                stop.Token.WaitHandle.WaitOne(10);
                button.Release();
            }
        });
        return new Stopper(() =>
        {
            stop.Cancel();
            presser.Wait();
            stop.Dispose();
        });
    }

    private sealed class Stopper(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }

    /// <summary>The sensor-display app with the given sensor and display drivers at their chips' addresses.</summary>
    public DeviceDeployment StartSensorDisplay(string sensor, string display) =>
        Start("sensor_display", Driver("sensor", sensor, SensorAddress(sensor)), Driver("display", display, DisplayAddress(display)));

    public static ushort SensorAddress(string driver) => driver == "bme280" ? (ushort)0x76 : (ushort)0x5f;

    public static ushort DisplayAddress(string driver) => driver switch
    {
        "tm1650" => 0x24,
        "ssd1306" => 0x3c,
        _ => 0x27,
    };

    public static string GuestsDirectory => Path.Combine(RepositoryRoot(), "guests");

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IronWasm.slnx"))) return dir.FullName;
        throw new InvalidOperationException("IronWasm.slnx not found above " + thisFile);
    }

    public void Dispose()
    {
        Hardware.Dispose();
        Inventory.Dispose();
        _safety.Dispose();
        Engine.Dispose();
    }
}
