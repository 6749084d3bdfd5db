using IronWasm.Caching;
using IronWasm.Compilation;
using IronWasm.Loading;

namespace IronWasm.Tests.Caching;

/// <summary>A fact that needs crossgen2 (<see cref="Module.FindNativeCodeCompiler"/>), skipped with the places
/// looked in when there is none. test.sh restores it first, so these run wherever the suite does.</summary>
public sealed class NativeCodeFactAttribute : FactAttribute
{
    public NativeCodeFactAttribute()
    {
        if (Module.FindNativeCodeCompiler(out string searched) is null) Skip = $"crossgen2 not found ({searched}); ./test.sh restores it";
    }
}

/// <summary><see cref="Module.SerializeWithNativeCode"/>: the functions precompiled by crossgen2 run
/// without being JIT-compiled, compute and trap as the IL does, and the file keeps saying it holds
/// native code. One class: the environment variable test must not run beside the others.</summary>
public sealed class NativeCodeTests
{
    private const string Program = """
        (module
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (func $sum (export "sum") (param i32) (result i64) (local i64)
            (block (loop (br_if 1 (i32.eqz (local.get 0)))
              (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (call $fib (i32.rem_u (local.get 0) (i32.const 15))))))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))
            (local.get 1))
          (func $fail (export "fail") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
        """;

    /// <summary>The program with a different constant, so that each test loads code never loaded before.</summary>
    private static string Variant(int n) => Program.Replace("(i32.const 15)", $"(i32.const {15 + n})");

    private static Instance Instantiate(Engine engine, byte[] bytes) =>
        new Linker(engine).Instantiate(new Store(engine), Module.Deserialize(engine, bytes));

    [NativeCodeFact]
    public void PrecompiledFunctionsRunWithoutBeingJitCompiled()
    {
        var engine = new Engine();
        // The same shapes from IL first: whatever the engine compiles once per signature is compiled then,
        // and the IL functions themselves show what the count sees.
        var il = Instantiate(engine, Module.FromText(engine, "il", Variant(1)).Serialize());
        long before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        Assert.Equal(13, il.GetFunction<int, int>("fib")!(7));
        Assert.True(System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) > before, "the IL function was not JIT-compiled, so the count cannot tell");

        var native = Instantiate(engine, Module.FromText(engine, "native", Variant(2)).SerializeWithNativeCode());
        before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        Assert.Equal(13, native.GetFunction<int, int>("fib")!(7));
        Assert.Equal(System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true), before);
    }

    [NativeCodeFact]
    public void NativeCodeComputesAndTrapsAsTheModuleDoes()
    {
        var engine = new Engine();
        var fresh = new Linker(engine).Instantiate(new Store(engine), Module.FromText(engine, "fresh", Variant(3)));
        var native = Instantiate(engine, Module.FromText(engine, "native", Variant(3)).SerializeWithNativeCode());
        Assert.Equal(fresh.GetFunction<int, long>("sum")!(1000), native.GetFunction<int, long>("sum")!(1000));
        var freshTrap = Assert.Throws<TrapException>(() => fresh.GetFunction<int, int>("fail")!(0));
        var nativeTrap = Assert.Throws<TrapException>(() => native.GetFunction<int, int>("fail")!(0));
        Assert.Equal(TrapCode.IntegerDivisionByZero, nativeTrap.Code);
        Assert.Equal(freshTrap.WasmBacktrace, nativeTrap.WasmBacktrace);
        Assert.Equal("$fail", nativeTrap.WasmBacktrace[0]);
    }

    [NativeCodeFact]
    public void TheFileSaysItHoldsNativeCodeAndSerializingItAgainKeepsIt()
    {
        var engine = new Engine();
        var bytes = Module.FromText(engine, "native", Variant(4)).SerializeWithNativeCode();
        Assert.True(ModuleArtifact.Verify(bytes).ReadyToRun);
        Assert.True(Module.DescribeSerialized(bytes).NativeCode);
        Assert.True(ReadyToRunCompiler.HasNativeCode(bytes.AsSpan(ModuleArtifact.Verify(bytes).ImageOffset, ModuleArtifact.Verify(bytes).ImageLength).ToArray()));
        var loaded = Module.Deserialize(engine, bytes);
        Assert.True(loaded.Compiled.Code!.ReadyToRun);
        Assert.Equal(bytes, loaded.Serialize());
        Assert.Equal(bytes, loaded.SerializeWithNativeCode());
        Assert.False(ModuleArtifact.Verify(Module.FromText(engine, "il", Variant(4)).Serialize()).ReadyToRun);
    }

    [NativeCodeFact]
    public void NativeCodeThatCannotBeWrittenOutToBeMappedRunsAsIL()
    {
        var engine = new Engine();
        var bytes = Module.FromText(engine, "native", Variant(8)).SerializeWithNativeCode();
        string notADirectory = Path.GetTempFileName();
        try
        {
            AssemblyCode.NativeImageRoot = notADirectory; // a file: no directory can be made in it
            var instance = Instantiate(engine, bytes);
            long before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
            Assert.Equal(55, instance.GetFunction<int, int>("fib")!(10));
            Assert.True(System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) > before, "loaded from memory, the IL is JIT-compiled");
        }
        finally
        {
            AssemblyCode.NativeImageRoot = null;
            File.Delete(notADirectory);
        }
    }

    [NativeCodeFact]
    public void DynamicMethodsLoadingRunsTheILOfANativeFile()
    {
        var engine = new Engine(new Config().WithCompiledCodeLoading(CompiledCodeLoading.DynamicMethods));
        var instance = Instantiate(engine, Module.FromText(engine, "native", Variant(5)).SerializeWithNativeCode());
        Assert.Equal(55, instance.GetFunction<int, int>("fib")!(10));
    }

    [Fact]
    public void WithoutCrossgen2TheErrorSaysWhereItLooked()
    {
        var saved = Environment.GetEnvironmentVariable(ReadyToRunCompiler.Crossgen2Variable);
        try
        {
            Environment.SetEnvironmentVariable(ReadyToRunCompiler.Crossgen2Variable, "/nonexistent/crossgen2");
            var module = Module.FromText(new Engine(), "m", Variant(6));
            var error = Assert.Throws<PlatformNotSupportedException>(() => module.SerializeWithNativeCode());
            Assert.Contains("/nonexistent/crossgen2", error.Message);
            // A crossgen2 that fails: its exit code is reported, and nothing is written.
            if (File.Exists("/bin/false"))
            {
                Environment.SetEnvironmentVariable(ReadyToRunCompiler.Crossgen2Variable, "/bin/false");
                Assert.Contains("crossgen2 failed (exit code 1)", Assert.Throws<PlatformNotSupportedException>(() => module.SerializeWithNativeCode()).Message);
            }
            // Plain serialization needs no crossgen2.
            Assert.False(ModuleArtifact.Verify(module.Serialize()).ReadyToRun);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ReadyToRunCompiler.Crossgen2Variable, saved);
        }
    }

    [Fact]
    public void UnknownFlagsAreAnUnsupportedFormat()
    {
        var flagged = Module.FromText(new Engine(), "m", Variant(7)).Serialize();
        flagged[16] = 2; // not a flag this engine knows; the tag recomputed, as a newer writer would
        var error = Assert.Throws<SerializedModuleException>(() => Module.Deserialize(new Engine(), WithTag(flagged)));
        Assert.Equal(SerializedModuleError.UnsupportedFormat, error.Error);
        Assert.Contains("unknown flags 0x2", error.Message);
    }

    /// <summary>The bytes with their tag recomputed over what they now hold.</summary>
    private static byte[] WithTag(byte[] bytes)
    {
        int headerLength = BitConverter.ToInt32(bytes, 12);
        ulong payload = XxHash64.Hash(bytes.AsSpan(headerLength));
        ulong tag = XxHash64.Hash(bytes.AsSpan(0, headerLength - 8), payload);
        BitConverter.TryWriteBytes(bytes.AsSpan(headerLength - 8), tag);
        return bytes;
    }
}
