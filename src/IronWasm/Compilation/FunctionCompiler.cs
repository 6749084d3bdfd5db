using System.Reflection.Emit;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>Compiles one Wasm function to a CIL method. Compiler implements.</summary>
internal static class FunctionCompiler
{
    /// <summary>Compiles defined function <paramref name="definedIndex"/> (0 = first non-imported
    /// function) of an already validated module to a static DynamicMethod with signature
    /// (InstanceContext, P1..Pn) -> result, following the calling convention of
    /// <see cref="SignatureDelegates"/>.</summary>
    public static DynamicMethod Compile(CompiledModule module, int definedIndex) => throw new NotImplementedException();
}
