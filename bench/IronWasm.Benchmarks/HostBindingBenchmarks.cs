using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IronWasm.Benchmarks.Bindings;
using IronWasm.Benchmarks.Columns;
using IronWasm.Components.Bindings;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using IronWasm.Components.Wit;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

[assembly: WitHostBindings("wasi:i2c/i2c@0.2.0-draft", Namespace = "IronWasm.Benchmarks.Bindings")]

namespace IronWasm.Benchmarks;

/// <summary>A guest calling the host's <c>[method]i2c.write-read</c> (wasi:i2c: a borrowed bus,
/// an address, a 2-byte <c>list&lt;u8&gt;</c> to write, a length to read; the result, a
/// <c>result&lt;list&lt;u8&gt;, error-code&gt;</c> with 2 bytes, comes back through a return
/// area and a cabi_realloc'd list), per call: through the generated binding, through the dynamic
/// <see cref="ComponentValue"/> path, and (the baseline) a typed host function of the same core
/// signature that only returns a constant result, no canonical ABI work at all.</summary>
[Config(typeof(OverheadConfig))]
public class HostBindingBenchmarks
{
    private sealed class OverheadConfig : ManualConfig
    {
        public OverheadConfig() => AddColumn(new OverheadColumn());
    }

    /// <summary>Calls per operation; each benchmark's time is per call.</summary>
    public const int Calls = 1000;

    private const string Module = "wasi:i2c/i2c@0.2.0-draft";

    // Writes 2 bytes at 1024, calls write-read into the return area at 2048, and adds up the first
    // byte read. cabi_realloc hands out one fixed block: the guest reads each result before the next call.
    private const string Wat = $$"""
        (module
          (import "{{Module}}" "[method]i2c.write-read" (func $write_read (param i32 i32 i32 i32 i64 i32)))
          (memory (export "memory") 1)
          (data (i32.const 1024) "\0f\20")
          (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 4096))
          (func (export "run") (param $bus i32) (param $n i32) (result i32) (local $i i32) (local $sum i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (call $write_read (local.get $bus) (i32.const 0x5f) (i32.const 1024) (i32.const 2) (i64.const 2) (i32.const 2048))
              (local.set $sum (i32.add (local.get $sum)
                (i32.load8_u (i32.load (i32.const 2052)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (local.get $sum)))
        """;

    /// <summary>A bus that answers every write-read with the same two bytes.</summary>
    private sealed class Bus : I2c.II2c
    {
        private readonly byte[] _reading = [0x12, 0x34];

        public Result<byte[][], I2c.ErrorCode> Transaction(ushort address, I2c.Operation[] operations) => Result.Err(I2c.ErrorCode.Other);
        public Result<byte[], I2c.ErrorCode> Read(ushort address, ulong len) => Result.Err(I2c.ErrorCode.Other);
        public Result<Unit, I2c.ErrorCode> Write(ushort address, ReadOnlySpan<byte> data) => Result.Err(I2c.ErrorCode.Other);

        public Result<byte[], I2c.ErrorCode> WriteRead(ushort address, ReadOnlySpan<byte> write, ulong readLen) =>
            write.Length == 2 && readLen == 2 ? Result.Ok(_reading) : Result.Err(I2c.ErrorCode.Overrun);
    }

    private Store _store = null!;
    private Func<int, int, int> _generated = null!, _dynamic = null!, _raw = null!;
    private int _generatedBus, _dynamicBus;

    [GlobalSetup]
    public void Setup()
    {
        var engine = new Engine();
        _store = new Store(engine);
        var module = IronWasm.Module.FromText(engine, "i2c-guest", Wat);
        var wit = WitPackageLoader.LoadText(File.ReadAllText(WitFile()), WitFile()).Package.FindInterface("i2c")!;

        // The generated binding.
        var linker = new Linker(engine);
        var canonical = new CanonicalInstance();
        I2c.Define(linker, canonical);
        var instance = linker.Instantiate(_store, module);
        canonical.Bind(instance);
        var bus = I2c.I2cResource.Own(canonical, new Bus());
        _generatedBus = canonical.Handles.LowerOwn(bus.Resource, bus.Representation);
        _generated = Run(instance, _generatedBus);

        // The dynamic path: the same function as a ComponentCallback over ComponentValues.
        linker = new Linker(engine);
        canonical = new CanonicalInstance();
        var busType = new ResourceType("i2c");
        canonical.UseResource(wit.FindType("i2c")!, busType);
        var reading = new byte[] { 0x12, 0x34 };
        linker.DefineInterface(canonical, wit, function => function.CanonicalName == "[method]i2c.write-read"
            ? (arguments, results) =>
            {
                bool valid = arguments[2].Elements.Count == 2 && arguments[3].AsU64() == 2;
                results[0] = valid ? V.Ok(V.List(V.U8(reading[0]), V.U8(reading[1]))) : V.Error(V.Variant(3));
            }
            : null);
        instance = linker.Instantiate(_store, module);
        canonical.Bind(instance);
        _dynamicBus = canonical.Handles.New(busType, 1);
        _dynamic = Run(instance, _dynamicBus);

        // The floor: a host function of the same core type that writes a fixed answer.
        linker = new Linker(engine);
        Memory? memory = null;
        linker.DefineFunction(Module, "[method]i2c.write-read", (int self, int address, int write, int writeLength, long readLength, int area) =>
        {
            var span = memory!.GetSpan(0, 8192);
            span[4096] = 0x12;
            span[4097] = 0x34;
            span[area] = 0;
            BitConverter.TryWriteBytes(span.Slice(area + 4, 4), 4096);
            BitConverter.TryWriteBytes(span.Slice(area + 8, 4), 2);
        });
        instance = linker.Instantiate(_store, module);
        memory = instance.GetMemory("memory");
        _raw = Run(instance, 1);
    }

    private static string WitFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "wit", "deps", "wasi-i2c", "i2c.wit");

    private static Func<int, int, int> Run(Instance instance, int bus)
    {
        var run = instance.GetFunction<int, int, int>("run") ?? throw new InvalidOperationException("run is missing");
        // The first call compiles; check the answer while at it.
        if (run(bus, 10) != 10 * 0x12) throw new InvalidOperationException("the guest read the wrong bytes");
        return run;
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>The same core call with a host function that does no canonical ABI work.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int CoreImport() => _raw(1, Calls);

    /// <summary>Through the generated binding: typed lifting, a span over the written bytes, a direct lowering.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int GeneratedBinding() => _generated(_generatedBus, Calls);

    /// <summary>Through <see cref="ComponentLinkerExtensions.DefineInterface"/> and ComponentValues.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int DynamicComponentValues() => _dynamic(_dynamicBus, Calls);
}
