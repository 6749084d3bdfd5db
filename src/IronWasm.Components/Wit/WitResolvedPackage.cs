namespace IronWasm.Components.Wit;

/// <summary>The result of loading WIT: the root package and every package it was resolved with.</summary>
public sealed class WitResolvedPackage
{
    internal WitResolvedPackage(WitPackage package, IReadOnlyList<WitPackage> packages)
    {
        Package = package;
        Packages = packages;
    }

    /// <summary>The root package (the directory's own files, or the file's `package` declaration).</summary>
    public WitPackage Package { get; }

    /// <summary>All packages, dependencies before the packages that use them; the root is last.</summary>
    public IReadOnlyList<WitPackage> Packages { get; }

    /// <summary>Finds a package by `ns:name` or `ns:name@version`.</summary>
    public WitPackage? FindPackage(string name) =>
        Packages.FirstOrDefault(p => p.Name.ToString() == name || (p.Name.Namespace + ":" + p.Name.Name) == name);

    /// <summary>Selects a world as WIT.md's "Specifying a World" says: null picks the root package's
    /// only world; a plain name picks a root package world; `ns:pkg/world[@version]` any package's.</summary>
    /// <exception cref="WitException">No world matches, or the choice is ambiguous.</exception>
    public WitWorld SelectWorld(string? name = null)
    {
        var where = Package.Name.ToString();
        if (name is null)
        {
            return Package.Worlds.Count == 1 ? Package.Worlds[0]
                : throw new WitException(where, Package.Worlds.Count == 0
                    ? "the package has no world"
                    : $"the package has {Package.Worlds.Count} worlds ({string.Join(", ", Package.Worlds.Select(w => w.Name))}); name one");
        }
        if (!name.Contains(':'))
            return Package.FindWorld(name) ?? throw new WitException(where, $"no world named `{name}`");
        foreach (var package in Packages)
            foreach (var world in package.Worlds)
                if (world.QualifiedName == name || $"{package.Name.Namespace}:{package.Name.Name}/{world.Name}" == name)
                    return world;
        throw new WitException(where, $"no world `{name}`");
    }
}
