using IronWasm.Caching;
using IronWasm.Compilation;
using IronWasm.Loading;
using IronWasm.Runtime;

namespace IronWasm;

// Compiled modules: saving a module's compiled code and loading it back without decoding, validating
// or compiling again (the format is described in Caching/ModuleArtifact.cs).
public sealed partial class Module
{
    /// <summary>What the compilation cache did for this module; null when the cache was not used
    /// (it is off, or the module was made from text or by <see cref="Deserialize(Engine, ReadOnlySpan{byte})"/>).</summary>
    public CompilationCacheResult? CacheResult { get; internal set; }

    /// <summary>The module compiled whole, as bytes <see cref="Deserialize(Engine, ReadOnlySpan{byte})"/>
    /// reads back: the Wasm binary plus a .NET assembly holding every function's code, checksummed, for
    /// this engine build and this engine's code-shaping settings (fuel, epoch interruption) only.
    /// Compiles every function the first time (a module loaded from compiled bytes returns them as they
    /// were). Throws <see cref="NotSupportedException"/> for a module whose code cannot be saved: one
    /// that calls a function type of more than 16 parameters through a table or an import.</summary>
    public byte[] Serialize()
    {
        var (image, firstToken) = Compiled.Code is { } code ? (code.Image, code.FirstMethodToken) : ModuleAssemblyBuilder.Build(Compiled);
        return ModuleArtifact.Write(new ModuleArtifact.Contents(EngineIdentity.Current, EngineIdentity.Fingerprint(Engine.Options),
            Name, _wasm, image, firstToken, Compiled.Definition.FunctionTypeIndices.Count) { ReadyToRun = Compiled.Code?.ReadyToRun ?? false });
    }

    /// <summary>The crossgen2 that <see cref="SerializeWithNativeCode"/> would run, or null when there is
    /// none (then <paramref name="searched"/> says where it looked).</summary>
    public static string? FindNativeCodeCompiler(out string searched) => ReadyToRunCompiler.Find(out searched);

    /// <summary><see cref="Serialize"/>, with the functions also compiled to native code ahead of time
    /// (ReadyToRun, by the .NET SDK's crossgen2), so that loading the module as an assembly
    /// (<see cref="CompiledCodeLoading.Assembly"/>) runs it without JIT-compiling most functions first:
    /// those crossgen2 cannot precompile (among them functions that pass SIMD values to the engine's
    /// helpers) are still JIT-compiled on first call. crossgen2 must be of this exact runtime version:
    /// <c>$IRONWASM_CROSSGEN2</c>, else the <c>microsoft.netcore.app.crossgen2.RID</c> package of the NuGet
    /// package folder; <see cref="PlatformNotSupportedException"/> says where it looked when there is
    /// none, or what crossgen2 reported when it failed (<see cref="NotSupportedException"/>, as from
    /// <see cref="Serialize"/>, when the module cannot be saved at all). Takes a fraction of a second
    /// per module. DynamicMethods loading ignores the native code.</summary>
    public byte[] SerializeWithNativeCode()
    {
        if (Compiled.Code is { ReadyToRun: true }) return Serialize();
        // Built again rather than taken from a loaded module: the IL for crossgen2 marks no method
        // AggressiveOptimization (crossgen2 leaves those to the JIT, and they are the hot ones).
        var (image, firstToken) = ModuleAssemblyBuilder.Build(Compiled, forNativeCode: true);
        return ModuleArtifact.Write(new ModuleArtifact.Contents(EngineIdentity.Current, EngineIdentity.Fingerprint(Engine.Options),
            Name, _wasm, ReadyToRunCompiler.Compile(image), firstToken, Compiled.Definition.FunctionTypeIndices.Count) { ReadyToRun = true });
    }

    /// <summary>Loads a module from the bytes of <see cref="Serialize"/>, made by this same build of
    /// IronWasm with the same code-shaping settings as <paramref name="engine"/>'s. Nothing is decoded
    /// from scratch, validated or compiled. Throws <see cref="SerializedModuleException"/> (never
    /// anything else) when the bytes are not such a module: truncated, damaged, edited, not a compiled
    /// module at all, or made by another engine version or configuration.</summary>
    /// <remarks>The bytes contain code that runs in this process, outside the WebAssembly sandbox:
    /// load only compiled modules you made or trust as you would a .NET assembly. The checksum detects
    /// damage and edits, not a forger who recomputes it. The loaded code stays in memory for the
    /// life of the process (loading the same bytes again reuses it).</remarks>
    public static Module Deserialize(Engine engine, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return FromPersisted(engine, null, ModuleArtifact.Load(engine, bytes, default), null);
    }

    /// <summary><see cref="Deserialize(Engine, ReadOnlySpan{byte})"/> from a file (for example one
    /// written by <c>ironwasm compile</c>). File errors are thrown as the usual IO exceptions.</summary>
    public static Module DeserializeFile(Engine engine, string path)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var buffer = PooledFile.Read(path, out int length);
        try { return Deserialize(engine, buffer.AsSpan(0, length)); }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>What the compiled module <paramref name="bytes"/> says of itself: name, compiling engine,
    /// settings, whether it holds native code, and the Wasm inside. Only the header and the checksum are
    /// read: nothing in the bytes is loaded or run, so this is safe for files not trusted. Throws
    /// <see cref="SerializedModuleException"/> for bytes that are not an intact compiled module.</summary>
    public static SerializedModuleDescription DescribeSerialized(ReadOnlySpan<byte> bytes)
    {
        var verified = ModuleArtifact.Verify(bytes);
        return new SerializedModuleDescription(verified.Name, verified.EngineIdentity, verified.EngineIdentity == EngineIdentity.Current,
            EngineIdentity.Describe(verified.Fingerprint), verified.ReadyToRun,
            bytes.Slice(verified.WasmOffset, verified.WasmLength).ToArray(), verified.ImageLength);
    }

    /// <summary>Whether <paramref name="bytes"/> start like a compiled module (they may still be
    /// rejected by <see cref="Deserialize(Engine, ReadOnlySpan{byte})"/>).</summary>
    public static bool IsSerialized(ReadOnlySpan<byte> bytes) => ModuleArtifact.HasMagic(bytes);

    internal static Module FromPersisted(Engine engine, string? name, ModuleArtifact.ModuleLoadResult loaded, CompilationCacheResult? cacheResult) =>
        new(engine, name ?? loaded.Name, new CompiledModule(loaded.Definition, engine.Options, loaded.Code), loaded.Wasm)
        {
            CacheResult = cacheResult,
        };
}
