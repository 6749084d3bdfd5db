using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IronWasm.Runtime;

/// <summary>A host function as the <see cref="Linker"/> holds it: a callback and its Wasm type. It
/// becomes a <see cref="FunctionInstance"/> when a module imports it; a callback that takes a
/// <see cref="Caller"/> gets one instance per importing instance (so the Caller knows the instance),
/// others share one.</summary>
internal sealed class HostFunctionDefinition
{
    private HostFunctionDefinition(string name, FunctionType type, Delegate callback, bool takesCaller, bool untyped)
    {
        Name = name;
        Type = type;
        Callback = callback;
        TakesCaller = takesCaller;
        _untyped = untyped;
    }

    public string Name { get; }
    public FunctionType Type { get; }
    public Delegate Callback { get; }
    public bool TakesCaller { get; }
    private readonly bool _untyped;
    private FunctionInstance? _shared;

    /// <summary>A typed host function from a Func/Action; the first parameter may be a <see cref="Caller"/>.</summary>
    public static HostFunctionDefinition FromDelegate(string name, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var invoke = callback.GetType().GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        bool takesCaller = parameters.Length > 0 && parameters[0] == typeof(Caller);
        var type = ClrMapping.TryGetFunctionType(takesCaller ? parameters[1..] : parameters, invoke.ReturnType)
            ?? throw new ArgumentException(
                $"host function {name}: {callback.GetType()} has a parameter or result type with no WebAssembly counterpart " +
                "(use int, long, float, double, Vector128<byte>, Function for funcref, object for externref, a ValueTuple for several results)",
                nameof(callback));
        return new HostFunctionDefinition(name, type, callback, takesCaller, untyped: false);
    }

    /// <summary>An untyped host function of an explicit type.</summary>
    public static HostFunctionDefinition FromCallback(string name, FunctionType type, WasmCallback callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        return new HostFunctionDefinition(name, type, callback, takesCaller: true, untyped: true);
    }

    /// <summary>The function as seen by an instance of <paramref name="store"/> (<paramref name="caller"/>
    /// is the Caller to hand the callback, bound later to the importing instance).</summary>
    public FunctionInstance Materialize(Store store, Caller caller)
    {
        if (!TakesCaller)
        {
            if (_shared is not null) return _shared;
            var shared = NewInstance(null, null);
            Interlocked.CompareExchange(ref _shared, shared, null);
            return _shared!;
        }
        return NewInstance(caller, store.Execution);
    }

    private FunctionInstance NewInstance(Caller? caller, ExecutionState? execution)
    {
        var delegateType = SignatureDelegates.Get(Type);
        Delegate callable;
        if (_untyped)
            callable = UntypedAdapters.Get(Type).CreateDelegate(delegateType, new UntypedTarget(Type, (WasmCallback)Callback, caller!));
        else if (!TakesCaller && Callback.GetType() == delegateType)
            callable = Callback; // the user's delegate already has the engine's shape: call it directly
        else if (TakesCaller && CallerAdapter.TryCreate(Callback, delegateType, caller!) is { } adapted)
            callable = adapted;
        else
            callable = TypedAdapters.GetOrAdd((Type, Callback.GetType()), static key => BuildTypedAdapter(key.Item1, key.Item2))
                .CreateDelegate(delegateType, new TypedTarget(Callback, caller));
        return new FunctionInstance
        {
            Type = Type,
            TypeId = FunctionTypeRegistry.GetId(Type),
            Callable = callable,
            Name = Name,
            Execution = execution,
        };
    }

    internal sealed class TypedTarget(Delegate callback, Caller? caller)
    {
        public readonly Delegate Callback = callback;
        public readonly Caller? Caller = caller;
    }

    private static readonly ConcurrentDictionary<(FunctionType, Type), DynamicMethod> TypedAdapters = new();

    /// <summary>(TypedTarget, internal parameters) -> internal result, calling the user's delegate
    /// with the Caller and public types.</summary>
    private static DynamicMethod BuildTypedAdapter(FunctionType type, Type userType)
    {
        var userInvoke = userType.GetMethod("Invoke")!;
        var userParameters = userInvoke.GetParameters().Select(p => p.ParameterType).ToArray();
        bool takesCaller = userParameters.Length > 0 && userParameters[0] == typeof(Caller);
        var internalInvoke = SignatureDelegates.Get(type).GetMethod("Invoke")!;
        var internalParameters = internalInvoke.GetParameters().Select(p => p.ParameterType).ToArray();
        var method = ClrMapping.NewMethod("ironwasm-host", internalInvoke.ReturnType, [typeof(TypedTarget), .. internalParameters]);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, typeof(TypedTarget).GetField(nameof(TypedTarget.Callback))!);
        il.Emit(OpCodes.Castclass, userType);
        if (takesCaller)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, typeof(TypedTarget).GetField(nameof(TypedTarget.Caller))!);
        }
        int offset = takesCaller ? 1 : 0;
        for (int i = 0; i < internalParameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, (short)(i + 1));
            ClrMapping.EmitConvert(il, internalParameters[i], userParameters[i + offset]);
        }
        il.Emit(OpCodes.Callvirt, userInvoke);
        ClrMapping.EmitConvert(il, userInvoke.ReturnType, internalInvoke.ReturnType);
        il.Emit(OpCodes.Ret);
        return method;
    }

    /// <summary>What an untyped adapter is closed over; <see cref="Invoke"/> runs the callback over the
    /// argument and result values the adapter laid out.</summary>
    internal sealed class UntypedTarget(FunctionType type, WasmCallback callback, Caller caller)
    {
        private readonly FunctionType _type = type;
        private readonly WasmCallback _callback = callback;
        private readonly Caller _caller = caller;

        public void Invoke(ref WasmValue first)
        {
            int parameterCount = _type.Parameters.Count;
            var values = MemoryMarshal.CreateSpan(ref first, parameterCount + _type.Results.Count);
            var results = values[parameterCount..];
            for (int j = 0; j < results.Length; j++) results[j] = WasmValue.Default(_type.Results[j]);
            _callback(_caller, values[..parameterCount], results);
            for (int j = 0; j < results.Length; j++)
            {
                if (results[j].Kind != _type.Results[j])
                    throw new InvalidOperationException(
                        $"host function returned {(results[j].Kind == 0 ? "an uninitialized value" : results[j].Kind.ToText())} " +
                        $"as result {j}, but its type {_type} says {_type.Results[j].ToText()}");
            }
        }

        public static ref WasmValue First(ref WasmValueBuffer buffer) => ref Unsafe.As<WasmValueBuffer, WasmValue>(ref buffer);
    }

    /// <summary>Room for the arguments and results of an untyped host call on the stack.</summary>
    [InlineArray(Capacity)]
    internal struct WasmValueBuffer
    {
        public const int Capacity = 16;
        private WasmValue _first;
    }

    private static class UntypedAdapters
    {
        private static readonly ConcurrentDictionary<FunctionType, DynamicMethod> Cache = new();

        public static DynamicMethod Get(FunctionType type) => Cache.GetOrAdd(type, Build);

        /// <summary>(UntypedTarget, internal parameters) -> internal result: lays the arguments out as
        /// WasmValues (on the stack when they fit), calls the target, and returns its results.</summary>
        private static DynamicMethod Build(FunctionType type)
        {
            var internalInvoke = SignatureDelegates.Get(type).GetMethod("Invoke")!;
            var parameters = internalInvoke.GetParameters().Select(p => p.ParameterType).ToArray();
            var method = ClrMapping.NewMethod("ironwasm-host", internalInvoke.ReturnType, [typeof(UntypedTarget), .. parameters]);
            var il = method.GetILGenerator();
            var first = il.DeclareLocal(typeof(WasmValue).MakeByRefType());
            int count = type.Parameters.Count + type.Results.Count;
            if (count <= WasmValueBuffer.Capacity)
            {
                var buffer = il.DeclareLocal(typeof(WasmValueBuffer));
                il.Emit(OpCodes.Ldloca, buffer);
                il.Emit(OpCodes.Call, typeof(UntypedTarget).GetMethod(nameof(UntypedTarget.First))!);
            }
            else
            {
                il.Emit(OpCodes.Ldc_I4, count);
                il.Emit(OpCodes.Newarr, typeof(WasmValue));
                il.Emit(OpCodes.Ldc_I4_0);
                il.Emit(OpCodes.Ldelema, typeof(WasmValue));
            }
            il.Emit(OpCodes.Stloc, first);
            for (int i = 0; i < parameters.Length; i++)
            {
                ClrMapping.EmitElementAddress(il, first, i);
                il.Emit(OpCodes.Ldarg, (short)(i + 1));
                ClrMapping.EmitMakeValue(il, type.Parameters[i]);
                il.Emit(OpCodes.Stobj, typeof(WasmValue));
            }
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldloc, first);
            il.Emit(OpCodes.Call, typeof(UntypedTarget).GetMethod(nameof(UntypedTarget.Invoke), BindingFlags.Public | BindingFlags.Instance)!);
            ClrMapping.EmitLoadResults(il, type.Results, first, type.Parameters.Count);
            il.Emit(OpCodes.Ret);
            return method;
        }
    }
}
