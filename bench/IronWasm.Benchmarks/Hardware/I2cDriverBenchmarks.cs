using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IronWasm.Benchmarks.Columns;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;

namespace IronWasm.Benchmarks.Hardware;

/// <summary>One sensor read of the HTS221 on a simulated bus: the Wasm driver
/// (guests/drivers/hts221.wasm) called through the canonical ABI, with every bus operation going
/// through the generated wasi:i2c binding and the policy check; against the same driver written in C#
/// (<see cref="CSharpHts221Driver"/>) on the same bus, with and without the same policy check. A read
/// is <see cref="I2cOperationsPerRead"/> bus operations (write CTRL_REG2; read STATUS_REG; read the
/// four output bytes), so the overhead per operation is the difference divided by that.</summary>
[Config(typeof(ColumnsConfig))]
public class I2cDriverBenchmarks
{
    public const int I2cOperationsPerRead = 3;

    private sealed class ColumnsConfig : ManualConfig
    {
        public ColumnsConfig()
        {
            AddColumn(new OverheadColumn());
            AddColumn(new PerI2cOperationColumn(I2cOperationsPerRead));
        }
    }

    /// <summary>The bus a native driver would use if it checked the policy as the host does.</summary>
    private sealed class PolicyCheckedBus(II2cBus bus, I2cLease lease) : II2cBus
    {
        public string Name => bus.Name;
        public string Description => bus.Description;

        public I2cStatus Transfer(ushort address, ReadOnlySpan<I2cMessage> messages)
        {
            var access = I2cAccess.None;
            foreach (var message in messages) access |= message.IsRead ? I2cAccess.Read : I2cAccess.Write;
            return lease.Check(address, access) == PolicyVerdict.Granted ? bus.Transfer(address, messages) : I2cStatus.Other;
        }

        public void Dispose() { }
    }

    private BenchHardware _hardware = null!;
    private Engine _engine = null!;
    private ComponentHost _components = null!;
    private GuestFunction _wasmRead = null!;
    private readonly ComponentValue[] _result = new ComponentValue[1];
    private CSharpHts221Driver _csharp = null!, _checked = null!;
    private I2cLease _lease = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hardware = new BenchHardware();
        _engine = new Engine();
        (_components, _wasmRead) = _hardware.AttachSensorDriver(_engine, Module.FromBytes(_engine, "hts221", BenchHardware.Guest("drivers/hts221")));
        _csharp = new CSharpHts221Driver(_hardware.I2cBus, BenchHardware.Hts221);
        _hardware.Policy.OpenI2c("sensor", BenchHardware.Bus, out var lease);
        _lease = lease!;
        _checked = new CSharpHts221Driver(new PolicyCheckedBus(_hardware.I2cBus, _lease), BenchHardware.Hts221);
        if (!_csharp.Attach() || !_checked.Attach()) throw new InvalidOperationException("the C# driver did not attach");
        // Both drivers read the same air (21.5 °C within the HTS221's resolution).
        float wasm = WasmDriver(), native = CSharpDriver();
        if (Math.Abs(wasm - 21.5f) > 0.05f || Math.Abs(native - wasm) > 0.001f) throw new InvalidOperationException($"the drivers disagree: Wasm {wasm}, C# {native}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lease.Dispose();
        _hardware.Release(_components);
        _hardware.Dispose();
    }

    /// <summary>The C# driver on the bus, no policy: a native program.</summary>
    [Benchmark(Baseline = true)]
    public float CSharpDriver() => _csharp.Read().Temperature;

    /// <summary>The C# driver with the host's policy check before each bus operation.</summary>
    [Benchmark]
    public float CSharpDriverWithPolicyChecks() => _checked.Read().Temperature;

    /// <summary>The Wasm driver's read(): the canonical ABI call in and out, the guest's code, and each
    /// bus operation through the wasi:i2c host (binding, handle, policy check).</summary>
    [Benchmark]
    public float WasmDriver()
    {
        _wasmRead.Invoke([], _result);
        return BenchHardware.Temperature(_result[0]);
    }
}
