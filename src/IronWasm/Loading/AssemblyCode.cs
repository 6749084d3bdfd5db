using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using IronWasm.Compilation;
using IronWasm.Model;
using IronWasm.Runtime;

namespace IronWasm.Loading;

/// <summary>Persisted code loaded as an assembly (<see cref="CompiledCodeLoading.Assembly"/>).
/// The assembly is loaded into a load context of its own that is not collectible: the runtime
/// tiers methods of ordinary assemblies (a quick first JIT, an optimised one for hot code) but compiles
/// every method of a collectible one fully optimised up front, which is what a cache exists to avoid.
/// So the code stays loaded for the life of the process; loading the same image again reuses it
/// (see Caching/ModuleArtifact).</summary>
internal sealed class AssemblyCode : PersistedCode
{
    private static readonly string EngineAssemblyName = typeof(PersistedCode).Assembly.GetName().Name!;

    private readonly System.Reflection.Module _manifest;

    private AssemblyCode(ReadOnlyMemory<byte> image, Assembly assembly, int firstMethodToken, ModuleDefinition definition, bool readyToRun)
        : base(image, firstMethodToken, definition, readyToRun)
    {
        _manifest = assembly.ManifestModule;
    }

    public override CompiledCodeLoading Loading => CompiledCodeLoading.Assembly;

    /// <inheritdoc cref="PersistedCode.Load"/>
    public static AssemblyCode Load(ReadOnlyMemory<byte> image, int firstMethodToken, ModuleDefinition definition, bool readyToRun)
    {
        var context = new GeneratedCodeLoadContext();
        // An image with native code that cannot be written out to be mapped (no writable temporary
        // directory) still runs: loaded from memory, its IL is JIT-compiled as any other's.
        var assembly = (readyToRun ? TryLoadMapped(context, image.Span) : null) ?? LoadFromMemory(context, image);
        var code = new AssemblyCode(image, assembly, firstMethodToken, definition, readyToRun);
        // The last method must be there and be ours: a cheap check that the image and the module agree.
        if (code.FunctionCount > 0 && code.Resolve(code.FunctionCount - 1).DeclaringType?.FullName != ModuleAssemblyBuilder.TypeName)
            throw new BadImageFormatException("the compiled code does not match the module");
        context.Code = code;
        return code;
    }

    /// <summary>The runtime uses an image's ReadyToRun code only when it maps the image from a file
    /// (from a stream it JIT-compiles every method), so the image is written to a file in a directory
    /// of its own, private to this user, loaded from there and deleted: the mapping outlives the
    /// file on Linux. (On Windows a mapped file cannot be deleted, and it stays in the temporary
    /// directory.) The bytes written are the bytes checked: nobody else can write that directory.
    /// Null when the file cannot be written: the caller then loads the image from memory, and its
    /// native code goes unused.</summary>
    private static Assembly? TryLoadMapped(AssemblyLoadContext context, ReadOnlySpan<byte> image)
    {
        DirectoryInfo directory;
        string path;
        try
        {
            directory = NativeImageRoot is { } root
                ? Directory.CreateDirectory(Path.Combine(root, Path.GetRandomFileName()))
                : Directory.CreateTempSubdirectory("ironwasm-native-");
            path = Path.Combine(directory.FullName, ModuleAssemblyBuilder.AssemblyName + ".dll");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        try
        {
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                file.Write(image);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
            return context.LoadFromAssemblyPath(path);
        }
        finally
        {
            // The file, then the empty directory: a recursive delete enumerates, which costs a start
            // of the published CLI a dozen JIT compilations.
            try
            {
                File.Delete(path);
                directory.Delete();
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Where native images are written to be mapped: a new private directory in the
    /// system's temporary directory, unless a test names another place.</summary>
    internal static string? NativeImageRoot { get; set; }

    private static Assembly LoadFromMemory(AssemblyLoadContext context, ReadOnlyMemory<byte> image)
    {
        if (!MemoryMarshal.TryGetArray(image, out var segment)) segment = image.ToArray();
        using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        return context.LoadFromStream(stream);
    }

    public override MethodInfo Resolve(int definedIndex)
    {
        if ((uint)definedIndex >= (uint)FunctionCount) throw new ArgumentOutOfRangeException(nameof(definedIndex));
        return _manifest.ResolveMethod(FirstMethodToken + definedIndex) as MethodInfo
            ?? throw new BadImageFormatException($"the compiled code has no method for function {definedIndex}");
    }

    /// <inheritdoc cref="PersistedCode.FunctionName"/>
    public static new string? FunctionName(MethodBase method)
    {
        if (AssemblyLoadContext.GetLoadContext(method.Module.Assembly) is not GeneratedCodeLoadContext { Code: { } code }) return null;
        if (method.Module != code._manifest) return null;
        int index = method.MetadataToken - code.FirstMethodToken;
        if ((uint)index >= (uint)code.FunctionCount) return null;
        return CompiledModule.MethodName(code.Definition, code.Definition.ImportedFunctionCount + index);
    }

    /// <summary>One per loaded assembly; resolves the engine to the very assembly running now, even
    /// when the engine itself was loaded into a context other than the default.</summary>
    private sealed class GeneratedCodeLoadContext() : AssemblyLoadContext(ModuleAssemblyBuilder.AssemblyName, isCollectible: false)
    {
        public AssemblyCode? Code;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == EngineAssemblyName ? typeof(PersistedCode).Assembly : null;
    }
}
