// More of the compiler/runtime contract (see Internals.cs).
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;
using IronWasm.Compilation;
using IronWasm.Loading;
using IronWasm.Model;

namespace IronWasm.Runtime;

/// <summary>Maps structurally equal function types to one small integer, process-wide, so
/// <c>call_indirect</c> checks a signature with one integer compare.</summary>
internal static class FunctionTypeRegistry
{
    private static readonly ConcurrentDictionary<FunctionType, int> Ids = new();
    private static int _next;

    public static int GetId(FunctionType type) =>
        Ids.TryGetValue(type, out int id) ? id : Ids.GetOrAdd(type, static _ => Interlocked.Increment(ref _next));
}

/// <summary>The CLR shape of Wasm functions. For a function type [P1..Pn] -> [R1..Rm]:
/// parameters map i32->int, i64->long, f32->float, f64->double, v128->Vector128&lt;byte&gt;,
/// funcref and externref->object; the result is void (m = 0), R1 (m = 1), or a ValueTuple of
/// R1..Rm (m &gt; 1; nested through TRest beyond seven). Compiled functions are static methods
/// (InstanceContext, P1..Pn) -> result, exposed as delegates of <see cref="Get"/>'s type closed over
/// their InstanceContext.</summary>
internal static class SignatureDelegates
{
    private static readonly ConcurrentDictionary<FunctionType, Type> Cache = new();

    /// <summary>The delegate type for a function type: Func/Action where they fit (up to 16
    /// parameters), else a delegate type generated once per shape by System.Linq.Expressions.</summary>
    public static Type Get(FunctionType type) =>
        Cache.TryGetValue(type, out var result) ? result : Cache.GetOrAdd(type, Create);

    private static Type Create(FunctionType type)
    {
        var parameters = ClrTypes(type.Parameters);
        var returnType = ReturnType(type.Results);
        // Func and Action directly: going through System.Linq.Expressions for them would load that
        // assembly at every start for nothing (a few milliseconds).
        if (returnType == typeof(void) && parameters.Length <= ActionTypes.Length - 1)
            return parameters.Length == 0 ? typeof(Action) : ActionTypes[parameters.Length].MakeGenericType(parameters);
        if (returnType != typeof(void) && parameters.Length <= FuncTypes.Length - 1)
            return FuncTypes[parameters.Length].MakeGenericType([.. parameters, returnType]);
        return returnType == typeof(void)
            ? Expression.GetDelegateType([.. parameters, typeof(void)])
            : Expression.GetDelegateType([.. parameters, returnType]);
    }

    // Indexed by parameter count: Action, Action<T1>, ..., Action<T1..T16>; Func<TResult>, ..., Func<T1..T16, TResult>.
    private static readonly Type[] ActionTypes =
    [
        typeof(Action), typeof(Action<>), typeof(Action<,>), typeof(Action<,,>), typeof(Action<,,,>), typeof(Action<,,,,>),
        typeof(Action<,,,,,>), typeof(Action<,,,,,,>), typeof(Action<,,,,,,,>), typeof(Action<,,,,,,,,>), typeof(Action<,,,,,,,,,>),
        typeof(Action<,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,,>),
        typeof(Action<,,,,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,,,,>),
    ];

    private static readonly Type[] FuncTypes =
    [
        typeof(Func<>), typeof(Func<,>), typeof(Func<,,>), typeof(Func<,,,>), typeof(Func<,,,,>), typeof(Func<,,,,,>),
        typeof(Func<,,,,,,>), typeof(Func<,,,,,,,>), typeof(Func<,,,,,,,,>), typeof(Func<,,,,,,,,,>), typeof(Func<,,,,,,,,,,>),
        typeof(Func<,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,,>),
        typeof(Func<,,,,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,,,,>),
    ];

    /// <summary>The CLR type of one value type.</summary>
    public static Type ClrType(ValueKind type) => type switch
    {
        ValueKind.I32 => typeof(int),
        ValueKind.I64 => typeof(long),
        ValueKind.F32 => typeof(float),
        ValueKind.F64 => typeof(double),
        ValueKind.V128 => typeof(Vector128<byte>),
        ValueKind.FuncRef or ValueKind.ExternRef => typeof(object),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a value type"),
    };

    /// <summary>The CLR return type for a result list (void, the single type, or the ValueTuple).</summary>
    public static Type ReturnType(IReadOnlyList<ValueKind> results) => results.Count switch
    {
        0 => typeof(void),
        1 => ClrType(results[0]),
        _ => TupleType(ClrTypes(results)),
    };

    /// <summary>The CLR types of <paramref name="kinds"/>. A loop, not LINQ: Select over a list of a
    /// byte-sized enum is generic code no ReadyToRun image has, which the JIT compiles at every start.</summary>
    public static Type[] ClrTypes(IReadOnlyList<ValueKind> kinds)
    {
        var types = new Type[kinds.Count];
        for (int i = 0; i < types.Length; i++) types[i] = ClrType(kinds[i]);
        return types;
    }

    /// <summary>The ValueTuple type holding <paramref name="items"/> (two or more), nested through TRest
    /// beyond seven as C# does.</summary>
    // A trimmed publish keeps only the framework members some code names; the compilers construct
    // and read these tuples through reflection on types made at run time (multi-value results).
    [DynamicDependency(TupleMembers, typeof(ValueTuple<>))]
    [DynamicDependency(TupleMembers, typeof(ValueTuple<,>))]
    [DynamicDependency(TupleMembers, typeof(ValueTuple<,,>))]
    [DynamicDependency(TupleMembers, typeof(ValueTuple<,,,>))]
    [DynamicDependency(TupleMembers, typeof(ValueTuple<,,,,>))]
    [DynamicDependency(TupleMembers, typeof(ValueTuple<,,,,,>))]
    [DynamicDependency(TupleMembers, typeof(ValueTuple<,,,,,,>))]
    [DynamicDependency(TupleMembers, typeof(ValueTuple<,,,,,,,>))]
    public static Type TupleType(ReadOnlySpan<Type> items)
    {
        if (items.Length <= 7) return ValueTupleDefinitions[items.Length].MakeGenericType(items.ToArray());
        var rest = TupleType(items[7..]);
        return ValueTupleDefinitions[8].MakeGenericType([.. items[..7], rest]);
    }

    private const DynamicallyAccessedMemberTypes TupleMembers = DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicFields;

    private static readonly Type[] ValueTupleDefinitions =
    [
        typeof(ValueTuple), typeof(ValueTuple<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(ValueTuple<,,,>),
        typeof(ValueTuple<,,,,>), typeof(ValueTuple<,,,,,>), typeof(ValueTuple<,,,,,,>), typeof(ValueTuple<,,,,,,,>),
    ];
}

/// <summary>A module after decoding and validation, shared by all its instances: the definition,
/// and per defined function the compiled method once it exists. Compilation is lazy and
/// thread-safe: each function is compiled at most once per module, on its first call in any
/// instance. A module loaded from a persisted assembly (<see cref="Code"/>) compiles nothing: its
/// methods are looked up in that assembly on first call instead.</summary>
internal sealed class CompiledModule
{
    public CompiledModule(ModuleDefinition definition, EngineOptions options, PersistedCode? code = null)
    {
        Definition = definition;
        Options = options;
        Code = code;
        Methods = new MethodInfo?[definition.FunctionTypeIndices.Count];
    }

    public ModuleDefinition Definition { get; }
    public EngineOptions Options { get; }
    /// <summary>The persisted assembly holding every function's code, or null for lazily compiled DynamicMethods.</summary>
    public PersistedCode? Code { get; }
    /// <summary>Method per defined function (index = function index - imported count), or null until
    /// first needed: a DynamicMethod, or a static method of <see cref="Code"/>'s assembly.</summary>
    public MethodInfo?[] Methods { get; }

    private readonly object _compileLock = new();
    private int[]? _typeIds;
    private LazyStubFactory[]? _stubFactories;

    /// <summary>The compiled method of defined function <paramref name="definedIndex"/>, compiling it
    /// on first request. Compilation runs under a per-module lock (re-entrant, so the compiler may ask
    /// for other functions of the module while compiling one).</summary>
    public MethodInfo GetMethod(int definedIndex)
    {
        var method = Volatile.Read(ref Methods[definedIndex]);
        if (method is not null) return method;
        if (Code is { } code)
        {
            // Looking the method up twice in a race is harmless: both get the same method.
            method = code.Resolve(definedIndex);
            Volatile.Write(ref Methods[definedIndex], method);
            return method;
        }
        lock (_compileLock)
        {
            method = Methods[definedIndex];
            if (method is null)
            {
                method = FunctionCompiler.Compile(this, definedIndex);
                Volatile.Write(ref Methods[definedIndex], method);
            }
            return method;
        }
    }

    /// <summary>The name given to the method of function <paramref name="functionIndex"/>
    /// (function index space): "$name" from the name section, else "wasm-function[index]". Stack
    /// frames with such names are what <see cref="Backtrace"/> reports.</summary>
    public string MethodName(int functionIndex) => MethodName(Definition, functionIndex);

    /// <inheritdoc cref="MethodName(int)"/>
    public static string MethodName(ModuleDefinition definition, int functionIndex) =>
        definition.GetFunctionName((uint)functionIndex) is { } name ? "$" + name : $"wasm-function[{functionIndex}]";

    /// <summary>Canonical type id of each entry of the type section, computed once.</summary>
    public int[] TypeIds
    {
        get
        {
            var ids = Volatile.Read(ref _typeIds);
            if (ids is not null) return ids;
            var types = Definition.Types;
            ids = new int[types.Count];
            for (int i = 0; i < ids.Length; i++) ids[i] = FunctionTypeRegistry.GetId(types[i]);
            Volatile.Write(ref _typeIds, ids);
            return ids;
        }
    }

    /// <summary>The lazy-stub factory for each entry of the type section, computed once.</summary>
    internal LazyStubFactory[] StubFactories
    {
        get
        {
            var factories = Volatile.Read(ref _stubFactories);
            if (factories is not null) return factories;
            var types = Definition.Types;
            factories = new LazyStubFactory[types.Count];
            for (int i = 0; i < factories.Length; i++) factories[i] = LazyStubFactory.For(types[i]);
            Volatile.Write(ref _stubFactories, factories);
            return factories;
        }
    }
}

/// <summary>Engine settings that change the code the compiler emits.</summary>
internal sealed record EngineOptions
{
    /// <summary>Emit fuel accounting (per block).</summary>
    public bool ConsumeFuel { get; init; }
    /// <summary>Emit epoch/deadline checks at function entry and loop headers.</summary>
    public bool Interruptible { get; init; }
}
