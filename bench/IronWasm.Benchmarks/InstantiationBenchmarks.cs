using BenchmarkDotNet.Attributes;
using IronWasm.Benchmarks.Workloads;

namespace IronWasm.Benchmarks;

/// <summary>Instantiating an already created module in a new store: the per-tenant cost of a module.
/// Nothing is compiled here (functions compile on first call); the setup checks that.</summary>
public class InstantiationBenchmarks
{
    /// <summary>A module with nothing in it: the fixed cost of a store and an instance.</summary>
    public const string Empty = "empty";
    /// <summary>10,000 functions of four signatures, one export.</summary>
    public const string FunctionsOnly = "10k-functions";
    /// <summary>10,000 functions, a one-page memory with data, a 1,000-entry table, globals, 100 exports.</summary>
    public const string Typical = "10k-typical";

    private Engine _engine = null!;
    private Module _module = null!;
    private Linker _linker = null!;

    [Params(Empty, FunctionsOnly, Typical)]
    public string Shape { get; set; } = FunctionsOnly;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new Engine();
        var bytes = Shape switch
        {
            Empty => ManyFunctionsModule.FunctionsOnly(0),
            FunctionsOnly => ManyFunctionsModule.FunctionsOnly(10_000),
            _ => ManyFunctionsModule.Typical(10_000),
        };
        _module = Module.FromBytes(_engine, "instantiate", bytes);
        _linker = new Linker(_engine);

        using (var store = new Store(_engine)) _linker.Instantiate(store, _module);
        int compiled = _module.Compiled.Methods.Count(m => m is not null);
        if (compiled != 0) throw new InvalidOperationException($"instantiation compiled {compiled} functions; it should compile none");
        Console.WriteLine($"// {Shape}: {bytes.Length:N0} bytes, {_module.Compiled.Methods.Length:N0} functions, none compiled by instantiation");
    }

    [Benchmark]
    public Instance Instantiate()
    {
        using var store = new Store(_engine);
        return _linker.Instantiate(store, _module);
    }
}
