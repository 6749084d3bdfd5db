using System.Reflection;
using IronWasm.Model;

namespace IronWasm.Loading;

/// <summary>The code of a module read back from a persisted assembly (<see cref="Compilation.ModuleAssemblyBuilder"/>'s
/// output, from <see cref="Module.Deserialize(Engine, ReadOnlySpan{byte})"/> or the compilation cache):
/// a PE image whose method <see cref="FirstMethodToken"/> + i is defined function i. How the image's
/// code is brought into the process is the engine's <see cref="CompiledCodeLoading"/>: as an assembly
/// (<see cref="AssemblyCode"/>) or as DynamicMethods made from the stored IL (<see cref="DynamicMethodCode"/>).
/// See RATIONALE.md in this folder.</summary>
internal abstract class PersistedCode
{
    private protected PersistedCode(ReadOnlyMemory<byte> image, int firstMethodToken, ModuleDefinition definition, bool readyToRun)
    {
        Image = image;
        FirstMethodToken = firstMethodToken;
        Definition = definition;
        ReadyToRun = readyToRun;
    }

    /// <summary>The assembly's PE image, as persisted.</summary>
    public ReadOnlyMemory<byte> Image { get; }

    /// <summary>The metadata token of defined function 0's method; function i has this token + i.</summary>
    public int FirstMethodToken { get; }

    /// <summary>The image also holds native code for its methods, precompiled by crossgen2
    /// (<see cref="Compilation.ReadyToRunCompiler"/>); the runtime uses it when the image is loaded as an
    /// assembly from a file, and DynamicMethods loading ignores it.</summary>
    public bool ReadyToRun { get; }

    /// <summary>How this code was loaded.</summary>
    public abstract CompiledCodeLoading Loading { get; }

    private protected ModuleDefinition Definition { get; }

    private protected int FunctionCount => Definition.FunctionTypeIndices.Count;

    /// <summary>Loads <paramref name="image"/>, whose method <paramref name="firstMethodToken"/> + i is
    /// defined function i of <paramref name="definition"/>. Throws <see cref="BadImageFormatException"/>
    /// (or another loader exception) when the image cannot be loaded or does not have those methods.</summary>
    public static PersistedCode Load(ReadOnlyMemory<byte> image, int firstMethodToken, ModuleDefinition definition,
        CompiledCodeLoading loading, bool readyToRun = false) =>
        loading == CompiledCodeLoading.DynamicMethods
            ? DynamicMethodCode.Load(image, firstMethodToken, definition, readyToRun)
            : AssemblyCode.Load(image, firstMethodToken, definition, readyToRun);

    /// <summary>The static method (or DynamicMethod) of defined function <paramref name="definedIndex"/>.</summary>
    public abstract MethodInfo Resolve(int definedIndex);

    /// <summary>The backtrace name of <paramref name="method"/> if it is the code of a Wasm function
    /// loaded as an assembly, else null (DynamicMethods carry the name themselves).</summary>
    public static string? FunctionName(MethodBase method) => AssemblyCode.FunctionName(method);
}
