using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using IronWasm.Caching;
using IronWasm.Loading;
using IronWasm.Text;

namespace IronWasm.Tests.Caching;

/// <summary>Every test of <see cref="SerializationTests"/> again with compiled code loaded as
/// DynamicMethods made from the stored IL (<see cref="CompiledCodeLoading.DynamicMethods"/>), and what
/// only that way of loading promises: no assembly, code freed with its last user, forged code refused
/// at the first call with a clear error.</summary>
public sealed class DynamicMethodSerializationTests : SerializationTests
{
    protected override CompiledCodeLoading Loading => CompiledCodeLoading.DynamicMethods;

    private const string Answer = "(module (func (export \"f\") (result i32) (i32.const 5)))";

    [Fact]
    public void FunctionsAreDynamicMethodsAndNoAssemblyIsLoaded()
    {
        var engine = NewEngine();
        var module = Module.Deserialize(engine, Module.FromText(engine, "m", Answer).Serialize());
        Assert.IsType<DynamicMethodCode>(module.Compiled.Code);
        Assert.Equal(5, new Linker(engine).Instantiate(new Store(engine), module).GetFunction<int>("f")!());
        Assert.IsType<DynamicMethod>(module.Compiled.Methods[0]);
    }

    [Fact]
    public void TheSameBytesLoadedBothWaysAreTwoLoads()
    {
        var bytes = Module.FromText(NewEngine(), "m", Answer).Serialize();
        var asAssembly = Module.Deserialize(new Engine(new Config().WithCompiledCodeLoading(CompiledCodeLoading.Assembly)), bytes);
        var asMethods = Module.Deserialize(NewEngine(), bytes);
        Assert.Equal(CompiledCodeLoading.Assembly, asAssembly.Compiled.Code!.Loading);
        Assert.Equal(CompiledCodeLoading.DynamicMethods, asMethods.Compiled.Code!.Loading);
        Assert.Same(asMethods.Compiled.Code, Module.Deserialize(NewEngine(), bytes).Compiled.Code);
    }

    [Fact]
    public void CodeIsFreedWithTheLastModuleAndInstanceUsingIt()
    {
        var engine = NewEngine();
        var bytes = Module.FromText(engine, "m", Answer).Serialize();
        var (code, method) = LoadAndCall(engine, bytes);
        for (int i = 0; i < 20 && (code.IsAlive || method.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(code.IsAlive, "the loaded code outlived every module using it");
        Assert.False(method.IsAlive, "a compiled function outlived every module using it");
        // Loading the bytes again makes them anew.
        Assert.Equal(5, new Linker(engine).Instantiate(new Store(engine), Module.Deserialize(engine, bytes)).GetFunction<int>("f")!());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Code, WeakReference Method) LoadAndCall(Engine engine, byte[] bytes)
    {
        var module = Module.Deserialize(engine, bytes);
        Assert.Equal(5, new Linker(engine).Instantiate(new Store(engine), module).GetFunction<int>("f")!());
        return (new WeakReference(module.Compiled.Code), new WeakReference(module.Compiled.Methods[0]));
    }

    [Fact]
    public void CompilationCacheEntriesAreLoadedAsDynamicMethodsOnAMissAndAHit()
    {
        var directory = Directory.CreateTempSubdirectory("ironwasm-dm-cache-").FullName;
        try
        {
            var engine = NewEngine(new Config().WithCompilationCache(directory));
            var wasm = WatParser.ParseModule(Answer);
            foreach (var expected in (CompilationCacheStatus[])[CompilationCacheStatus.Miss, CompilationCacheStatus.Hit])
            {
                var module = Module.FromBytes(engine, "m", wasm);
                Assert.Equal(expected, module.CacheResult!.Status);
                Assert.IsType<DynamicMethodCode>(module.Compiled.Code);
                Assert.Equal(5, new Linker(engine).Instantiate(new Store(engine), module).GetFunction<int>("f")!());
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void CodeForgedToPassTheChecksumIsRefusedAtItsFirstCallAndTheHostCarriesOn()
    {
        // Only a forger who recomputes the checksum gets code past the load; what the code cannot
        // be turned into must come back as an error of the call, naming what is wrong.
        var engine = NewEngine();
        var bytes = Module.FromText(engine, "m", Answer).Serialize();
        var forged = WithFirstOpcode(bytes, 0xA6); // not an opcode
        var instance = new Linker(engine).Instantiate(new Store(engine), Module.Deserialize(engine, forged));
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int>("f")!());
        Assert.Equal(TrapCode.HostError, trap.Code);
        var refusal = Assert.IsType<SerializedModuleException>(trap.InnerException);
        Assert.Equal(SerializedModuleError.InvalidCode, refusal.Error);
        Assert.Contains("unknown opcode A6", refusal.Message);
        // Asked again, it is refused again, not half made.
        Assert.Throws<TrapException>(() => instance.GetFunction<int>("f")!());
        Assert.Equal(5, new Linker(engine).Instantiate(new Store(engine), Module.Deserialize(engine, bytes)).GetFunction<int>("f")!());
    }

    /// <summary>The compiled module with the first IL byte of function 0 replaced and the checksum recomputed.</summary>
    private static byte[] WithFirstOpcode(byte[] artifact, byte opcode)
    {
        var verified = ModuleArtifact.Verify(artifact);
        var image = artifact.AsSpan(verified.ImageOffset, verified.ImageLength).ToArray();
        using (var pe = new PEReader(ImmutableArray.Create(image)))
        {
            var metadata = pe.GetMetadataReader();
            var method = metadata.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(verified.FirstMethodToken & 0xFFFFFF));
            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
            int at = image.AsSpan().IndexOf(il);
            Assert.True(at > 0 && image.AsSpan(at + 1).IndexOf(il) < 0, "the body's IL is not found exactly once");
            image[at] = opcode;
        }
        return ModuleArtifact.Write(new ModuleArtifact.Contents(verified.EngineIdentity, verified.Fingerprint, verified.Name,
            artifact.AsSpan(verified.WasmOffset, verified.WasmLength).ToArray(), image, verified.FirstMethodToken, verified.FunctionCount));
    }
}
