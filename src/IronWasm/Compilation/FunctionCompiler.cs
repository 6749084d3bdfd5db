using System.Reflection.Emit;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>Compiles one Wasm function to a CIL method.</summary>
internal static class FunctionCompiler
{
    /// <summary>Compiles defined function <paramref name="definedIndex"/> (0 = first non-imported
    /// function) of an already validated module to a static DynamicMethod with signature
    /// (InstanceContext, P1..Pn) -> result, following the calling convention of
    /// <see cref="SignatureDelegates"/>.</summary>
    public static DynamicMethod Compile(CompiledModule module, int definedIndex)
    {
        var definition = module.Definition;
        int functionIndex = definition.ImportedFunctionCount + definedIndex;
        var type = definition.FunctionSpace[functionIndex];
        var parameterTypes = new Type[type.Parameters.Count + 1];
        parameterTypes[0] = typeof(InstanceContext);
        for (int i = 0; i < type.Parameters.Count; i++) parameterTypes[i + 1] = SignatureDelegates.ClrType(type.Parameters[i]);
        var returnType = SignatureDelegates.ReturnType(type.Results);

        // Owned by this module with visibility checks skipped, so the code may touch internal runtime types.
        var method = new DynamicMethod(module.MethodName(functionIndex), returnType, parameterTypes, typeof(FunctionCompiler).Module, skipVisibility: true);
        new FunctionEmitter(module, definedIndex, method, returnType).Emit();
        return method;
    }
}
