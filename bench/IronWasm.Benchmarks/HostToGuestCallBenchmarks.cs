using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IronWasm.Benchmarks.Columns;

namespace IronWasm.Benchmarks;

/// <summary>Host-to-guest call overhead: calling an exported Wasm <c>add</c> of two i32 from C#, per
/// call, against a C# delegate to an equivalent (not inlined) method as the baseline.</summary>
[Config(typeof(OverheadConfig))]
public class HostToGuestCallBenchmarks
{
    private sealed class OverheadConfig : ManualConfig
    {
        public OverheadConfig() => AddColumn(new OverheadColumn());
    }

    /// <summary>Calls per operation; each benchmark's time is per call.</summary>
    public const int Calls = 1000;

    private const string Wat = """
        (module
          (func (export "add") (param i32 i32) (result i32)
            local.get 0
            local.get 1
            i32.add))
        """;

    private Store _store = null!;
    private Func<int, int, int> _delegate = null!;
    private Func<int, int, int> _typed = null!;
    private Function _function = null!;
    private readonly WasmValue[] _arguments = new WasmValue[2];
    private readonly WasmValue[] _results = new WasmValue[1];

    [GlobalSetup]
    public void Setup()
    {
        var engine = new Engine();
        _store = new Store(engine);
        var instance = new Linker(engine).Instantiate(_store, Module.FromText(engine, "add", Wat));
        _typed = instance.GetFunction<int, int, int>("add") ?? throw new InvalidOperationException("add is missing");
        _function = instance.GetFunction("add")!;
        _delegate = new Adder().Add;
        // The first call compiles the function; every benchmark measures calls after that.
        if (_typed(2, 3) != 5 || _delegate(2, 3) != 5) throw new InvalidOperationException("add is wrong");
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    private sealed class Adder
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public int Add(int a, int b) => a + b;
    }

    /// <summary>A C# delegate to a C# method: the floor any typed entry can approach.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int CSharpDelegate()
    {
        var add = _delegate;
        int accumulator = 0;
        for (int i = 0; i < Calls; i++) accumulator = add(accumulator, i);
        return accumulator;
    }

    /// <summary><c>Instance.GetFunction&lt;int, int, int&gt;</c>: the typed, allocation-free path.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int TypedGetFunction()
    {
        var add = _typed;
        int accumulator = 0;
        for (int i = 0; i < Calls; i++) accumulator = add(accumulator, i);
        return accumulator;
    }

    /// <summary><c>Function.Invoke(ReadOnlySpan&lt;WasmValue&gt;, Span&lt;WasmValue&gt;)</c>: the untyped path.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int InvokeWasmValues()
    {
        var function = _function;
        var arguments = _arguments;
        var results = _results;
        int accumulator = 0;
        for (int i = 0; i < Calls; i++)
        {
            arguments[0] = WasmValue.FromInt32(accumulator);
            arguments[1] = WasmValue.FromInt32(i);
            function.Invoke(arguments, results);
            accumulator = results[0].AsInt32();
        }
        return accumulator;
    }

    /// <summary><c>Function.Invoke(params object?[])</c>: the convenience path (boxes and allocates).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int InvokeObjects()
    {
        var function = _function;
        int accumulator = 0;
        for (int i = 0; i < Calls; i++) accumulator = (int)function.Invoke((object)accumulator, (object)i)!;
        return accumulator;
    }
}
