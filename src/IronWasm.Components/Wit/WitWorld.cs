namespace IronWasm.Components.Wit;

/// <summary>One import or export of a world: an interface or a function. <see cref="Name"/> is
/// the interface name (`ns:pkg/iface@version`) for `import iface;`, or the plain name for
/// `import name: ...;`.</summary>
public sealed class WitWorldItem
{
    internal WitWorldItem(string name, bool hasInterfaceName, WitInterface? @interface, WitFunction? function,
        bool isImplicit, string? docs, WitFeatureGate? gate, string? externalId)
    {
        Name = name; HasInterfaceName = hasInterfaceName; Interface = @interface; Function = function;
        IsImplicit = isImplicit; Docs = docs; Gate = gate; ExternalId = externalId;
    }

    public string Name { get; }

    /// <summary>True when <see cref="Name"/> is an interface name rather than a plain name.</summary>
    public bool HasInterfaceName { get; }

    /// <summary>The imported or exported interface (named, or inline), or null for a function.</summary>
    public WitInterface? Interface { get; }

    /// <summary>The imported or exported function, or null for an interface.</summary>
    public WitFunction? Function { get; }

    /// <summary>True for an import the world does not list but needs, because a listed interface
    /// (or a world-level `use`) takes types from it (WIT.md, "Transitive imports and worlds").</summary>
    public bool IsImplicit { get; }

    public string? Docs { get; }

    public WitFeatureGate? Gate { get; }

    public string? ExternalId { get; }

    internal WitWorldItem Renamed(string name) => new(name, false, Interface, Function, IsImplicit, Docs, Gate, ExternalId);

    public override string ToString() => Name;
}

/// <summary>A resolved world: imports and exports after `include`s, with implicit imports added.</summary>
public sealed class WitWorld
{
    internal readonly List<WitWorldItem> ImportList = new();
    internal readonly List<WitWorldItem> ExportList = new();
    internal readonly List<WitNamedType> TypeList = new();

    internal WitWorld(WitPackage package, string name, string? docs, WitFeatureGate? gate)
    {
        Package = package;
        Name = name;
        Docs = docs;
        Gate = gate;
    }

    public WitPackage Package { get; }

    public string Name { get; }

    public string? Docs { get; }

    public WitFeatureGate? Gate { get; }

    public string QualifiedName => Package.Name.Qualify(Name);

    public IReadOnlyList<WitWorldItem> Imports => ImportList;

    public IReadOnlyList<WitWorldItem> Exports => ExportList;

    /// <summary>Types defined or `use`d in the world itself (they are imported by the component).</summary>
    public IReadOnlyList<WitNamedType> Types => TypeList;

    public WitWorldItem? FindImport(string name) => ImportList.FirstOrDefault(i => i.Name == name);

    public WitWorldItem? FindExport(string name) => ExportList.FirstOrDefault(i => i.Name == name);

    public override string ToString() => QualifiedName;
}
