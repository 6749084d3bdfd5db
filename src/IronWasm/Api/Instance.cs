using IronWasm.Model;
using IronWasm.Runtime;

namespace IronWasm;

/// <summary>An instantiated module: its exports, bound to one store.</summary>
/// <remarks>Typed getters map Wasm types to CLR types as follows: i32 = int, i64 = long, f32 = float,
/// f64 = double, v128 = Vector128&lt;byte&gt;, funcref = <see cref="Function"/>, externref = object;
/// several results are a ValueTuple. The returned delegates call straight into the guest; get them
/// once and keep them.</remarks>
public sealed class Instance
{
    private Dictionary<string, ExportDefinition>? _exports;

    internal Instance(Store store, Module module, InstanceContext context)
    {
        Store = store;
        Module = module;
        Context = context;
    }

    public Store Store { get; }
    public Module Module { get; }
    internal InstanceContext Context { get; }

    private ExportDefinition? FindExport(string name, ExternalKind kind)
    {
        var exports = _exports ??= Module.Compiled.Definition.Exports.ToDictionary(e => e.Name, StringComparer.Ordinal);
        return exports.TryGetValue(name, out var export) && export.Kind == kind ? export : null;
    }

    /// <summary>The exported function <paramref name="name"/>, or null.</summary>
    public Function? GetFunction(string name) =>
        FindExport(name, ExternalKind.Function) is { } e ? Function.Wrap(Context.Functions[e.Index]) : null;

    /// <summary>The exported memory <paramref name="name"/>, or null.</summary>
    public Memory? GetMemory(string name) =>
        FindExport(name, ExternalKind.Memory) is { } e ? Memory.Wrap(Context.Memories[e.Index], Store) : null;

    /// <summary>The exported table <paramref name="name"/>, or null.</summary>
    public Table? GetTable(string name) =>
        FindExport(name, ExternalKind.Table) is { } e ? Table.Wrap(Context.Tables[e.Index]) : null;

    /// <summary>The exported global <paramref name="name"/>, or null.</summary>
    public Global? GetGlobal(string name) =>
        FindExport(name, ExternalKind.Global) is { } e ? Global.Wrap(Context.Globals[e.Index]) : null;

    /// <summary>Every export by name: <see cref="Function"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>.</summary>
    public IReadOnlyDictionary<string, object> GetExports()
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var export in Module.Compiled.Definition.Exports) result[export.Name] = GetExport(export);
        return result;
    }

    internal object GetExport(ExportDefinition export) => export.Kind switch
    {
        ExternalKind.Function => Function.Wrap(Context.Functions[export.Index]),
        ExternalKind.Memory => Memory.Wrap(Context.Memories[export.Index], Store),
        ExternalKind.Table => Table.Wrap(Context.Tables[export.Index]),
        _ => Global.Wrap(Context.Globals[export.Index]),
    };

    /// <summary>The exported function <paramref name="name"/> as a delegate of any Func/Action or
    /// custom delegate type with the matching CLR signature, or null.</summary>
    public TDelegate? GetDelegate<TDelegate>(string name) where TDelegate : Delegate => GetTyped<TDelegate>(name);

    private TDelegate? GetTyped<TDelegate>(string name) where TDelegate : Delegate =>
        FindExport(name, ExternalKind.Function) is { } e ? (TDelegate?)GuestEntry.Create(Context.Functions[e.Index], typeof(TDelegate)) : null;

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [] -> [TResult].</summary>
    public Func<TResult>? GetFunction<TResult>(string name) => GetTyped<Func<TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1] -> [TResult].</summary>
    public Func<T1, TResult>? GetFunction<T1, TResult>(string name) => GetTyped<Func<T1, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1, T2] -> [TResult].</summary>
    public Func<T1, T2, TResult>? GetFunction<T1, T2, TResult>(string name) => GetTyped<Func<T1, T2, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1, T2, T3] -> [TResult].</summary>
    public Func<T1, T2, T3, TResult>? GetFunction<T1, T2, T3, TResult>(string name) => GetTyped<Func<T1, T2, T3, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4] -> [TResult].</summary>
    public Func<T1, T2, T3, T4, TResult>? GetFunction<T1, T2, T3, T4, TResult>(string name) => GetTyped<Func<T1, T2, T3, T4, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5] -> [TResult].</summary>
    public Func<T1, T2, T3, T4, T5, TResult>? GetFunction<T1, T2, T3, T4, T5, TResult>(string name) => GetTyped<Func<T1, T2, T3, T4, T5, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5, T6] -> [TResult].</summary>
    public Func<T1, T2, T3, T4, T5, T6, TResult>? GetFunction<T1, T2, T3, T4, T5, T6, TResult>(string name) => GetTyped<Func<T1, T2, T3, T4, T5, T6, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5, T6, T7] -> [TResult].</summary>
    public Func<T1, T2, T3, T4, T5, T6, T7, TResult>? GetFunction<T1, T2, T3, T4, T5, T6, T7, TResult>(string name) => GetTyped<Func<T1, T2, T3, T4, T5, T6, T7, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed delegate, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5, T6, T7, T8] -> [TResult].</summary>
    public Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>? GetFunction<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(string name) => GetTyped<Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>>(name);

    /// <summary>The exported function <paramref name="name"/> as an Action, or null if there is no such
    /// function or it takes parameters or returns results.</summary>
    public Action? GetAction(string name) => GetTyped<Action>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1] -> [].</summary>
    public Action<T1>? GetAction<T1>(string name) => GetTyped<Action<T1>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1, T2] -> [].</summary>
    public Action<T1, T2>? GetAction<T1, T2>(string name) => GetTyped<Action<T1, T2>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1, T2, T3] -> [].</summary>
    public Action<T1, T2, T3>? GetAction<T1, T2, T3>(string name) => GetTyped<Action<T1, T2, T3>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4] -> [].</summary>
    public Action<T1, T2, T3, T4>? GetAction<T1, T2, T3, T4>(string name) => GetTyped<Action<T1, T2, T3, T4>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5] -> [].</summary>
    public Action<T1, T2, T3, T4, T5>? GetAction<T1, T2, T3, T4, T5>(string name) => GetTyped<Action<T1, T2, T3, T4, T5>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5, T6] -> [].</summary>
    public Action<T1, T2, T3, T4, T5, T6>? GetAction<T1, T2, T3, T4, T5, T6>(string name) => GetTyped<Action<T1, T2, T3, T4, T5, T6>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5, T6, T7] -> [].</summary>
    public Action<T1, T2, T3, T4, T5, T6, T7>? GetAction<T1, T2, T3, T4, T5, T6, T7>(string name) => GetTyped<Action<T1, T2, T3, T4, T5, T6, T7>>(name);

    /// <summary>The exported function <paramref name="name"/> as a typed Action, or null if there is no
    /// such function or its type is not [T1, T2, T3, T4, T5, T6, T7, T8] -> [].</summary>
    public Action<T1, T2, T3, T4, T5, T6, T7, T8>? GetAction<T1, T2, T3, T4, T5, T6, T7, T8>(string name) => GetTyped<Action<T1, T2, T3, T4, T5, T6, T7, T8>>(name);
}
