using BenchmarkDotNet.Attributes;
using IronWasm.Hardware.Deployment;

namespace IronWasm.Benchmarks.Hardware;

/// <summary>Start-up to the first sensor reading, each iteration from nothing but the machine's
/// hardware and the module bytes in memory: engine, module, instance(s) with the hardware host's
/// imports, attach (the driver probes the chip and reads its calibration), and the first read. The
/// Wasm driver alone, and a whole deployment (the sensor-display app with the HTS221 and TM1650
/// drivers, up to the first reading shown); each from .wasm bytes (decode, validate, functions
/// compiled lazily as they run), from the compilation cache, and from a module compiled ahead of time
/// (<see cref="Module.Serialize"/>). The baseline is the C# driver attaching and reading.</summary>
/// <remarks>In-process: the .NET runtime and IronWasm's own code are already warm, as in a host
/// that deploys drivers while it runs; a new process adds the runtime's start (bench/startup).</remarks>
public class DriverStartupBenchmarks
{
    private BenchHardware _hardware = null!;
    private byte[] _driver = null!, _app = null!, _display = null!;
    private byte[] _precompiledDriver = null!;
    private string _cacheDirectory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hardware = new BenchHardware();
        _driver = BenchHardware.Guest("drivers/hts221");
        _app = BenchHardware.Guest("apps/sensor_display");
        _display = BenchHardware.Guest("drivers/tm1650");
        _precompiledDriver = Module.FromBytes(new Engine(), "hts221", _driver).Serialize();
        _cacheDirectory = Directory.CreateTempSubdirectory("ironwasm-bench-cache-").FullName;
        // Fill the cache, and check that every variant reads the air.
        foreach (var reading in new[] { CSharpDriver(), WasmDriver(), WasmDriverFromCache(), WasmDriverPrecompiled() })
            if (Math.Abs(reading - 21.5f) > 0.05f) throw new InvalidOperationException($"a variant read {reading} °C");
        foreach (var shown in new[] { WasmDeployment(), WasmDeploymentFromCache() })
            if (shown != "21.5") throw new InvalidOperationException($"the app showed '{shown}'");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hardware.Dispose();
        Directory.Delete(_cacheDirectory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public float CSharpDriver()
    {
        var driver = new CSharpHts221Driver(_hardware.I2cBus, BenchHardware.Hts221);
        if (!driver.Attach()) throw new InvalidOperationException("attach failed");
        return driver.Read().Temperature;
    }

    [Benchmark]
    public float WasmDriver() => FirstReading(new Engine(), engine => Module.FromBytes(engine, "hts221", _driver));

    [Benchmark]
    public float WasmDriverFromCache() => FirstReading(CachedEngine(), engine => Module.FromBytes(engine, "hts221", _driver));

    [Benchmark]
    public float WasmDriverPrecompiled() => FirstReading(new Engine(), engine => Module.Deserialize(engine, _precompiledDriver));

    [Benchmark]
    public string WasmDeployment() => FirstTick(new Engine());

    [Benchmark]
    public string WasmDeploymentFromCache() => FirstTick(CachedEngine());

    private Engine CachedEngine() => new(new Config().WithCompilationCache(_cacheDirectory));

    private float FirstReading(Engine engine, Func<Engine, Module> load)
    {
        var (components, read) = _hardware.AttachSensorDriver(engine, load(engine));
        try
        {
            return BenchHardware.Temperature(read.Invoke()!.Value);
        }
        finally
        {
            _hardware.Release(components);
        }
    }

    private string FirstTick(Engine engine)
    {
        var deployment = DeviceDeployment.Start(engine, _hardware.Host, Module.FromBytes(engine, "sensor_display", _app),
        [
            new DriverModule("sensor", Module.FromBytes(engine, "hts221", _driver), new I2cAttachment(BenchHardware.Bus, BenchHardware.Hts221)),
            new DriverModule("display", Module.FromBytes(engine, "tm1650", _display), new I2cAttachment(BenchHardware.Bus, BenchHardware.Tm1650)),
        ]);
        try
        {
            return deployment.Tick();
        }
        finally
        {
            _hardware.Release(deployment.Components);
        }
    }
}
