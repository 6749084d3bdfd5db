using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IronWasm.Benchmarks.Columns;
using IronWasm.Benchmarks.Workloads;
using IronWasm.Binary;
using IronWasm.Validation;

namespace IronWasm.Benchmarks;

/// <summary>Decode and validation throughput, in MB of module per second (the MB/s column), on one
/// large generated module and on every valid module of the spec suite.</summary>
[Config(typeof(ThroughputConfig))]
public class DecodeValidateBenchmarks
{
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() =>
            AddColumn(PerUnitColumn.MegabytesPerSecond(c => DecodeWorkloads.Bytes((string)c.Parameters[nameof(Workload)])));
    }

    private IReadOnlyList<byte[]> _modules = [];
    private Engine _engine = null!;

    [ParamsSource(nameof(Workloads))]
    public string Workload { get; set; } = DecodeWorkloads.Synthetic;

    public static IEnumerable<string> Workloads() =>
        SpecSuiteModules.FindSuite() is null ? [DecodeWorkloads.Synthetic] : [DecodeWorkloads.Synthetic, DecodeWorkloads.SpecSuite];

    [GlobalSetup]
    public void Setup()
    {
        _modules = DecodeWorkloads.Get(Workload);
        _engine = new Engine();
        Console.WriteLine($"// {Workload}: {_modules.Count} module(s), {DecodeWorkloads.Bytes(Workload):N0} bytes");
    }

    /// <summary>Binary decoding alone (function bodies stay encoded; they are read by validation).</summary>
    [Benchmark]
    public int Decode()
    {
        int functions = 0;
        foreach (var bytes in _modules) functions += ModuleDecoder.Decode(bytes).Bodies.Count;
        return functions;
    }

    /// <summary>Decoding then validating: what every module costs before it can run.</summary>
    [Benchmark(Baseline = true)]
    public int DecodeAndValidate()
    {
        int functions = 0;
        foreach (var bytes in _modules)
        {
            var definition = ModuleDecoder.Decode(bytes);
            ModuleValidator.Validate(definition);
            functions += definition.Bodies.Count;
        }
        return functions;
    }

    /// <summary>The public entry point: decode, validate, and the module object (import and export
    /// descriptors, the empty compiled-method table). Compiles nothing.</summary>
    [Benchmark]
    public int ModuleFromBytes()
    {
        int exports = 0;
        foreach (var bytes in _modules) exports += Module.FromBytes(_engine, "bench", bytes).Exports.Count;
        return exports;
    }
}
