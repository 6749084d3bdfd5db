using IronWasm.Runtime;

namespace IronWasm;

/// <summary>Resolves a module's imports by (module, name) and instantiates it. Definitions are host
/// functions (usable in any store of the engine) or the functions, memories, tables and globals of a
/// store (usable only in that store).</summary>
public sealed partial class Linker
{
    /// <summary>Definitions by module name, then name. Nested string-keyed dictionaries rather than one
    /// keyed by a (module, name) tuple: the tuple's comparer is generic code the JIT compiles at every
    /// start, string keys are precompiled.</summary>
    private readonly Dictionary<string, Dictionary<string, object>> _definitions = new(StringComparer.Ordinal);

    private object? Find(string module, string name) =>
        _definitions.TryGetValue(module, out var names) && names.TryGetValue(name, out var item) ? item : null;

    public Linker(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
    }

    public Engine Engine { get; }

    /// <summary>Whether a definition may replace an earlier one of the same name (else that throws).</summary>
    public bool AllowShadowing { get; set; }

    /// <summary>Defines an untyped host function of an explicit type.</summary>
    public Linker DefineFunction(string module, string name, FunctionType type, WasmCallback callback) =>
        Add(module, name, HostFunctionDefinition.FromCallback($"{module}::{name}", type, callback));

    /// <summary>Defines a <see cref="Function"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>.</summary>
    public Linker Define(string module, string name, object item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item is not (Function or Memory or Table or Global))
            throw new ArgumentException($"cannot define a {item.GetType().Name}: expected a Function, Memory, Table or Global", nameof(item));
        if (item is Function { IsNull: true }) throw new ArgumentException("cannot define the null function", nameof(item));
        return Add(module, name, item);
    }

    /// <summary>Defines every export of <paramref name="instance"/> under the module name <paramref name="moduleName"/>.</summary>
    public Linker DefineInstance(Store store, string moduleName, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Store != store) throw new ArgumentException("the instance belongs to another store", nameof(instance));
        foreach (var export in instance.Module.Compiled.Definition.Exports) Add(moduleName, export.Name, instance.GetExport(export));
        return this;
    }

    /// <summary>The definition of (<paramref name="module"/>, <paramref name="name"/>) as a Function,
    /// Memory, Table or Global of <paramref name="store"/>, or null.</summary>
    public object? Get(Store store, string module, string name)
    {
        if (Find(module, name) is not { } item) return null;
        return item is HostFunctionDefinition host ? Function.Wrap(host.Materialize(store, new Caller(store))) : item;
    }

    /// <summary>Instantiates <paramref name="module"/> in <paramref name="store"/>, resolving its imports
    /// from this linker. Throws <see cref="WasmLinkException"/> for missing or mistyped imports and
    /// <see cref="TrapException"/> if a segment is out of bounds or the start function traps.</summary>
    public Instance Instantiate(Store store, Module module)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        if (module.Engine != Engine || store.Engine != Engine) throw new ArgumentException("the store, module and linker must share one engine");
        return Instantiation.Run(store, module, Find);
    }

    private Linker DefineHost(string module, string name, Delegate callback) =>
        Add(module, name, HostFunctionDefinition.FromDelegate($"{module}::{name}", callback));

    private Linker Add(string module, string name, object item)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (!_definitions.TryGetValue(module, out var names)) _definitions.Add(module, names = new(StringComparer.Ordinal));
        if (!AllowShadowing && names.ContainsKey(name))
            throw new WasmLinkException($"`{module}::{name}` is already defined (set AllowShadowing to replace definitions)");
        names[name] = item;
        return this;
    }
}
