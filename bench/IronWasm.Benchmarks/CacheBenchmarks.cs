using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace IronWasm.Benchmarks;

/// <summary>Loading a compiled module in process and instantiating it, for the largest module in
/// bench/programs: what a host pays to start a module from the compilation cache. Every variant ends
/// with an instance ready to run (its WASI imports bound to no-op host functions).</summary>
/// <remarks>These repeat the same load, which reuses the assembly loaded the first time;
/// <see cref="CacheFirstLoadBenchmarks"/> measures a load that really loads one.</remarks>
public class CacheBenchmarks
{
    /// <summary>Distinct copies made for <see cref="FirstLoad"/>: enough for every invocation of
    /// <see cref="CacheFirstLoadBenchmarks"/> (its warm-up and measured iterations, and the stages
    /// BenchmarkDotNet runs before them, which take more than one invocation).</summary>
    internal const int Variants = 2 * (CacheFirstLoadBenchmarks.Warmups + CacheFirstLoadBenchmarks.Iterations) * CacheFirstLoadBenchmarks.LoadsPerIteration;

    private Engine _engine = null!;
    private Linker _linker = null!;
    private byte[] _wasm = null!;
    private byte[] _serialized = null!;
    private byte[][]? _variants;
    private int _next;
    private Engine _cachedEngine = null!;
    private string _cacheDirectory = null!;

    /// <summary>The module, relative to the repository root; null for the largest in bench/programs.</summary>
    internal string? ModulePath { get; set; }

    /// <summary>How compiled code is loaded (every variant but <see cref="CompileAndInstantiate"/>).</summary>
    [Params(CompiledCodeLoading.Assembly, CompiledCodeLoading.DynamicMethods)]
    public CompiledCodeLoading Loading { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _wasm = File.ReadAllBytes(ModulePath is null ? LargestProgram() : Path.Combine(RepositoryRoot(), ModulePath));
        _engine = new Engine(new Config().WithCompiledCodeLoading(Loading));
        var module = Module.FromBytes(_engine, "interp", _wasm);
        _serialized = module.Serialize();
        _linker = new Linker(_engine);
        // No-op imports of the right types: instantiation resolves them as it would real WASI ones.
        foreach (var import in module.Imports)
        {
            var results = import.FunctionType!.Results;
            _linker.DefineFunction(import.ModuleName, import.Name, import.FunctionType, (_, _, outputs) =>
            {
                for (int i = 0; i < results.Count; i++) outputs[i] = WasmValue.FromInt32(0);
            });
        }

        _cacheDirectory = Directory.CreateTempSubdirectory("ironwasm-bench-cache-").FullName;
        _cachedEngine = new Engine(new Config().WithCompilationCache(_cacheDirectory).WithCompiledCodeLoading(Loading));
        Module.FromBytes(_cachedEngine, "interp", _wasm);
        Console.WriteLine($"// {ModulePath ?? Path.GetFileName(LargestProgram())}: {_wasm.Length:N0} bytes of Wasm, {_serialized.Length:N0} bytes compiled");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_variants is not null) Console.WriteLine($"// {_next} first loads");
        Directory.Delete(_cacheDirectory, recursive: true);
    }

    /// <summary>Compiles the distinct copies <see cref="FirstLoad"/> loads (after <see cref="Setup"/>),
    /// then warms the engine's loading code up with more copies.</summary>
    internal void PrepareFirstLoads()
    {
        _variants = new byte[Variants][];
        _next = 0;
        for (int i = 0; i < Variants; i++) _variants[i] = Variant(i);
        // The runtime tiers the engine's own code up once calls to it pause for 100 ms, in two steps
        // with dynamic PGO (instrumented, then optimised); BenchmarkDotNet's few warm-up invocations
        // run back to back and would measure the loader still unoptimised, as a host that has run a
        // while never runs it. So: rounds of first loads of other copies, with pauses between them.
        for (int round = 0; round < WarmupRounds; round++)
        {
            for (int i = 0; i < WarmupLoadsPerRound; i++) Instantiate(Module.Deserialize(_engine, Variant(Variants + round * WarmupLoadsPerRound + i)));
            Thread.Sleep(300);
        }
    }

    private const int WarmupRounds = 4, WarmupLoadsPerRound = 40;

    private byte[] Variant(int i) =>
        Module.FromBytes(_engine, "interp", Measurement.DistinctCopy(_wasm, i)).Serialize();

    /// <summary>Decode and validate, then instantiate: starting the module without any cache
    /// (functions are compiled on first call, after this).</summary>
    [Benchmark(Baseline = true)]
    public Instance CompileAndInstantiate() => Instantiate(Module.FromBytes(_engine, "interp", _wasm));

    /// <summary>Deserialize bytes this process already loaded, then instantiate.</summary>
    [Benchmark]
    public Instance DeserializeAndInstantiate() => Instantiate(Module.Deserialize(_engine, _serialized));

    /// <summary>Through the on-disk cache: hash the Wasm, read and verify the entry, then instantiate.</summary>
    [Benchmark]
    public Instance CacheHitAndInstantiate() => Instantiate(Module.FromBytes(_cachedEngine, "interp", _wasm));

    /// <summary>Deserialize bytes never loaded before (the assembly is loaded), then instantiate.</summary>
    public Instance FirstLoad()
    {
        if (_variants is null) throw new InvalidOperationException("PrepareFirstLoads was not called");
        if (_next == _variants.Length) throw new InvalidOperationException("every distinct variant was loaded already; a repeat would measure a reload");
        return Instantiate(Module.Deserialize(_engine, _variants[_next++]));
    }

    private Instance Instantiate(Module module)
    {
        var store = new Store(module.Engine);
        var linker = module.Engine == _engine ? _linker : LinkerFor(module);
        return linker.Instantiate(store, module);
    }

    private Linker? _cachedLinker;

    private Linker LinkerFor(Module module)
    {
        if (_cachedLinker is not null) return _cachedLinker;
        _cachedLinker = new Linker(module.Engine);
        foreach (var import in module.Imports)
        {
            var results = import.FunctionType!.Results;
            _cachedLinker.DefineFunction(import.ModuleName, import.Name, import.FunctionType, (_, _, outputs) =>
            {
                for (int i = 0; i < results.Count; i++) outputs[i] = WasmValue.FromInt32(0);
            });
        }
        return _cachedLinker;
    }

    /// <summary>The largest .wasm in bench/programs.</summary>
    private static string LargestProgram() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "bench", "programs"), "*.wasm").OrderByDescending(f => new FileInfo(f).Length).First();

    /// <summary>The repository: the first directory holding bench/programs/*.wasm above this source file
    /// or the working directory.</summary>
    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(source) ?? "", Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = start.Length > 0 ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
            {
                var programs = Path.Combine(dir.FullName, "bench", "programs");
                if (Directory.Exists(programs) && Directory.GetFiles(programs, "*.wasm").Length > 0) return dir.FullName;
            }
        }
        throw new FileNotFoundException("bench/programs/*.wasm not found above this source file or the working directory");
    }
}

/// <summary>Deserializing bytes this process has never loaded, so the code is really loaded each
/// time (for each way of loading compiled code), then instantiating: each load on a distinct copy of the module (a custom section with the
/// copy's number makes the bytes differ). For three sizes: the largest program in bench/programs, a
/// sensor driver (what a device host loads from its cache) and hello world. Eight loads per iteration:
/// with one, each iteration's set-up (a forced collection among it) leaves memory and caches cold and
/// the figure is about 0.5 ms whatever the module, which is what the harness costs, not the load.</summary>
[InvocationCount(LoadsPerIteration)]
[WarmupCount(Warmups)]
[IterationCount(Iterations)]
public class CacheFirstLoadBenchmarks
{
    internal const int LoadsPerIteration = 8, Warmups = 3, Iterations = 40;

    private readonly CacheBenchmarks _inner = new();

    [Params("bench/programs/interp.wasm", "guests/drivers/hts221.wasm", "guests/hello.wasm")]
    public string Wasm { get; set; } = "";

    /// <summary>How the copies are loaded. The cases share one process (in-process toolchain), and
    /// every assembly an Assembly case loads stays in it (about 700 per case), which slows the cases
    /// after it (the DynamicMethods cases took 1.5 to 2.5 times as long after the Assembly cases as in
    /// a run of their own); `-- first-load` (FirstLoadBench) runs each case in a process of its own.</summary>
    [Params(CompiledCodeLoading.Assembly, CompiledCodeLoading.DynamicMethods)]
    public CompiledCodeLoading Loading { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inner.ModulePath = Wasm;
        _inner.Loading = Loading;
        _inner.Setup();
        _inner.PrepareFirstLoads();
    }

    [GlobalCleanup]
    public void Cleanup() => _inner.Cleanup();

    [Benchmark]
    public Instance FirstLoad() => _inner.FirstLoad();
}
