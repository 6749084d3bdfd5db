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
    internal const int Variants = 80;

    private Engine _engine = null!;
    private Linker _linker = null!;
    private byte[] _wasm = null!;
    private byte[] _serialized = null!;
    private byte[][] _variants = null!;
    private int _next;
    private Engine _cachedEngine = null!;
    private string _cacheDirectory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _wasm = File.ReadAllBytes(LargestProgram());
        _engine = new Engine();
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
        _variants = new byte[Variants][];
        _next = 0;
        for (int i = 0; i < Variants; i++)
            _variants[i] = Module.FromBytes(_engine, "interp", [.. _wasm, 0, 6, 5, (byte)'v', (byte)'a', (byte)'r', (byte)'i', (byte)i]).Serialize();

        _cacheDirectory = Directory.CreateTempSubdirectory("ironwasm-bench-cache-").FullName;
        _cachedEngine = new Engine(new Config().WithCompilationCache(_cacheDirectory));
        Module.FromBytes(_cachedEngine, "interp", _wasm);
        Console.WriteLine($"// {Path.GetFileName(LargestProgram())}: {_wasm.Length:N0} bytes of Wasm, {_serialized.Length:N0} bytes compiled");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_cacheDirectory, recursive: true);

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
        if (_next == Variants) throw new InvalidOperationException("every distinct variant was loaded already; a repeat would measure a reload");
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

    /// <summary>The largest .wasm in bench/programs, found from this source file or the working directory.</summary>
    private static string LargestProgram([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(source) ?? "", Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = start.Length > 0 ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
            {
                var programs = Path.Combine(dir.FullName, "bench", "programs");
                if (Directory.Exists(programs) && Directory.GetFiles(programs, "*.wasm").Length > 0)
                    return Directory.GetFiles(programs, "*.wasm").OrderByDescending(f => new FileInfo(f).Length).First();
            }
        }
        throw new FileNotFoundException("bench/programs/*.wasm not found above this source file or the working directory");
    }
}

/// <summary>Deserializing bytes this process has never loaded, so the assembly is really loaded each
/// time, then instantiating: one load per iteration, each on a distinct copy of the module (a custom
/// section with the copy's number makes the bytes differ).</summary>
[InvocationCount(1, 1)]
[WarmupCount(4)]
[IterationCount(CacheBenchmarks.Variants - 16)]
public class CacheFirstLoadBenchmarks
{
    private readonly CacheBenchmarks _inner = new();

    [GlobalSetup]
    public void Setup() => _inner.Setup();

    [GlobalCleanup]
    public void Cleanup() => _inner.Cleanup();

    [Benchmark]
    public Instance FirstLoad() => _inner.FirstLoad();
}
