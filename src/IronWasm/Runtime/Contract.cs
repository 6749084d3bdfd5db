// More of the compiler/runtime contract (see Internals.cs).
using System.Reflection.Emit;
using IronWasm.Model;

namespace IronWasm.Runtime;

/// <summary>Maps structurally equal function types to one small integer, process-wide, so
/// <c>call_indirect</c> checks a signature with one integer compare. Runtime implements.</summary>
internal static class FunctionTypeRegistry
{
    public static int GetId(FunctionType type) => throw new NotImplementedException();
}

/// <summary>The CLR shape of Wasm functions. For a function type [P1..Pn] -> [R1..Rm]:
/// parameters map i32->int, i64->long, f32->float, f64->double, v128->Vector128&lt;byte&gt;,
/// funcref and externref->object; the result is void (m = 0), R1 (m = 1), or a ValueTuple of
/// R1..Rm (m &gt; 1; nested through TRest beyond seven). Compiled functions are static methods
/// (InstanceContext, P1..Pn) -> result, exposed as delegates of <see cref="Get"/>'s type closed over
/// their InstanceContext. Runtime implements.</summary>
internal static class SignatureDelegates
{
    /// <summary>The delegate type for a function type (Func/Action where they fit, else a generated type).</summary>
    public static Type Get(FunctionType type) => throw new NotImplementedException();
    /// <summary>The CLR type of one value type.</summary>
    public static Type ClrType(ValueKind type) => throw new NotImplementedException();
    /// <summary>The CLR return type for a result list (void, the single type, or the ValueTuple).</summary>
    public static Type ReturnType(IReadOnlyList<ValueKind> results) => throw new NotImplementedException();
}

/// <summary>A module after decoding and validation, shared by all its instances: the definition,
/// and per defined function the compiled method once it exists. Compilation is lazy and
/// thread-safe. Runtime implements the lazy machinery; the compiler provides
/// <see cref="IronWasm.Compilation.FunctionCompiler"/>.</summary>
internal sealed class CompiledModule
{
    public CompiledModule(ModuleDefinition definition, EngineOptions options)
    {
        Definition = definition;
        Options = options;
        Methods = new DynamicMethod?[definition.FunctionTypeIndices.Count];
    }

    public ModuleDefinition Definition { get; }
    public EngineOptions Options { get; }
    /// <summary>Compiled method per defined function (index = function index - imported count), or null until compiled.</summary>
    public DynamicMethod?[] Methods { get; }
}

/// <summary>Engine settings that change the code the compiler emits.</summary>
internal sealed record EngineOptions
{
    /// <summary>Emit fuel accounting (per block).</summary>
    public bool ConsumeFuel { get; init; }
    /// <summary>Emit epoch/deadline checks at function entry and loop headers.</summary>
    public bool Interruptible { get; init; }
}
