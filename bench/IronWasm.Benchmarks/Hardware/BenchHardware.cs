using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using IronWasm.Benchmarks.Columns;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using IronWasm.Hardware.Deployment;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;

namespace IronWasm.Benchmarks.Hardware;

/// <summary>The machine the hardware benchmarks run on: a simulated I2C bus with an HTS221 (no
/// conversion time, so a read never waits) and a TM1650, a still environment, and a policy granting
/// the sensor and display guests their chips.</summary>
internal sealed class BenchHardware : IDisposable
{
    public const string Bus = "bench-i2c";
    public const ushort Hts221 = 0x5f, Tm1650 = 0x24;

    private const string PolicyText = """
        guests:
          sensor:
            i2c:
              - bus: bench-i2c
                addresses: [0x5f]
                access: read-write
          display:
            i2c:
              - bus: bench-i2c
                addresses: [0x24, 0x34-0x37]
                access: read-write
        """;

    public BenchHardware()
    {
        Inventory = HardwareInventory.FromSimulation(SimulatedHardware.FromInline($"i2c:{Bus}=hts221@0x5f,tm1650@0x24;env:temperature=21.5,humidity=45"));
        Policy = new PolicyEngine(AccessPolicy.Parse(PolicyText, "bench.policy.yaml"));
        Host = new HardwareHost(Inventory, Policy);
    }

    public HardwareInventory Inventory { get; }
    public PolicyEngine Policy { get; }
    public HardwareHost Host { get; }
    public SimulatedI2cBus I2cBus => Inventory.Simulation!.GetI2cBus(Bus);

    /// <summary>guests/drivers/NAME.wasm or guests/apps/NAME.wasm.</summary>
    public static byte[] Guest(string path, [System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "guests", path + ".wasm"));

    /// <summary>The HTS221 driver alone as a component, with the hardware host's imports, instantiated
    /// and attached: ready for read().</summary>
    public (ComponentHost Components, GuestFunction Read) AttachSensorDriver(Engine engine, Module driver)
    {
        var components = new ComponentHost(engine) { DefineHostImports = (_, linker, canonical) => Host.DefineImports(linker, canonical, "sensor") };
        components.AddComponent("sensor", driver, DeviceWit.World(DeviceWorld.SensorDriver));
        components.Instantiate();
        var canonical = components["sensor"].Canonical!;
        var (bus, delay) = Host.OpenI2cForAttach(canonical, "sensor", Bus);
        var attached = components.GetFunction("sensor", DeviceWit.I2cAttach + "#attach").Invoke(bus, delay, ComponentValue.U16(Hts221))!.Value;
        if (attached.CaseIndex != 0) throw new InvalidOperationException($"attach failed: {attached.Payload}");
        return (components, components.GetFunction("sensor", DeviceWit.Sensor + "#read"));
    }

    /// <summary>The temperature of a read() result; throws when the driver reported an error.</summary>
    public static float Temperature(ComponentValue reading) =>
        reading.CaseIndex == 0 ? reading.Payload!.Value.Elements[0].AsF32() : throw new InvalidOperationException($"read failed: {reading.Payload}");

    /// <summary>Closes the bus handles of every instance of <paramref name="components"/> and frees their memories.</summary>
    public void Release(ComponentHost components)
    {
        foreach (var component in components.Components)
            if (component.Canonical is { } canonical) Host.Release(canonical);
        components.Store.Dispose();
    }

    public void Dispose()
    {
        Host.Dispose();
        Inventory.Dispose();
    }
}

/// <summary>Median minus the baseline's median, divided by the I2C operations one read does: what
/// running the driver as a Wasm guest adds to each bus operation.</summary>
internal sealed class PerI2cOperationColumn(int operationsPerRead) : IColumn
{
    public string Id => nameof(PerI2cOperationColumn);
    public string ColumnName => "Overhead ns/I2C op";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 2;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"(Median - baseline median) / {operationsPerRead} I2C operations per read, in nanoseconds";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        var baselineMedian = baseline is null ? null : summary[baseline]?.ResultStatistics?.Median;
        if (median is not { } m || baselineMedian is not { } b) return "-";
        return ((m - b) / operationsPerRead).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public override string ToString() => ColumnName;
}
