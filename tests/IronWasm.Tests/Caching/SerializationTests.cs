using IronWasm.Runtime;
using IronWasm.Text;

namespace IronWasm.Tests.Caching;

/// <summary>A module saved with <see cref="Module.Serialize"/> and loaded back with
/// <see cref="Module.Deserialize(Engine, ReadOnlySpan{byte})"/> behaves exactly like the module compiled
/// from its Wasm: same results, same imports, memories, tables and globals, same traps and backtraces.
/// Loaded as an assembly here, as DynamicMethods in <see cref="DynamicMethodSerializationTests"/>.</summary>
public class SerializationTests
{
    /// <summary>How the engines of these tests load compiled code.</summary>
    protected virtual CompiledCodeLoading Loading => CompiledCodeLoading.Assembly;

    /// <summary>An engine with <paramref name="config"/> (default settings when null) that loads compiled code the tested way.</summary>
    private protected Engine NewEngine(Config? config = null) => new((config ?? new Config()).WithCompiledCodeLoading(Loading));

    internal static Module RoundTrip(Module module) => Module.Deserialize(module.Engine, module.Serialize());

    private (Instance Fresh, Instance Loaded) Both(string wat, Config? config = null, Action<Linker, Store>? define = null)
    {
        var engine = NewEngine(config);
        var fresh = Module.FromText(engine, "test", wat);
        var loaded = RoundTrip(fresh);
        Assert.NotNull(loaded.Compiled.Code);
        Assert.Null(fresh.Compiled.Code);
        return (Instantiate(fresh, define), Instantiate(loaded, define));
    }

    private static Instance Instantiate(Module module, Action<Linker, Store>? define)
    {
        var store = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        define?.Invoke(linker, store);
        return linker.Instantiate(store, module);
    }

    [Fact]
    public void DeserializedModuleComputesWhatTheFreshOneDoes()
    {
        var (fresh, loaded) = Both("""
            (module
              (func $fib (export "fib") (param i32) (result i32)
                (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
                  (then (local.get 0))
                  (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                 (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
              (func (export "mix") (param i64 f64) (result f64)
                (f64.add (f64.convert_i64_s (local.get 0)) (f64.sqrt (local.get 1)))))
            """);
        Assert.Equal(fresh.GetFunction<int, int>("fib")!(20), loaded.GetFunction<int, int>("fib")!(20));
        Assert.Equal(6765, loaded.GetFunction<int, int>("fib")!(20));
        Assert.Equal(fresh.GetFunction<long, double, double>("mix")!(-7, 2.25), loaded.GetFunction<long, double, double>("mix")!(-7, 2.25));
    }

    [Fact]
    public void DeserializedModuleCallsItsImports()
    {
        var calls = new List<int>();
        void Define(Linker linker, Store store) => linker.DefineFunction("env", "log", (int value) => calls.Add(value));
        var (fresh, loaded) = Both("""
            (module (import "env" "log" (func $log (param i32)))
              (func (export "run") (param i32) (call $log (i32.mul (local.get 0) (i32.const 3)))))
            """, define: Define);
        fresh.GetAction<int>("run")!(5);
        loaded.GetAction<int>("run")!(7);
        Assert.Equal([15, 21], calls);
    }

    [Fact]
    public void DeserializedModuleKeepsMemoryDataAndGrowth()
    {
        var (fresh, loaded) = Both("""
            (module (memory (export "memory") 1 4)
              (data (i32.const 16) "\2a\00\00\00")
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size)))
            """);
        foreach (var instance in new[] { fresh, loaded })
        {
            Assert.Equal(42, instance.GetFunction<int, int>("load")!(16));
            Assert.Equal(1, instance.GetFunction<int, int>("grow")!(2));
            Assert.Equal(3, instance.GetFunction<int>("size")!());
            Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("load")!(3 * 65536 - 2)).Code);
        }
    }

    [Fact]
    public void DeserializedModuleCallsThroughTablesAndChecksSignatures()
    {
        var (fresh, loaded) = Both("""
            (module
              (type $unary (func (param i32) (result i32)))
              (type $nullary (func (result i32)))
              (table 4 funcref)
              (elem (i32.const 0) $double $square $seven)
              (func $double (type $unary) (i32.add (local.get 0) (local.get 0)))
              (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
              (func $seven (type $nullary) (i32.const 7))
              (func (export "apply") (param i32 i32) (result i32)
                (call_indirect (type $unary) (local.get 1) (local.get 0))))
            """);
        foreach (var instance in new[] { fresh, loaded })
        {
            var apply = instance.GetFunction<int, int, int>("apply")!;
            Assert.Equal(18, apply(0, 9));
            Assert.Equal(81, apply(1, 9));
            Assert.Equal(TrapCode.BadSignature, Assert.Throws<TrapException>(() => apply(2, 9)).Code);
            Assert.Equal(TrapCode.IndirectCallToNull, Assert.Throws<TrapException>(() => apply(3, 9)).Code);
            Assert.Equal(TrapCode.TableOutOfBounds, Assert.Throws<TrapException>(() => apply(4, 9)).Code);
        }
    }

    [Fact]
    public void TypeChecksOfIndirectCallsHoldAcrossModulesOfBothKinds()
    {
        // The callee's type id comes from a lazily compiled module, the check from persisted code: ids are
        // numbered per process, so persisted code must not have them baked in.
        var engine = NewEngine();
        var store = new Store(engine);
        var linker = new Linker(engine);
        var provider = linker.Instantiate(store, Module.FromText(engine, "provider", """
            (module (table (export "table") 2 funcref) (elem (i32.const 0) $inc $pair)
              (func $inc (param i64) (result i64) (i64.add (local.get 0) (i64.const 1)))
              (func $pair (param i64) (result i64 i64) (local.get 0) (local.get 0)))
            """));
        linker.DefineInstance(store, "provider", provider);
        var caller = RoundTrip(Module.FromText(engine, "caller", """
            (module (import "provider" "table" (table 2 funcref))
              (func (export "call") (param i32 i64) (result i64) (call_indirect (param i64) (result i64) (local.get 1) (local.get 0))))
            """));
        var call = linker.Instantiate(store, caller).GetFunction<int, long, long>("call")!;
        Assert.Equal(42L, call(0, 41));
        Assert.Equal(TrapCode.BadSignature, Assert.Throws<TrapException>(() => call(1, 41)).Code);
    }

    [Fact]
    public void DeserializedModuleSharesMutableGlobals()
    {
        var (fresh, loaded) = Both("""
            (module (global $g (export "g") (mut i64) (i64.const 5))
              (func (export "bump") (result i64) (global.set $g (i64.add (global.get $g) (i64.const 10))) (global.get $g)))
            """);
        foreach (var instance in new[] { fresh, loaded })
        {
            Assert.Equal(15L, instance.GetFunction<long>("bump")!());
            Assert.Equal(15L, instance.GetGlobal("g")!.GetValue().AsInt64());
        }
    }

    [Fact]
    public void MultiValueAndVectorResultsSurviveTheRoundTrip()
    {
        var (fresh, loaded) = Both("""
            (module
              (func $swap (param i32 i64 f32) (result f32 i64 i32) (local.get 2) (local.get 1) (local.get 0))
              (func (export "sum") (result f64) (local $a i32) (local $b i64) (local $c f32)
                (call $swap (i32.const 1) (i64.const 2) (f32.const 3.5))
                (local.set $a) (local.set $b) (local.set $c)
                (f64.add (f64.add (f64.promote_f32 (local.get $c)) (f64.convert_i64_s (local.get $b))) (f64.convert_i32_s (local.get $a))))
              (func (export "lanes") (param i32) (result i32)
                (i32x4.extract_lane 2 (i32x4.mul (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4)))))
            """);
        Assert.Equal(6.5, loaded.GetFunction<double>("sum")!());
        Assert.Equal(fresh.GetFunction<double>("sum")!(), loaded.GetFunction<double>("sum")!());
        Assert.Equal(33, loaded.GetFunction<int, int>("lanes")!(11));
    }

    [Fact]
    public void TrapsCarryTheSameBacktraceAsFreshCode()
    {
        var (fresh, loaded) = Both("""
            (module
              (func $inner unreachable)
              (func $middle call $inner)
              (func $outer (export "run") call $middle))
            """);
        var expected = Assert.Throws<TrapException>(() => fresh.GetAction("run")!());
        var actual = Assert.Throws<TrapException>(() => loaded.GetAction("run")!());
        Assert.Equal(TrapCode.Unreachable, actual.Code);
        Assert.Equal(new[] { "$inner", "$middle", "$outer" }, actual.WasmBacktrace);
        Assert.Equal(expected.WasmBacktrace, actual.WasmBacktrace);
    }

    [Fact]
    public void BacktracesNameUnnamedFunctionsByIndex()
    {
        // (module (func (export "f") unreachable)), no name section.
        byte[] bytes = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, (byte)'f', 0, 0, 10, 5, 1, 3, 0, 0x00, 0x0B];
        var engine = NewEngine();
        var module = RoundTrip(Module.FromBytes(engine, "m", bytes));
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("f")!.Invoke());
        Assert.Equal(new[] { "wasm-function[0]" }, trap.WasmBacktrace);
    }

    [Fact]
    public void DuplicateFunctionNamesStillLoad()
    {
        // Two functions () -> i32 returning 1 and 2, exported as "a" and "b", both named "x" by the name section.
        byte[] bytes =
        [
            0, 0x61, 0x73, 0x6D, 1, 0, 0, 0,
            1, 5, 1, 0x60, 0, 1, 0x7F,
            3, 3, 2, 0, 0,
            7, 9, 2, 1, (byte)'a', 0, 0, 1, (byte)'b', 0, 1,
            10, 11, 2, 4, 0, 0x41, 1, 0x0B, 4, 0, 0x41, 2, 0x0B,
            0, 14, 4, (byte)'n', (byte)'a', (byte)'m', (byte)'e', 1, 7, 2, 0, 1, (byte)'x', 1, 1, (byte)'x',
        ];
        var engine = NewEngine();
        var instance = new Linker(engine).Instantiate(new Store(engine), RoundTrip(Module.FromBytes(engine, "m", bytes)));
        Assert.Equal(1, instance.GetFunction<int>("a")!());
        Assert.Equal(2, instance.GetFunction<int>("b")!());
    }

    [Fact]
    public void DeepRecursionTrapsWithStackOverflow()
    {
        var (_, loaded) = Both("(module (func $f (export \"f\") (param i64) (result i64) (call $f (local.get 0))))");
        TrapException? trap = null;
        var thread = new Thread(() => trap = Assert.Throws<TrapException>(() => loaded.GetFunction<long, long>("f")!(1)), 16 * 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(TrapCode.StackOverflow, trap!.Code);
    }

    [Fact]
    public void FuelIsChargedInDeserializedCode()
    {
        var config = new Config().WithFuelConsumption(true);
        var engine = NewEngine(config);
        var module = RoundTrip(Module.FromText(engine, "loop", "(module (func (export \"spin\") (loop br 0)))"));
        var store = new Store(engine) { Fuel = 10_000 };
        var instance = new Linker(engine).Instantiate(store, module);
        Assert.Equal(TrapCode.OutOfFuel, Assert.Throws<TrapException>(() => instance.GetAction("spin")!()).Code);
        Assert.True(store.Fuel <= 0);
    }

    [Fact]
    public void EpochInterruptionWorksInDeserializedCode()
    {
        var engine = NewEngine(new Config().WithEpochInterruption(true));
        var module = RoundTrip(Module.FromText(engine, "loop", "(module (func (export \"spin\") (loop br 0)))"));
        var store = new Store(engine);
        store.SetEpochDeadline(1);
        var instance = new Linker(engine).Instantiate(store, module);
        engine.IncrementEpoch();
        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(() => instance.GetAction("spin")!()).Code);
    }

    [Fact]
    public void DeserializedModuleKeepsNameImportsAndExports()
    {
        var engine = NewEngine();
        var fresh = Module.FromText(engine, "named", """(module (import "env" "f" (func (param i32))) (memory (export "m") 1) (func (export "g") (result i32) (i32.const 0)))""");
        var loaded = RoundTrip(fresh);
        Assert.Equal("named", loaded.Name);
        Assert.Equal(fresh.Imports.Select(i => (i.ModuleName, i.Name, i.Kind)), loaded.Imports.Select(i => (i.ModuleName, i.Name, i.Kind)));
        Assert.Equal(fresh.Exports.Select(e => (e.Name, e.Kind)), loaded.Exports.Select(e => (e.Name, e.Kind)));
    }

    [Fact]
    public void DescribeSerializedReadsTheHeaderAndTheWasmWithoutLoadingAnything()
    {
        var engine = NewEngine(new Config().WithFuelConsumption(true));
        var wasm = WatParser.ParseModule("(module (func (export \"f\") (result i32) (i32.const 3)))");
        var bytes = Module.FromBytes(engine, "described", wasm).Serialize();
        var description = Module.DescribeSerialized(bytes);
        Assert.Equal("described", description.Name);
        Assert.True(description.CompiledByThisEngine);
        Assert.Equal("fuel consumption on, epoch interruption off", description.Settings);
        Assert.False(description.NativeCode);
        Assert.Equal(wasm, description.Wasm.ToArray());
        Assert.True(description.CodeLength > 0 && description.CodeLength < bytes.Length - wasm.Length);
        bytes[^1] ^= 1;
        Assert.Equal(SerializedModuleError.Corrupted, Assert.Throws<SerializedModuleException>(() => Module.DescribeSerialized(bytes)).Error);
        Assert.Equal(SerializedModuleError.NotSerializedModule, Assert.Throws<SerializedModuleException>(() => Module.DescribeSerialized(wasm)).Error);
    }

    [Fact]
    public void SerializingADeserializedModuleGivesItsBytesBack()
    {
        var engine = NewEngine();
        var bytes = Module.FromText(engine, "m", "(module (func (export \"f\") (result i32) (i32.const 3)))").Serialize();
        Assert.Equal(bytes, Module.Deserialize(engine, bytes).Serialize());
    }

    [Fact]
    public void DeserializingTheSameBytesTwiceReusesTheLoadedCode()
    {
        var engine = NewEngine();
        var bytes = Module.FromText(engine, "m", "(module (func (export \"f\") (result i32) (i32.const 3)))").Serialize();
        var first = Module.Deserialize(engine, bytes);
        var second = Module.Deserialize(NewEngine(), bytes);
        Assert.Same(first.Compiled.Code, second.Compiled.Code);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void BytesThatDifferFromALoadInOneByteAreCheckedNotReused()
    {
        // The earlier load is found by the tag the header claims and reused only if every byte
        // matches; a copy with one changed byte of the Wasm, the code or the header (tag left as it
        // was) must go through the checks and be refused, not run the earlier load's code.
        var engine = NewEngine();
        var bytes = Module.FromText(engine, "m", "(module (func (export \"f\") (result i32) (i32.const 3)))").Serialize();
        var first = Module.Deserialize(engine, bytes);
        foreach (int at in (int[])[20, bytes.Length - 60, bytes.Length - 1, bytes.Length / 2])
        {
            var changed = (byte[])bytes.Clone();
            changed[at] ^= 0x01;
            var error = Assert.Throws<SerializedModuleException>(() => Module.Deserialize(engine, changed));
            Assert.Equal(SerializedModuleError.Corrupted, error.Error);
        }
        Assert.Same(first.Compiled.Code, Module.Deserialize(engine, bytes).Compiled.Code);
        // A longer buffer holding the same bytes plus one is not the earlier load either.
        Assert.Throws<SerializedModuleException>(() => Module.Deserialize(engine, [.. bytes, 0]));
    }

    [Fact]
    public void ABufferReusedAfterDeserializeDoesNotChangeTheModule()
    {
        // Deserialize copies what it keeps: the caller may overwrite its buffer at once.
        var engine = NewEngine();
        var bytes = Module.FromText(engine, "m", "(module (func (export \"f\") (result i32) (i32.const 41)))").Serialize();
        var buffer = (byte[])bytes.Clone();
        var module = Module.Deserialize(engine, buffer);
        Array.Fill(buffer, (byte)0xCC);
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        Assert.Equal(41, instance.GetFunction<int>("f")!());
        Assert.Equal(bytes, module.Serialize());
    }

    [Fact]
    public void ManyDistinctModulesLoadInOneProcessAndKeepTheirOwnCode()
    {
        // Each load brings its own assembly (all share one simple name, each in its own load
        // context); their methods and backtraces must never be mixed up.
        var engine = NewEngine();
        var loaded = new List<(int Value, Module Module)>();
        for (int i = 0; i < 40; i++)
        {
            var bytes = Module.FromText(engine, $"m{i}", $$"""
                (module
                  (func $value{{i}} (export "value") (result i32) (i32.const {{i * 1000 + 7}}))
                  (func $fail{{i}} (export "fail") unreachable))
                """).Serialize();
            loaded.Add((i * 1000 + 7, Module.Deserialize(engine, bytes)));
        }
        for (int i = 0; i < loaded.Count; i++)
        {
            var (value, module) = loaded[i];
            var instance = new Linker(engine).Instantiate(new Store(engine), module);
            Assert.Equal(value, instance.GetFunction<int>("value")!());
            var trap = Assert.Throws<TrapException>(() => instance.GetAction("fail")!());
            Assert.Equal($"$fail{i}", trap.WasmBacktrace[0]);
            Assert.NotSame(module.Compiled.Code, loaded[(i + 1) % loaded.Count].Module.Compiled.Code);
        }
    }

    [Fact]
    public void DeserializeFileReadsWhatSerializeWrote()
    {
        var engine = NewEngine();
        var path = Path.Combine(Directory.CreateTempSubdirectory("ironwasm-serialize-").FullName, "m.iwm");
        try
        {
            File.WriteAllBytes(path, Module.FromText(engine, "m", "(module (func (export \"f\") (result i32) (i32.const 9)))").Serialize());
            var instance = new Linker(engine).Instantiate(new Store(engine), Module.DeserializeFile(engine, path));
            Assert.Equal(9, instance.GetFunction<int>("f")!());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void InstantiatingADeserializedModuleCompilesNothing()
    {
        var engine = NewEngine();
        var module = RoundTrip(Module.FromText(engine, "m", "(module (func (export \"f\") (result i32) (i32.const 1)) (func (export \"g\")))"));
        new Linker(engine).Instantiate(new Store(engine), module);
        Assert.All(module.Compiled.Methods, Assert.Null);
    }

    [Fact]
    public void ModuleCallingAWideSignatureIndirectlyCannotBeSerialized()
    {
        var wide = string.Join(" ", Enumerable.Repeat("i32", 17));
        var engine = NewEngine();
        var module = Module.FromText(engine, "wide", $"(module (type $t (func (param {wide}))) (table 1 funcref) (func (export \"f\") {string.Concat(Enumerable.Repeat("(i32.const 0) ", 17))}(call_indirect (type $t) (i32.const 0))))");
        var error = Assert.Throws<NotSupportedException>(() => module.Serialize());
        Assert.Contains("more than 16 parameters", error.Message);
    }

    [Fact]
    public void WideSignaturesCalledDirectlyAreSerialized()
    {
        var wide = string.Join(" ", Enumerable.Repeat("i32", 17));
        var (fresh, loaded) = Both($"""
            (module
              (func $sum (param {wide}) (result i32) (i32.add (local.get 0) (local.get 16)))
              (func (export "f") (result i32) {string.Concat(Enumerable.Range(1, 17).Select(i => $"(i32.const {i}) "))}(call $sum)))
            """);
        Assert.Equal(18, loaded.GetFunction<int>("f")!());
        Assert.Equal(fresh.GetFunction<int>("f")!(), loaded.GetFunction<int>("f")!());
    }
}
