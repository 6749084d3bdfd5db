using BenchmarkDotNet.Attributes;

namespace IronWasm.Benchmarks.Hardware;

/// <summary>A compiled HTS221 driver this process has never loaded, to its first sensor reading: load
/// (<see cref="Module.Deserialize(Engine, ReadOnlySpan{byte})"/>), instantiate with the hardware host's
/// imports, attach (the driver probes the chip and reads its calibration) and read once; then the same
/// driver's second reading. What a host pays when a driver is plugged in while it runs, for each way of
/// loading compiled code: as an assembly (tier-0 JIT compilation of each function on its first call)
/// or as DynamicMethods (no assembly load; each function fully optimised on its first call).</summary>
/// <remarks>Each invocation loads a distinct copy of the driver (a custom section with the copy's
/// number makes the bytes differ); eight per iteration, for the reasons given on
/// <see cref="CacheFirstLoadBenchmarks"/>.</remarks>
[InvocationCount(LoadsPerIteration)]
[WarmupCount(Warmups)]
[IterationCount(Iterations)]
public class DriverFirstLoadBenchmarks
{
    private const int LoadsPerIteration = 8, Warmups = 3, Iterations = 30;

    private BenchHardware _hardware = null!;
    private Engine _engine = null!;
    private byte[][] _copies = null!;
    private int _next;

    [Params(CompiledCodeLoading.Assembly, CompiledCodeLoading.DynamicMethods)]
    public CompiledCodeLoading Loading { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _hardware = new BenchHardware();
        _engine = new Engine(new Config().WithCompiledCodeLoading(Loading));
        var driver = BenchHardware.Guest("drivers/hts221");
        // Enough for every invocation, BenchmarkDotNet's own stages included.
        // Enough for every invocation, BenchmarkDotNet's own stages included, and the warm-up below.
        _copies = new byte[2 * (Warmups + Iterations) * LoadsPerIteration + WarmupRounds * WarmupReadingsPerRound][];
        for (int i = 0; i < _copies.Length; i++)
            _copies[i] = Module.FromBytes(_engine, "hts221", Measurement.DistinctCopy(driver, i)).Serialize();
        _next = 0;
        // The host's and the engine's own code warmed up and tiered as in a host that has run a while
        // (see CacheBenchmarks.PrepareFirstLoads): rounds of first readings with pauses between them.
        for (int round = 0; round < WarmupRounds; round++)
        {
            for (int i = 0; i < WarmupReadingsPerRound; i++) Readings(second: false);
            Thread.Sleep(300);
        }
    }

    private const int WarmupRounds = 4, WarmupReadingsPerRound = 10;

    [GlobalCleanup]
    public void Cleanup() => _hardware.Dispose();

    [Benchmark]
    public float FirstReading() => Readings(second: false);

    [Benchmark]
    public float FirstAndSecondReading() => Readings(second: true);

    private float Readings(bool second)
    {
        if (_next == _copies.Length) throw new InvalidOperationException("every copy was loaded already; a repeat would measure a reload");
        var (components, read) = _hardware.AttachSensorDriver(_engine, Module.Deserialize(_engine, _copies[_next++]));
        try
        {
            float temperature = BenchHardware.Temperature(read.Invoke()!.Value);
            if (second) temperature = BenchHardware.Temperature(read.Invoke()!.Value);
            if (Math.Abs(temperature - 21.5f) > 0.05f) throw new InvalidOperationException($"the driver read {temperature} °C");
            return temperature;
        }
        finally
        {
            _hardware.Release(components);
        }
    }
}
