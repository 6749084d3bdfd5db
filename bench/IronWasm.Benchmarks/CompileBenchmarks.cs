using System.Reflection.Emit;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IronWasm.Benchmarks.Columns;
using IronWasm.Benchmarks.Workloads;
using IronWasm.Compilation;
using IronWasm.Runtime;

namespace IronWasm.Benchmarks;

/// <summary>Compile time per KB of function body code (the us/KB column), over every function of a
/// generated module: to CIL alone, to a bound delegate, and through the .NET JIT to native code.</summary>
/// <remarks>A DynamicMethod is JIT-compiled on its first call, so the JIT case calls each compiled
/// function once with (0, 0), which the generator makes cheap and trap-free; its running time is
/// negligible next to the JIT. Each operation compiles into fresh DynamicMethods (the compiler does
/// not cache; only <c>CompiledModule.GetMethod</c> does), and calls between the functions go through
/// their (uncompiled) lazy stubs, as when a module's functions compile one by one on first call.</remarks>
[Config(typeof(PerKilobyteConfig))]
public class CompileBenchmarks
{
    private sealed class PerKilobyteConfig : ManualConfig
    {
        public PerKilobyteConfig() => AddColumn(PerUnitColumn.MicrosecondsPerKilobyte(_ => CodeBytes.Value));
    }

    /// <summary>Functions compiled per operation.</summary>
    public const int FunctionCount = 200;

    private static readonly Lazy<byte[]> Binary = new(() => SyntheticModule.Build(FunctionCount, seed: 2));

    /// <summary>Bytes of function body code (each body's instructions, without its local declarations) in the module.</summary>
    public static readonly Lazy<double> CodeBytes = new(() =>
        Module.FromBytes(new Engine(), "compile", Binary.Value).Compiled.Definition.Bodies.Sum(b => (double)b.Code.Length));

    private Store _store = null!;
    private InstanceContext _context = null!;
    private CompiledModule _module = null!;
    private int _count;

    [GlobalSetup]
    public void Setup()
    {
        var engine = new Engine();
        var module = Module.FromBytes(engine, "compile", Binary.Value);
        var linker = new Linker(engine).DefineFunction<int, int>(SyntheticModule.HostModule, SyntheticModule.HostName, x => x);
        _store = new Store(engine);
        _context = linker.Instantiate(_store, module).Context;
        _module = _context.Module;
        _count = _module.Definition.Bodies.Count;
        int cil = CompileToCil();
        Console.WriteLine($"// {_count} functions, {CodeBytes.Value:N0} bytes of body code, {cil:N0} bytes of CIL ({cil / CodeBytes.Value:F1} per Wasm byte)");
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>Wasm to CIL: emitting each function's DynamicMethod.</summary>
    [Benchmark(Baseline = true)]
    public int CompileToCil()
    {
        int total = 0;
        for (int i = 0; i < _count; i++) total += FunctionCompiler.Compile(_module, i).GetILGenerator().ILOffset;
        return total;
    }

    /// <summary>CIL plus binding: CreateDelegate, which finalizes the DynamicMethod for the runtime.</summary>
    [Benchmark]
    public int CompileAndBind()
    {
        int total = 0;
        for (int i = 0; i < _count; i++) total += Bind(FunctionCompiler.Compile(_module, i)).GetHashCode() & 1;
        return total;
    }

    /// <summary>Wasm to native code: CIL, binding, and the JIT (forced by one cheap call).</summary>
    [Benchmark]
    public int CompileAndJit()
    {
        int total = 0;
        for (int i = 0; i < _count; i++) total += Bind(FunctionCompiler.Compile(_module, i))(0, 0);
        return total;
    }

    private Func<int, int, int> Bind(DynamicMethod method) => method.CreateDelegate<Func<int, int, int>>(_context);
}
