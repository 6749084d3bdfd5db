using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;

namespace IronWasm.Runtime;

/// <summary>Typed host-to-guest entry points (<c>Instance.GetFunction&lt;T1, TResult&gt;</c>): a delegate of
/// the user's Func/Action type whose body, generated once per (function type, delegate type), calls the
/// function's current <see cref="FunctionInstance.Callable"/> inside the boundary's try/catch. The call
/// path is a field load, a type check and a delegate call: no allocation, no boxing.</summary>
internal static class GuestEntry
{
    /// <summary>What an entry delegate is closed over.</summary>
    internal sealed class Target(FunctionInstance function, ExecutionState state)
    {
        public readonly FunctionInstance Function = function;
        public readonly ExecutionState State = state;
    }

    private static readonly ConcurrentDictionary<(FunctionType, Type), DynamicMethod> Methods = new();

    /// <summary>A delegate of <paramref name="delegateType"/> calling <paramref name="function"/>, or null
    /// when the delegate's signature is not the function's public CLR shape.</summary>
    public static Delegate? Create(FunctionInstance function, Type delegateType)
    {
        var invoke = delegateType.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        if (!ClrMapping.Matches(function.Type, parameters, invoke.ReturnType)) return null;
        var method = Methods.GetOrAdd((function.Type, delegateType), static key => Build(key.Item1, key.Item2));
        return method.CreateDelegate(delegateType, new Target(function, function.Execution ?? new ExecutionState()));
    }

    private static DynamicMethod Build(FunctionType type, Type delegateType)
    {
        var invoke = delegateType.GetMethod("Invoke")!;
        var publicParameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        var internalType = SignatureDelegates.Get(type);
        var internalInvoke = internalType.GetMethod("Invoke")!;
        var internalParameters = internalInvoke.GetParameters().Select(p => p.ParameterType).ToArray();

        var method = ClrMapping.NewMethod("ironwasm-entry", invoke.ReturnType, [typeof(Target), .. publicParameters]);
        var il = method.GetILGenerator();
        var depth = il.DeclareLocal(typeof(int));
        var result = invoke.ReturnType == typeof(void) ? null : il.DeclareLocal(invoke.ReturnType);
        var exception = il.DeclareLocal(typeof(Exception));
        var rethrow = il.DefineLabel();

        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, StateField);
        il.Emit(OpCodes.Ldfld, CallDepthField);
        il.Emit(OpCodes.Stloc, depth);
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, FunctionField);
        il.Emit(OpCodes.Ldfld, CallableField);
        il.Emit(OpCodes.Castclass, internalType);
        for (int i = 0; i < publicParameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, (short)(i + 1));
            ClrMapping.EmitConvert(il, publicParameters[i], internalParameters[i]);
        }
        il.Emit(OpCodes.Callvirt, internalInvoke);
        if (result is not null)
        {
            ClrMapping.EmitConvert(il, internalInvoke.ReturnType, invoke.ReturnType);
            il.Emit(OpCodes.Stloc, result);
        }
        il.BeginCatchBlock(typeof(Exception));
        il.Emit(OpCodes.Stloc, exception);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, StateField);
        il.Emit(OpCodes.Ldloc, depth);
        il.Emit(OpCodes.Ldloc, exception);
        il.Emit(OpCodes.Call, OnExceptionMethod);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brfalse, rethrow);
        il.Emit(OpCodes.Throw);
        il.MarkLabel(rethrow);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Rethrow);
        il.EndExceptionBlock();
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        return method;
    }

    private static readonly FieldInfo StateField = typeof(Target).GetField(nameof(Target.State))!;
    private static readonly FieldInfo FunctionField = typeof(Target).GetField(nameof(Target.Function))!;
    private static readonly FieldInfo CallDepthField = typeof(ExecutionState).GetField(nameof(ExecutionState.CallDepth))!;
    private static readonly FieldInfo CallableField = typeof(FunctionInstance).GetField(nameof(FunctionInstance.Callable))!;
    private static readonly MethodInfo OnExceptionMethod = typeof(HostBoundary).GetMethod(nameof(HostBoundary.OnException))!;
}
