using System.Reflection.Emit;
using IronWasm.Model;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>Compiles one Wasm function to a CIL method.</summary>
internal static class FunctionCompiler
{
    /// <summary>Compiles defined function <paramref name="definedIndex"/> (0 = first non-imported
    /// function) of an already validated module to a static DynamicMethod with signature
    /// (InstanceContext, P1..Pn) -> result, following the calling convention of
    /// <see cref="SignatureDelegates"/>. Small functions it calls directly are emitted with it
    /// (see <see cref="CompilationBatch"/>) and published in <see cref="CompiledModule.Methods"/>.</summary>
    public static DynamicMethod Compile(CompiledModule module, int definedIndex)
    {
        var batch = new CompilationBatch(module);
        var method = batch.Declare(definedIndex);
        batch.EmitAll(definedIndex);
        return method;
    }

    /// <summary>A DynamicMethod of the right signature for defined function
    /// <paramref name="definedIndex"/>, without a body yet.</summary>
    internal static DynamicMethod CreateMethod(CompiledModule module, int definedIndex)
    {
        int functionIndex = module.Definition.ImportedFunctionCount + definedIndex;
        var (returnType, parameterTypes) = ClrSignature(module.Definition.FunctionSpace[functionIndex]);
        // Owned by this module with visibility checks skipped, so the code may touch internal runtime types.
        return new DynamicMethod(module.MethodName(functionIndex), returnType, parameterTypes, typeof(FunctionCompiler).Module, skipVisibility: true);
    }

    /// <summary>The CLR signature of a compiled function of type <paramref name="type"/>:
    /// (InstanceContext, P1..Pn) -> result.</summary>
    internal static (Type ReturnType, Type[] ParameterTypes) ClrSignature(FunctionType type)
    {
        var parameterTypes = new Type[type.Parameters.Count + 1];
        parameterTypes[0] = typeof(InstanceContext);
        for (int i = 0; i < type.Parameters.Count; i++) parameterTypes[i + 1] = SignatureDelegates.ClrType(type.Parameters[i]);
        return (SignatureDelegates.ReturnType(type.Results), parameterTypes);
    }
}
