using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;

namespace IronWasm.Runtime;

/// <summary>How the public API's CLR types map to Wasm types, and the IL that converts between the
/// public representation and the engine's internal one. Publicly, funcref is <see cref="Function"/>
/// and externref is object; internally both are object (a funcref being a FunctionInstance).</summary>
internal static class ClrMapping
{
    /// <summary>The Wasm type a public CLR type stands for, if any.</summary>
    public static bool TryGetKind(Type type, out ValueKind kind)
    {
        if (type == typeof(int)) kind = ValueKind.I32;
        else if (type == typeof(long)) kind = ValueKind.I64;
        else if (type == typeof(float)) kind = ValueKind.F32;
        else if (type == typeof(double)) kind = ValueKind.F64;
        else if (type == typeof(Vector128<byte>)) kind = ValueKind.V128;
        else if (type == typeof(Function)) kind = ValueKind.FuncRef;
        else if (type == typeof(object)) kind = ValueKind.ExternRef;
        else { kind = 0; return false; }
        return true;
    }

    /// <summary>The public CLR type of a Wasm type.</summary>
    public static Type PublicType(ValueKind kind) => kind == ValueKind.FuncRef ? typeof(Function) : SignatureDelegates.ClrType(kind);

    /// <summary>The public CLR return type for a result list (void, one type, or a ValueTuple).</summary>
    public static Type PublicReturnType(IReadOnlyList<ValueKind> results) => results.Count switch
    {
        0 => typeof(void),
        1 => PublicType(results[0]),
        _ => SignatureDelegates.TupleType(results.Select(PublicType).ToArray()),
    };

    /// <summary>Whether <paramref name="parameters"/> and <paramref name="returnType"/> are the public CLR
    /// shape of <paramref name="type"/>.</summary>
    public static bool Matches(FunctionType type, ReadOnlySpan<Type> parameters, Type returnType)
    {
        if (parameters.Length != type.Parameters.Count) return false;
        for (int i = 0; i < parameters.Length; i++)
            if (!TryGetKind(parameters[i], out var kind) || kind != type.Parameters[i]) return false;
        return returnType == PublicReturnType(type.Results);
    }

    /// <summary>The function type a public CLR signature stands for, or null if some type has no Wasm
    /// counterpart. A ValueTuple return means several results.</summary>
    public static FunctionType? TryGetFunctionType(ReadOnlySpan<Type> parameters, Type returnType)
    {
        var parameterKinds = new ValueKind[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
            if (!TryGetKind(parameters[i], out parameterKinds[i])) return null;
        var results = new List<ValueKind>();
        if (returnType != typeof(void) && !TryAddResults(returnType, results)) return null;
        return new FunctionType(parameterKinds, results);
    }

    private static bool TryAddResults(Type type, List<ValueKind> results)
    {
        if (TryGetKind(type, out var kind)) { results.Add(kind); return true; }
        if (!IsValueTuple(type)) return false;
        var arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i == 7) return TryAddResults(arguments[i], results);
            if (!TryGetKind(arguments[i], out kind)) return false;
            results.Add(kind);
        }
        return true;
    }

    private static bool IsValueTuple(Type type) =>
        type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal);

    /// <summary>Emits the conversion of the value on the stack from <paramref name="from"/> to
    /// <paramref name="to"/>, where the two differ only in funcref representation
    /// (object holding a FunctionInstance versus <see cref="Function"/>), also inside tuples.</summary>
    public static void EmitConvert(ILGenerator il, Type from, Type to)
    {
        if (from == to) return;
        if (from == typeof(object) && to == typeof(Function))
        {
            il.Emit(OpCodes.Call, FromInternalMethod);
        }
        else if (from == typeof(Function) && to == typeof(object))
        {
            il.Emit(OpCodes.Call, ToInternalMethod);
        }
        else if (IsValueTuple(from) && IsValueTuple(to))
        {
            var local = il.DeclareLocal(from);
            il.Emit(OpCodes.Stloc, local);
            var fromArguments = from.GetGenericArguments();
            var toArguments = to.GetGenericArguments();
            for (int i = 0; i < fromArguments.Length; i++)
            {
                il.Emit(OpCodes.Ldloca, local);
                il.Emit(OpCodes.Ldfld, from.GetField(i == 7 ? "Rest" : $"Item{i + 1}")!);
                EmitConvert(il, fromArguments[i], toArguments[i]);
            }
            il.Emit(OpCodes.Newobj, to.GetConstructor(toArguments)!);
        }
        else
        {
            throw new InvalidOperationException($"no conversion from {from} to {to}");
        }
    }

    /// <summary>Emits: (ref WasmValue on the stack) -> the internal CLR value of <paramref name="kind"/>.</summary>
    public static void EmitLoadValue(ILGenerator il, ValueKind kind) => il.Emit(OpCodes.Call, kind switch
    {
        ValueKind.I32 => WasmValueMethod(nameof(WasmValue.GetInt32)),
        ValueKind.I64 => WasmValueMethod(nameof(WasmValue.GetInt64)),
        ValueKind.F32 => WasmValueMethod(nameof(WasmValue.GetSingle)),
        ValueKind.F64 => WasmValueMethod(nameof(WasmValue.GetDouble)),
        ValueKind.V128 => WasmValueMethod(nameof(WasmValue.GetVector)),
        _ => WasmValueMethod(nameof(WasmValue.GetReference)),
    });

    /// <summary>Emits: (internal CLR value of <paramref name="kind"/> on the stack) -> WasmValue.</summary>
    public static void EmitMakeValue(ILGenerator il, ValueKind kind) => il.Emit(OpCodes.Call, kind switch
    {
        ValueKind.I32 => WasmValueMethod(nameof(WasmValue.FromInt32)),
        ValueKind.I64 => WasmValueMethod(nameof(WasmValue.FromInt64)),
        ValueKind.F32 => WasmValueMethod(nameof(WasmValue.FromSingle)),
        ValueKind.F64 => WasmValueMethod(nameof(WasmValue.FromDouble)),
        ValueKind.V128 => WasmValueMethod(nameof(WasmValue.FromVector)),
        ValueKind.FuncRef => WasmValueMethod(nameof(WasmValue.FromInternalFuncRef)),
        _ => WasmValueMethod(nameof(WasmValue.FromExternRef)),
    });

    /// <summary>Emits: (ref WasmValue first, index) -> ref WasmValue at that index.</summary>
    public static void EmitElementAddress(ILGenerator il, LocalBuilder first, int index)
    {
        il.Emit(OpCodes.Ldloc, first);
        if (index > 0)
        {
            il.Emit(OpCodes.Ldc_I4, index);
            il.Emit(OpCodes.Sizeof, typeof(WasmValue));
            il.Emit(OpCodes.Mul);
            il.Emit(OpCodes.Add);
        }
    }

    /// <summary>Emits the results of an internal signature (on the stack as void, one value or a
    /// ValueTuple) into consecutive WasmValues starting at element <paramref name="start"/> of
    /// <paramref name="first"/>.</summary>
    public static void EmitStoreResults(ILGenerator il, IReadOnlyList<ValueKind> results, LocalBuilder first, int start)
    {
        if (results.Count == 0) return;
        var returnType = SignatureDelegates.ReturnType(results);
        var value = il.DeclareLocal(returnType);
        il.Emit(OpCodes.Stloc, value);
        for (int j = 0; j < results.Count; j++)
        {
            EmitElementAddress(il, first, start + j);
            if (results.Count == 1)
            {
                il.Emit(OpCodes.Ldloc, value);
            }
            else
            {
                // Walk to the nested tuple holding result j, then its field.
                il.Emit(OpCodes.Ldloca, value);
                var tuple = returnType;
                int k = j;
                while (k >= 7)
                {
                    var rest = tuple.GetField("Rest")!;
                    il.Emit(OpCodes.Ldflda, rest);
                    tuple = rest.FieldType;
                    k -= 7;
                }
                il.Emit(OpCodes.Ldfld, tuple.GetField($"Item{k + 1}")!);
            }
            EmitMakeValue(il, results[j]);
            il.Emit(OpCodes.Stobj, typeof(WasmValue));
        }
    }

    /// <summary>Emits loads of consecutive WasmValues (from element <paramref name="start"/>) as the
    /// internal return value of <paramref name="results"/>: one value or a (nested) ValueTuple.</summary>
    public static void EmitLoadResults(ILGenerator il, IReadOnlyList<ValueKind> results, LocalBuilder first, int start)
    {
        if (results.Count == 0) return;
        if (results.Count == 1)
        {
            EmitElementAddress(il, first, start);
            EmitLoadValue(il, results[0]);
            return;
        }
        EmitTuple(0);

        void EmitTuple(int from)
        {
            int count = results.Count - from;
            int direct = Math.Min(count, 7);
            for (int i = 0; i < direct; i++)
            {
                EmitElementAddress(il, first, start + from + i);
                EmitLoadValue(il, results[from + i]);
            }
            var items = results.Skip(from).Select(SignatureDelegates.ClrType).ToArray();
            if (count > 7)
            {
                EmitTuple(from + 7);
                var tupleType = SignatureDelegates.TupleType(items);
                il.Emit(OpCodes.Newobj, tupleType.GetConstructor(tupleType.GetGenericArguments())!);
            }
            else
            {
                var tupleType = items.Length == 1 ? typeof(ValueTuple<>).MakeGenericType(items) : SignatureDelegates.TupleType(items);
                il.Emit(OpCodes.Newobj, tupleType.GetConstructor(items)!);
            }
        }
    }

    private static MethodInfo WasmValueMethod(string name) =>
        typeof(WasmValue).GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo FromInternalMethod =
        typeof(Function).GetMethod(nameof(Function.FromInternal), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ToInternalMethod =
        typeof(Function).GetMethod(nameof(Function.ToInternal), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>A DynamicMethod hosted in this module with access to its internals.</summary>
    public static DynamicMethod NewMethod(string name, Type returnType, Type[] parameters) =>
        new(name, returnType, parameters, typeof(ClrMapping).Module, skipVisibility: true);
}
