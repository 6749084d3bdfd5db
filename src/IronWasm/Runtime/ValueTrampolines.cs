using System.Collections.Concurrent;
using System.Reflection.Emit;

namespace IronWasm.Runtime;

/// <summary>Calls a function's callable with arguments from, and results into, WasmValue arrays.</summary>
internal delegate void ValueTrampoline(Delegate callable, ref WasmValue arguments, ref WasmValue results);

/// <summary>The untyped call path (<see cref="Function.Invoke(ReadOnlySpan{WasmValue}, Span{WasmValue})"/>):
/// one generated method per function type unpacks WasmValues into typed arguments and packs the
/// results back, so no call goes through reflection or boxes a number.</summary>
internal static class ValueTrampolines
{
    private static readonly ConcurrentDictionary<FunctionType, ValueTrampoline> Cache = new();

    public static ValueTrampoline Get(FunctionType type) =>
        type.Parameters.Count == 0 && type.Results.Count == 0 ? CallAction
        : Cache.TryGetValue(type, out var trampoline) ? trampoline : Cache.GetOrAdd(type, Build);

    /// <summary>[] -> [] (every command's <c>_start</c>) needs no unpacking: precompiled code instead of
    /// a generated method, which at start-up would cost a fully optimising JIT compilation.</summary>
    private static readonly ValueTrampoline CallAction = static (Delegate callable, ref WasmValue _, ref WasmValue _) => ((Action)callable)();

    private static ValueTrampoline Build(FunctionType type)
    {
        var delegateType = SignatureDelegates.Get(type);
        var invoke = delegateType.GetMethod("Invoke")!;
        var method = ClrMapping.NewMethod("ironwasm-invoke", typeof(void),
            [typeof(Delegate), typeof(WasmValue).MakeByRefType(), typeof(WasmValue).MakeByRefType()]);
        var il = method.GetILGenerator();
        var arguments = il.DeclareLocal(typeof(WasmValue).MakeByRefType());
        var results = il.DeclareLocal(typeof(WasmValue).MakeByRefType());
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stloc, arguments);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Stloc, results);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, delegateType);
        for (int i = 0; i < type.Parameters.Count; i++)
        {
            ClrMapping.EmitElementAddress(il, arguments, i);
            ClrMapping.EmitLoadValue(il, type.Parameters[i]);
        }
        il.Emit(OpCodes.Callvirt, invoke);
        ClrMapping.EmitStoreResults(il, type.Results, results, 0);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<ValueTrampoline>();
    }
}
