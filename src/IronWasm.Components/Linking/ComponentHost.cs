using System.Text;
using IronWasm.Components.Bindings;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Linking;

/// <summary>Runs core modules as components linked to each other at run time: each component is a
/// module playing a WIT world, instantiated on its own (its own memory and handle table, in the
/// host's one <see cref="Store"/>); a link satisfies one component's import of an interface with
/// another's export of it, copying values between the two memories through the canonical ABI and
/// passing resource handles across. A component that others import from (a driver) can be
/// <see cref="Swap">swapped</see> while the rest run. Not thread-safe: like a store, a host runs on
/// one thread at a time.</summary>
/// <example><code>
/// var host = new ComponentHost(engine);
/// host.AddComponent("sensor", Module.FromFile(engine, "driver-sim.wasm"), wit.SelectWorld("driver"));
/// host.AddComponent("app", Module.FromFile(engine, "app.wasm"), wit.SelectWorld("app"));
/// host.Link("app", "ironwasm:example/thermometer@0.1.0", "sensor");
/// host.Instantiate();
/// var report = host.GetFunction("app", "run").Invoke(ComponentValue.U32(3));
/// host.Swap("sensor", Module.FromFile(engine, "driver-other.wasm"));   // the next call reaches it
/// </code></example>
public sealed class ComponentHost
{
    private readonly List<LinkedComponent> _components = new();
    private readonly List<InterfaceLink> _links = new();
    private bool _instantiated;

    /// <param name="engine">The engine the modules were made with.</param>
    /// <param name="store">The store every instance lives in; a new one when null.</param>
    public ComponentHost(Engine engine, Store? store = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (store is not null && store.Engine != engine) throw new ArgumentException("the store belongs to another engine", nameof(store));
        Engine = engine;
        Store = store ?? new Store(engine);
    }

    public Engine Engine { get; }

    public Store Store { get; }

    /// <summary>Called with each component's name, fresh linker and canonical-ABI state before the
    /// component is instantiated (also on a swap), to define the imports no link provides: WASI,
    /// host interfaces (generated bindings' <c>Define(linker, canonical, ...)</c>). Resources the
    /// generated bindings define are then bound to the component's WIT resources, so host objects
    /// can be passed to its exports (<see cref="Bindings.HostResource{T}.Own"/>).</summary>
    public Action<string, Linker, CanonicalInstance>? DefineHostImports { get; set; }

    public IReadOnlyList<LinkedComponent> Components => _components;

    /// <summary>Whether links copy values of functions without handles directly between memories
    /// (the default) rather than through ComponentValues. Both give the same values and traps;
    /// tests and benchmarks compare them. Read when a component is instantiated.</summary>
    internal bool DirectCopy { get; set; } = true;

    public LinkedComponent this[string name] =>
        _components.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"no component named `{name}`");

    /// <summary>Declares a component: <paramref name="module"/> playing <paramref name="world"/>.</summary>
    public LinkedComponent AddComponent(string name, Module module, WitWorld world)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(world);
        RequireNotInstantiated();
        if (_components.Any(c => c.Name == name)) throw new ArgumentException($"a component named `{name}` already exists", nameof(name));
        var component = new LinkedComponent(name, module, world);
        _components.Add(component);
        return component;
    }

    /// <summary>Satisfies <paramref name="importer"/>'s import of <paramref name="interfaceName"/>
    /// with <paramref name="exporter"/>'s export of <paramref name="exportInterfaceName"/> (the same
    /// name when null). Names are `ns:pkg/iface@version` or a plain interface name. The WIT types
    /// of both sides are compared here.</summary>
    /// <exception cref="ComponentLinkException">A side lacks the interface, or the two differ.</exception>
    public void Link(string importer, string interfaceName, string exporter, string? exportInterfaceName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        RequireNotInstantiated();
        var from = this[importer];
        var to = this[exporter];
        exportInterfaceName ??= interfaceName;
        string declared = $"link {importer}.import {interfaceName} <- {exporter}.export {exportInterfaceName}";
        if (ReferenceEquals(from, to)) throw new ComponentLinkException($"{declared}: a component cannot import from itself", importer, exporter);
        var imported = LinkValidator.FindInterface(from.World, interfaceName, imports: true)
            ?? throw new ComponentLinkException(
                $"{declared}: {importer} (world {from.World.QualifiedName}) does not import {interfaceName}; it imports {LinkValidator.ListInterfaces(from.World, true)}",
                importer, exporter);
        var exported = LinkValidator.FindInterface(to.World, exportInterfaceName, imports: false)
            ?? throw new ComponentLinkException(
                $"{declared}: {importer} imports {imported.QualifiedName}, but {exporter} (world {to.World.QualifiedName}) does not export {exportInterfaceName}; it exports {LinkValidator.ListInterfaces(to.World, false)}",
                importer, exporter);
        if (_links.Any(l => l.Importer == from && l.ImportInterface == imported))
            throw new ComponentLinkException($"{declared}: {importer}'s import of {imported.QualifiedName} is already linked", importer, exporter);
        var link = new InterfaceLink(from, imported, to, exported);
        LinkValidator.CheckInterfaces(link.ToString(), from, imported, to, exported);
        _links.Add(link);
    }

    /// <summary>Checks every component's core module against its links (imports and exports with
    /// the canonical ABI's core types), without instantiating anything.</summary>
    /// <exception cref="ComponentLinkException">A module does not match.</exception>
    public void Validate()
    {
        foreach (var component in _components) Validate(component, component.Module);
    }

    /// <summary>Validates, then instantiates every component, those exported from before those that
    /// import them, calling each one's `_initialize` if it has one.</summary>
    /// <exception cref="ComponentLinkException">The links or modules do not match, or the links form a cycle.</exception>
    public void Instantiate()
    {
        RequireNotInstantiated();
        Validate();
        foreach (var component in InstantiationOrder()) component.Current = CreateGeneration(component, component.Module, 1);
        _instantiated = true;
    }

    /// <summary>Replaces the instance of <paramref name="component"/> by a new instance of
    /// <paramref name="module"/> (which plays the same world). Calls made after this reach the new
    /// instance. Handles that importers got from the old instance stay in their tables: calling a
    /// method through one traps with <see cref="CanonicalAbiError.StaleHandle"/>, and dropping one
    /// runs the old instance's destructor, which is kept alive for that. If validation or
    /// instantiation fails, the old instance stays in place.</summary>
    /// <exception cref="ComponentLinkException">The module does not match the component's links.</exception>
    public void Swap(string component, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!_instantiated) throw new InvalidOperationException("instantiate the host before swapping components");
        var target = this[component];
        Validate(target, module);
        var generation = CreateGeneration(target, module, target.Generation + 1);
        target.Current = generation;
        target.Module = module;
    }

    /// <summary>The world-level function <paramref name="name"/> (or `iface#function`) that
    /// <paramref name="component"/>'s current instance exports, as a callable lift. After a swap of
    /// that component, get it again.</summary>
    public GuestFunction GetFunction(string component, string name)
    {
        var target = this[component];
        var generation = target.Current ?? throw new InvalidOperationException($"{component} is not instantiated");
        int hash = name.LastIndexOf('#');
        WitInterface? iface = null;
        WitFunction? function;
        if (hash < 0)
        {
            function = target.World.FindExport(name)?.Function;
        }
        else
        {
            iface = LinkValidator.FindInterface(target.World, name[..hash], imports: false);
            function = iface?.FindFunction(name[(hash + 1)..]);
        }
        if (function is null) throw new ArgumentException($"{component} (world {target.World.QualifiedName}) exports no function `{name}`", nameof(name));
        return GuestFunction.FromExport(generation.Canonical, generation.Instance, iface, function);
    }

    /// <summary>The components and links, with each linked function's WIT type and core names.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine("components:");
        foreach (var component in _components)
        {
            text.Append($"  {component.Name}: module `{component.Module.Name}`, world {component.World.QualifiedName}");
            text.AppendLine(component.Generation > 1 ? $", instance #{component.Generation}" : "");
        }
        text.AppendLine("links:");
        foreach (var link in _links)
        {
            text.AppendLine($"  {link}");
            foreach (var function in link.ImportInterface.Functions)
            {
                text.AppendLine($"    {function}");
                text.AppendLine($"      {link.Importer.Name} imports `{CoreNames.ImportModule(link.ImportInterface)}::{CoreNames.ImportName(function)}` " +
                    $"-> {link.Exporter.Name} exports `{CoreNames.ExportName(link.ExportInterface.QualifiedName, function.CanonicalName)}`");
            }
        }
        return text.ToString();
    }

    private void Validate(LinkedComponent component, Module module)
    {
        foreach (var link in _links)
        {
            if (link.Importer == component) LinkValidator.CheckImporterModule(link, module);
            if (link.Exporter == component) LinkValidator.CheckExporterModule(link, module);
        }
    }

    private ComponentGeneration CreateGeneration(LinkedComponent component, Module module, int number)
    {
        var canonical = new CanonicalInstance();
        var generation = new ComponentGeneration(component, number, module, canonical);
        var linker = new Linker(Engine);
        if (DefineHostImports is { } defineHostImports)
        {
            defineHostImports(component.Name, linker, canonical);
            HostBindings.UseResources(canonical, component.World);
        }
        foreach (var link in _links.Where(l => l.Importer == component)) link.DefineImports(linker, canonical, DirectCopy);
        foreach (var exported in _links.Where(l => l.Exporter == component).Select(l => l.ExportInterface).Distinct())
        {
            var binding = new ExportedInterface(generation, exported);
            generation.Exports[exported] = binding;
            foreach (var resource in ExportedInterface.ResourcesOf(exported))
                linker.DefineResourceIntrinsics(canonical, exported.QualifiedName!, resource);
        }
        var instance = linker.Instantiate(Store, module);
        generation.Instance = instance;
        canonical.Bind(instance);
        foreach (var binding in generation.Exports.Values) binding.Bind(instance);
        instance.GetFunction("_initialize")?.Invoke([], []);
        return generation;
    }

    /// <summary>Exporters before their importers (a depth-first topological order); a cycle is an error.</summary>
    private List<LinkedComponent> InstantiationOrder()
    {
        var order = new List<LinkedComponent>();
        var state = new Dictionary<LinkedComponent, bool>();   // false: in progress, true: done
        void Visit(LinkedComponent component, List<string> path)
        {
            if (state.TryGetValue(component, out bool done))
            {
                if (!done) throw new ComponentLinkException($"the links form a cycle: {string.Join(" -> ", path.Append(component.Name))}");
                return;
            }
            state[component] = false;
            path.Add(component.Name);
            foreach (var link in _links.Where(l => l.Importer == component)) Visit(link.Exporter, path);
            path.RemoveAt(path.Count - 1);
            state[component] = true;
            order.Add(component);
        }
        foreach (var component in _components) Visit(component, []);
        return order;
    }

    private void RequireNotInstantiated()
    {
        if (_instantiated) throw new InvalidOperationException("the host is already instantiated; components and links are fixed");
    }
}
