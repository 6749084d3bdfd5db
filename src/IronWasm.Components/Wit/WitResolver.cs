namespace IronWasm.Components.Wit;

/// <summary>Turns parsed files into resolved packages: groups files into packages, orders the
/// packages so dependencies come first, and resolves each (see <see cref="WitPackageResolver"/>).</summary>
internal sealed class WitResolver
{
    /// <summary>The files of one package root: a directory's `*.wit` files, or one file.</summary>
    public sealed record Unit(string Path, IReadOnlyList<WitDocumentSyntax> Documents);

    internal sealed class PackageSource(WitPackageName name, WitSourcePosition position, bool isNested)
    {
        public WitPackageName Name { get; } = name;
        public WitSourcePosition Position { get; } = position;
        public bool IsNested { get; } = isNested;
        public List<WitPackageBodySyntax> Bodies { get; } = new();
        public int State { get; set; } // 0 = not visited, 1 = visiting, 2 = ordered
        public WitPackage? Package { get; set; }
    }

    private readonly Dictionary<string, PackageSource> _packages = new(StringComparer.Ordinal);
    private readonly List<PackageSource> _order = new();

    /// <summary>Resolves <paramref name="root"/> with the packages in <paramref name="dependencies"/>
    /// (and any `package x { }` blocks in either).</summary>
    public static WitResolvedPackage Resolve(Unit root, IReadOnlyList<Unit> dependencies)
    {
        var resolver = new WitResolver();
        var rootSource = resolver.AddUnit(root)
            ?? throw new WitException(root.Path, "no `package` declaration: the root package needs a name");
        foreach (var dependency in dependencies) resolver.AddUnit(dependency);

        foreach (var source in resolver._packages.Values) resolver.Visit(source, null);
        foreach (var source in resolver._order)
            source.Package = new WitPackageResolver(resolver, source).Resolve();
        return new WitResolvedPackage(rootSource.Package!, resolver._order.Select(s => s.Package!).ToList());
    }

    private PackageSource? AddUnit(Unit unit)
    {
        PackageSource? source = null;
        foreach (var document in unit.Documents)
        {
            if (document.Root.Package is not { } declared) continue;
            if (source is null)
            {
                source = new PackageSource(declared.ToName(), declared.Position, isNested: false);
            }
            else if (source.Name != declared.ToName())
            {
                throw declared.Position.Error(
                    $"package `{declared.ToName()}` does not match package `{source.Name}` declared at {source.Position} (all files of a package must agree)");
            }
        }
        foreach (var document in unit.Documents)
        {
            var body = document.Root;
            var hasItems = body.Uses.Count + body.Interfaces.Count + body.Worlds.Count > 0;
            if (hasItems && source is null)
            {
                var first = body.Uses.Select(u => u.Position).Concat(body.Interfaces.Select(i => i.Position))
                    .Concat(body.Worlds.Select(w => w.Position)).First();
                throw first.Error("no `package` declaration in this package's files (add `package namespace:name;`)");
            }
            if (source is not null) source.Bodies.Add(body);
        }
        if (source is not null) Register(source);
        foreach (var document in unit.Documents)
        {
            foreach (var nested in document.NestedPackages)
            {
                var name = nested.Package!;
                var nestedSource = new PackageSource(name.ToName(), name.Position, isNested: true);
                nestedSource.Bodies.Add(nested);
                Register(nestedSource);
            }
        }
        return source;
    }

    private void Register(PackageSource source)
    {
        var key = source.Name.ToString();
        if (_packages.TryGetValue(key, out var existing))
        {
            // WIT.md lets dependencies carry inline copies of packages found elsewhere; the first
            // definition is used. Two package roots with one name is a mistake, though.
            if (existing.IsNested || source.IsNested) return;
            throw source.Position.Error($"package `{key}` is defined more than once (also at {existing.Position})");
        }
        _packages.Add(key, source);
    }

    /// <summary>Finds the package a qualified path names. Without a version, the only package of
    /// that namespace and name matches.</summary>
    public PackageSource FindPackage(WitPackageNameSyntax reference)
    {
        if (reference.Version is not null)
        {
            if (_packages.TryGetValue(reference.ToName().ToString(), out var exact)) return exact;
            var others = _packages.Values.Where(p => p.Name.Namespace == reference.Namespace && p.Name.Name == reference.Name).ToList();
            throw reference.Position.Error(others.Count == 0
                ? $"unknown package `{reference.ToName()}`"
                : $"unknown version `{reference.Version}` of package `{reference.Namespace}:{reference.Name}` (available: {string.Join(", ", others.Select(o => o.Name.Version ?? "no version"))})");
        }
        var candidates = _packages.Values.Where(p => p.Name.Namespace == reference.Namespace && p.Name.Name == reference.Name).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw reference.Position.Error($"unknown package `{reference.Namespace}:{reference.Name}`"),
            _ => throw reference.Position.Error(
                $"package `{reference.Namespace}:{reference.Name}` exists in several versions ({string.Join(", ", candidates.Select(c => c.Name.Version))}); name one with `@version`"),
        };
    }

    private void Visit(PackageSource source, WitSourcePosition? from)
    {
        if (source.State == 2) return;
        if (source.State == 1)
            throw (from ?? source.Position).Error($"packages depend on each other in a cycle through `{source.Name}`");
        source.State = 1;
        foreach (var reference in References(source))
        {
            var target = FindPackage(reference);
            if (target != source) Visit(target, reference.Position);
        }
        source.State = 2;
        _order.Add(source);
    }

    private static IEnumerable<WitPackageNameSyntax> References(PackageSource source)
    {
        foreach (var body in source.Bodies)
        {
            foreach (var use in body.Uses) if (use.Path.Package is { } p) yield return p;
            foreach (var iface in body.Interfaces)
                foreach (var p in ItemReferences(iface.Items)) yield return p;
            foreach (var world in body.Worlds)
                foreach (var p in ItemReferences(world.Items)) yield return p;
        }
    }

    private static IEnumerable<WitPackageNameSyntax> ItemReferences(IEnumerable<WitItemSyntax> items)
    {
        foreach (var item in items)
        {
            var path = item switch
            {
                WitUseSyntax u => u.Path,
                WitIncludeSyntax i => i.Path,
                WitExternSyntax e => e.Path,
                _ => null,
            };
            if (path?.Package is { } p) yield return p;
            if (item is WitExternSyntax { Interface: { } inline })
                foreach (var q in ItemReferences(inline.Items)) yield return q;
        }
    }
}
