using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using IronWasm.Compilation;
using IronWasm.Model;

namespace IronWasm.Runtime;

/// <summary>The code of a module loaded from a persisted assembly (<see cref="ModuleAssemblyBuilder"/>'s
/// output, read back by <see cref="Module.Deserialize(Engine, ReadOnlySpan{byte})"/> or the compilation
/// cache). The assembly is loaded into a load context of its own that is not collectible: the runtime
/// tiers methods of ordinary assemblies (a quick first JIT, an optimised one for hot code) but compiles
/// every method of a collectible one fully optimised up front, which is what a cache exists to avoid.
/// So the code stays loaded for the life of the process; loading the same image again reuses it
/// (see Caching/ModuleArtifact).</summary>
internal sealed class PersistedCode
{
    private static readonly string EngineAssemblyName = typeof(PersistedCode).Assembly.GetName().Name!;

    private readonly System.Reflection.Module _manifest;
    private readonly int _firstMethodToken;
    private readonly int _count;
    private readonly ModuleDefinition _definition;

    private PersistedCode(ReadOnlyMemory<byte> image, Assembly assembly, int firstMethodToken, ModuleDefinition definition)
    {
        Image = image;
        _manifest = assembly.ManifestModule;
        _firstMethodToken = firstMethodToken;
        _count = definition.FunctionTypeIndices.Count;
        _definition = definition;
    }

    /// <summary>The assembly's PE image, as persisted.</summary>
    public ReadOnlyMemory<byte> Image { get; }

    /// <summary>The metadata token of defined function 0's method; function i has this token + i.</summary>
    public int FirstMethodToken => _firstMethodToken;

    /// <summary>Loads <paramref name="image"/>, whose method <paramref name="firstMethodToken"/> + i is
    /// defined function i of <paramref name="definition"/>. Throws <see cref="BadImageFormatException"/>
    /// (or another loader exception) when the image cannot be loaded or does not have those methods.</summary>
    public static PersistedCode Load(ReadOnlyMemory<byte> image, int firstMethodToken, ModuleDefinition definition)
    {
        var context = new GeneratedCodeLoadContext();
        if (!MemoryMarshal.TryGetArray(image, out var segment)) segment = image.ToArray();
        Assembly assembly;
        using (var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)) assembly = context.LoadFromStream(stream);
        var code = new PersistedCode(image, assembly, firstMethodToken, definition);
        // The last method must be there and be ours: a cheap check that the image and the module agree.
        if (code._count > 0 && code.Resolve(code._count - 1).DeclaringType?.FullName != ModuleAssemblyBuilder.TypeName)
            throw new BadImageFormatException("the compiled code does not match the module");
        context.Code = code;
        return code;
    }

    /// <summary>The static method of defined function <paramref name="definedIndex"/>.</summary>
    public MethodInfo Resolve(int definedIndex)
    {
        if ((uint)definedIndex >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(definedIndex));
        return _manifest.ResolveMethod(_firstMethodToken + definedIndex) as MethodInfo
            ?? throw new BadImageFormatException($"the compiled code has no method for function {definedIndex}");
    }

    /// <summary>The backtrace name of <paramref name="method"/> if it is the code of a Wasm function
    /// loaded from a persisted assembly, else null.</summary>
    public static string? FunctionName(MethodBase method)
    {
        if (AssemblyLoadContext.GetLoadContext(method.Module.Assembly) is not GeneratedCodeLoadContext { Code: { } code }) return null;
        if (method.Module != code._manifest) return null;
        int index = method.MetadataToken - code._firstMethodToken;
        if ((uint)index >= (uint)code._count) return null;
        return CompiledModule.MethodName(code._definition, code._definition.ImportedFunctionCount + index);
    }

    /// <summary>One per loaded assembly; resolves the engine to the very assembly running now, even
    /// when the engine itself was loaded into a context other than the default.</summary>
    private sealed class GeneratedCodeLoadContext() : AssemblyLoadContext(ModuleAssemblyBuilder.AssemblyName, isCollectible: false)
    {
        public PersistedCode? Code;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == EngineAssemblyName ? typeof(PersistedCode).Assembly : null;
    }
}
