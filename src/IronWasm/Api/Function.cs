using System.Runtime.InteropServices;
using IronWasm.Runtime;

namespace IronWasm;

/// <summary>A function of an instance or of the host, as seen from host code. Call it untyped with
/// <see cref="Invoke(ReadOnlySpan{WasmValue}, Span{WasmValue})"/>, or get a typed delegate with
/// <see cref="Instance.GetFunction{T1, TResult}"/> (the fast way).</summary>
public sealed class Function
{
    private ValueTrampoline? _trampoline;

    private Function(FunctionInstance? instance) => Instance = instance;

    internal FunctionInstance? Instance { get; }

    /// <summary>The null function reference (what a null funcref reads as where a Function is required).</summary>
    public static Function Null { get; } = new(null);

    public bool IsNull => Instance is null;

    /// <summary>The function's type.</summary>
    public FunctionType Type => NonNull.Type;

    private FunctionInstance NonNull => Instance ?? throw new InvalidOperationException("the function reference is null");

    internal static Function Wrap(FunctionInstance function) => function.Wrapper ??= new Function(function);

    // Used by generated adapters: the internal funcref representation <-> Function.
    internal static Function? FromInternal(object? reference) => reference is FunctionInstance f ? Wrap(f) : null;
    internal static object? ToInternal(Function? function) => function?.Instance;

    /// <summary>Calls the function. <paramref name="arguments"/> must match the parameter types and
    /// <paramref name="results"/> must have room for every result. A trap in the guest (or an exception
    /// in a host function it calls) surfaces as <see cref="TrapException"/>.</summary>
    public void Invoke(ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results)
    {
        var function = NonNull;
        var type = function.Type;
        if (arguments.Length != type.Parameters.Count)
            throw new ArgumentException($"the function takes {type.Parameters.Count} arguments, not {arguments.Length} ({type})", nameof(arguments));
        for (int i = 0; i < arguments.Length; i++)
        {
            if (arguments[i].Kind != type.Parameters[i])
                throw new ArgumentException($"argument {i} is {DescribeKind(arguments[i].Kind)}, the function wants {type.Parameters[i].ToText()} ({type})", nameof(arguments));
        }
        if (results.Length < type.Results.Count)
            throw new ArgumentException($"the function returns {type.Results.Count} results; the span holds {results.Length}", nameof(results));
        var trampoline = _trampoline ??= ValueTrampolines.Get(type);
        var state = function.Execution;
        int depth = state?.CallDepth ?? 0;
        try
        {
            trampoline(function.Callable, ref MemoryMarshal.GetReference(arguments), ref MemoryMarshal.GetReference(results));
        }
        catch (Exception e)
        {
            var replacement = HostBoundary.OnException(state, depth, e);
            if (replacement is null) throw;
            throw replacement;
        }
    }

    private static string DescribeKind(ValueKind kind) => kind == 0 ? "an uninitialized WasmValue" : kind.ToText();

    /// <summary>Calls the function and returns its results.</summary>
    public WasmValue[] Invoke(params WasmValue[] arguments)
    {
        var results = new WasmValue[NonNull.Type.Results.Count];
        Invoke(arguments.AsSpan(), results.AsSpan());
        return results;
    }

    /// <summary>Calls a function that takes no arguments: returns null, its one result boxed, or an
    /// object?[] of its results.</summary>
    public object? Invoke() => Invoke(Array.Empty<object?>());

    /// <summary>Convenience call with CLR objects (int, long, float, double, Vector128&lt;byte&gt;,
    /// Function, or any object for externref): returns null, the one result, or an object?[] of results.
    /// Boxes; use the typed delegates for speed.</summary>
    public object? Invoke(params object?[] arguments)
    {
        var type = NonNull.Type;
        if (arguments.Length != type.Parameters.Count)
            throw new ArgumentException($"the function takes {type.Parameters.Count} arguments, not {arguments.Length} ({type})", nameof(arguments));
        var values = new WasmValue[arguments.Length];
        for (int i = 0; i < values.Length; i++) values[i] = WasmValue.FromObject(type.Parameters[i], arguments[i]);
        var results = new WasmValue[type.Results.Count];
        Invoke(values, results);
        return results.Length switch
        {
            0 => null,
            1 => results[0].ToObject(),
            _ => results.Select(r => r.ToObject()).ToArray(),
        };
    }

    /// <summary>A typed delegate calling this function, or null when <typeparamref name="TDelegate"/>'s
    /// signature is not the function's (see <see cref="Instance.GetFunction{T1, TResult}"/> for the mapping).</summary>
    public TDelegate? WrapAs<TDelegate>() where TDelegate : Delegate => (TDelegate?)GuestEntry.Create(NonNull, typeof(TDelegate));

    /// <summary>A host function of an explicit type, for tables, globals or <see cref="Linker.Define"/>.
    /// Its <see cref="Caller"/> has no instance.</summary>
    public static Function FromCallback(Store store, FunctionType type, WasmCallback callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Wrap(HostFunctionDefinition.FromCallback("host", type, callback).Materialize(store, new Caller(store)));
    }

    /// <summary>A typed host function from a Func/Action (optionally taking a leading <see cref="Caller"/>),
    /// with the type mapping of <see cref="Linker"/>'s DefineFunction.</summary>
    public static Function FromDelegate(Store store, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Wrap(HostFunctionDefinition.FromDelegate("host", callback).Materialize(store, new Caller(store)));
    }

    public override string ToString() => Instance is null ? "null" : $"{Instance.Name ?? "function"} {Instance.Type}";
}
