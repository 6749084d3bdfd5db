namespace IronWasm.Benchmarks.Workloads;

/// <summary>The inputs of the decode+validate benchmark by name, built once per process (the
/// throughput column reads their sizes too).</summary>
internal static class DecodeWorkloads
{
    /// <summary>One large generated module (<see cref="SyntheticModule"/>).</summary>
    public const string Synthetic = "synthetic";
    /// <summary>All valid modules of the spec suite, one after another (<see cref="SpecSuiteModules"/>).</summary>
    public const string SpecSuite = "spec-suite";

    /// <summary>Functions in the synthetic module: enough for about 4 MB.</summary>
    public const int SyntheticFunctionCount = 14_000;

    private static readonly Lazy<IReadOnlyList<byte[]>> SyntheticModules = new(() => [SyntheticModule.Build(SyntheticFunctionCount, seed: 1)]);
    private static readonly Lazy<IReadOnlyList<byte[]>> SpecSuiteModuleList = new(SpecSuiteModules.Load);

    public static IReadOnlyList<byte[]> Get(string name) => name switch
    {
        Synthetic => SyntheticModules.Value,
        SpecSuite => SpecSuiteModuleList.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such workload"),
    };

    /// <summary>Total bytes of the workload's modules.</summary>
    public static long Bytes(string name) => Get(name).Sum(m => (long)m.Length);
}
