namespace IronWasm.Components.Wit;

/// <summary>A resolved interface: named types and functions. Inline interfaces of a world
/// (`import x: interface { ... }`) have no <see cref="Name"/> and a <see cref="World"/>.</summary>
public sealed class WitInterface
{
    internal readonly List<WitNamedType> TypeList = new();
    internal readonly List<WitFunction> FunctionList = new();
    internal readonly List<WitInterface> DependencyList = new();

    internal WitInterface(WitPackage package, string? name, WitWorld? world, string? docs, WitFeatureGate? gate)
    {
        Package = package;
        Name = name;
        World = world;
        Docs = docs;
        Gate = gate;
    }

    public WitPackage Package { get; }

    /// <summary>The interface name, or null for an inline interface in a world.</summary>
    public string? Name { get; }

    /// <summary>The world an inline interface is declared in; null for a named interface.</summary>
    public WitWorld? World { get; }

    public string? Docs { get; }

    public WitFeatureGate? Gate { get; }

    /// <summary>`ns:pkg/name@version`, or null for an inline interface.</summary>
    public string? QualifiedName => Name is null ? null : Package.Name.Qualify(Name);

    /// <summary>Types defined or `use`d here, in declaration order.</summary>
    public IReadOnlyList<WitNamedType> Types => TypeList;

    /// <summary>All functions in declaration order, resource functions included (desugared, see
    /// <see cref="WitFunction.CanonicalName"/>).</summary>
    public IReadOnlyList<WitFunction> Functions => FunctionList;

    /// <summary>The interfaces this one `use`s types from, in first-use order.</summary>
    public IReadOnlyList<WitInterface> Dependencies => DependencyList;

    public WitNamedType? FindType(string name) => TypeList.FirstOrDefault(t => t.Name == name);

    /// <summary>Finds a function by its canonical name (`f`, `[method]r.m`, ...).</summary>
    public WitFunction? FindFunction(string canonicalName) => FunctionList.FirstOrDefault(f => f.CanonicalName == canonicalName);

    public override string ToString() => QualifiedName ?? "interface { ... }";
}
