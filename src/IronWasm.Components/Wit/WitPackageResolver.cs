namespace IronWasm.Components.Wit;

/// <summary>Resolves one package: its interfaces (in `use` order, which must be acyclic), then its
/// worlds (in `include` order, also acyclic). Packages it depends on are already resolved.</summary>
internal sealed class WitPackageResolver
{
    private enum State { Pending, Resolving, Done }

    private sealed class InterfaceEntry(WitInterfaceSyntax syntax, WitPackageBodySyntax body, WitInterface result)
    {
        public WitInterfaceSyntax Syntax { get; } = syntax;
        public WitPackageBodySyntax Body { get; } = body;
        public WitInterface Result { get; } = result;
        public WitTypeScope Scope { get; } = new(result, null);
        public State State { get; set; }
    }

    private sealed class WorldEntry(WitWorldSyntax syntax, WitPackageBodySyntax body, WitWorld result)
    {
        public WitWorldSyntax Syntax { get; } = syntax;
        public WitPackageBodySyntax Body { get; } = body;
        public WitWorld Result { get; } = result;
        public WitTypeScope Scope { get; } = new(null, result);
        public State State { get; set; }
    }

    /// <summary>What a path names: an interface or a world, here or in another package.</summary>
    private readonly record struct Item(WitInterface? Interface, WitWorld? World, InterfaceEntry? LocalInterface, WorldEntry? LocalWorld);

    private readonly WitResolver _resolver;
    private readonly WitResolver.PackageSource _source;
    private readonly WitPackage _package;
    private readonly Dictionary<string, InterfaceEntry> _interfaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorldEntry> _worlds = new(StringComparer.Ordinal);
    private readonly Dictionary<WitPackageBodySyntax, Dictionary<string, (WitTopLevelUseSyntax Use, Item Item)>> _fileUses = new();

    public WitPackageResolver(WitResolver resolver, WitResolver.PackageSource source)
    {
        _resolver = resolver;
        _source = source;
        var docs = string.Join("\n", source.Bodies.Select(b => b.Docs).OfType<string>());
        _package = new WitPackage(source.Name, docs.Length == 0 ? null : docs);
    }

    public WitPackage Resolve()
    {
        var names = new Dictionary<string, WitSourcePosition>(StringComparer.OrdinalIgnoreCase);
        void Claim(string name, WitSourcePosition position)
        {
            if (!names.TryAdd(name, position))
                throw position.Error($"`{name}` is defined more than once in package `{_package.Name}` (first at {names[name]})");
        }
        foreach (var body in _source.Bodies)
        {
            foreach (var syntax in body.Interfaces)
            {
                Claim(syntax.Name!, syntax.Position);
                var result = new WitInterface(_package, syntax.Name, null, syntax.Prefix.Docs, Gate(syntax.Prefix));
                _interfaces.Add(syntax.Name!, new InterfaceEntry(syntax, body, result));
                _package.InterfaceList.Add(result);
            }
            foreach (var syntax in body.Worlds)
            {
                Claim(syntax.Name, syntax.Position);
                var result = new WitWorld(_package, syntax.Name, syntax.Prefix.Docs, Gate(syntax.Prefix));
                _worlds.Add(syntax.Name, new WorldEntry(syntax, body, result));
                _package.WorldList.Add(result);
            }
        }
        foreach (var body in _source.Bodies) ResolveFileUses(body);
        foreach (var entry in _interfaces.Values) EnsureInterface(entry, entry.Syntax.Position);
        foreach (var entry in _worlds.Values) EnsureWorld(entry, entry.Syntax.Position);
        return _package;
    }

    private WitFeatureGate? Gate(WitItemPrefix prefix)
    {
        if (prefix.Gate is not { } gate) return null;
        if (_package.Name.Version is null)
            throw gate.Position.Error($"feature gates need a package version, but package `{_package.Name}` has none");
        return new WitFeatureGate(gate.Since, gate.Unstable, gate.Deprecated);
    }

    // ---- names ----

    private void ResolveFileUses(WitPackageBodySyntax body)
    {
        var uses = new Dictionary<string, (WitTopLevelUseSyntax, Item)>(StringComparer.OrdinalIgnoreCase);
        foreach (var use in body.Uses)
        {
            var name = use.LocalName;
            if (uses.ContainsKey(name) || body.Interfaces.Any(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase))
                || body.Worlds.Any(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase)))
                throw use.Position.Error($"`{name}` is already defined in this file");
            uses.Add(name, (use, Lookup(use.Path, null)));
        }
        _fileUses[body] = uses;
    }

    /// <summary>Finds what a path names: for a bare name, the file's `use` names, then the package's
    /// interfaces and worlds; for `ns:pkg/name`, that package's item.</summary>
    private Item Lookup(WitUsePathSyntax path, WitPackageBodySyntax? body)
    {
        if (path.Package is { } packageName)
        {
            var source = _resolver.FindPackage(packageName);
            if (source == _source) return LookupLocal(path.Name, path.Position, $"package `{_package.Name}`");
            var package = source.Package!;
            if (package.FindInterface(path.Name) is { } i) return new Item(i, null, null, null);
            if (package.FindWorld(path.Name) is { } w) return new Item(null, w, null, null);
            throw path.Position.Error($"package `{package.Name}` has no interface or world named `{path.Name}`");
        }
        if (body is not null && _fileUses.TryGetValue(body, out var uses) && uses.TryGetValue(path.Name, out var use))
            return use.Item;
        return LookupLocal(path.Name, path.Position, $"package `{_package.Name}`");
    }

    private Item LookupLocal(string name, WitSourcePosition position, string where)
    {
        if (_interfaces.TryGetValue(name, out var i)) return new Item(i.Result, null, i, null);
        if (_worlds.TryGetValue(name, out var w)) return new Item(null, w.Result, null, w);
        throw position.Error($"unknown interface or world `{name}` in {where}");
    }

    private WitInterface LookupInterface(WitUsePathSyntax path, WitPackageBodySyntax body)
    {
        var item = Lookup(path, body);
        if (item.Interface is null) throw path.Position.Error($"`{path}` is a world, not an interface");
        if (item.LocalInterface is { } local) EnsureInterface(local, path.Position);
        return item.Interface;
    }

    // ---- interfaces ----

    private void EnsureInterface(InterfaceEntry entry, WitSourcePosition from)
    {
        if (entry.State == State.Done) return;
        if (entry.State == State.Resolving)
            throw from.Error($"interface `{entry.Syntax.Name}` uses types from itself through a cycle of `use`");
        entry.State = State.Resolving;
        ResolveInterfaceItems(entry.Result, entry.Scope, entry.Syntax, entry.Body);
        entry.State = State.Done;
    }

    private void ResolveInterfaceItems(WitInterface result, WitTypeScope scope, WitInterfaceSyntax syntax, WitPackageBodySyntax body)
    {
        // First every name (so types may be used before their definition), then the definitions in order.
        var typeOf = new Dictionary<WitItemSyntax, WitNamedType>();
        foreach (var item in syntax.Items)
        {
            switch (item)
            {
                case WitUseSyntax use:
                    DefineUses(use, body, scope, result.TypeList, result.DependencyList);
                    break;
                case WitTypeDefSyntax typeDef:
                    typeOf[item] = scope.DefineType(typeDef, Gate(typeDef.Prefix));
                    break;
                case WitFuncItemSyntax func:
                    scope.Declare(func.Name, func.Position);
                    break;
            }
        }
        foreach (var item in syntax.Items)
        {
            switch (item)
            {
                case WitTypeDefSyntax typeDef:
                {
                    var type = typeOf[item];
                    scope.Complete(type);
                    result.TypeList.Add(type);
                    if (typeDef is WitResourceSyntax resource)
                        result.FunctionList.AddRange(ResolveResourceFunctions(resource, type, scope));
                    break;
                }
                case WitFuncItemSyntax func:
                    result.FunctionList.Add(ResolveFunction(func.Name, WitFunctionKind.Freestanding, null, func.Type, func.Prefix, scope));
                    break;
            }
        }
    }

    /// <summary>`use iface.{a, b as c};`: adds each name to the scope, standing for the interface's type.</summary>
    private void DefineUses(WitUseSyntax use, WitPackageBodySyntax body, WitTypeScope scope, List<WitNamedType> types, List<WitInterface> dependencies)
    {
        var source = LookupInterface(use.Path, body);
        if (!dependencies.Contains(source)) dependencies.Add(source);
        var gate = Gate(use.Prefix);
        foreach (var name in use.Names)
        {
            var target = source.FindType(name.Name) ?? throw name.Position.Error(
                source.Functions.Any(f => f.Name == name.Name)
                    ? $"`{name.Name}` is a function of interface `{use.Path}`; only types can be used"
                    : $"interface `{use.Path}` has no type named `{name.Name}`");
            types.Add(scope.DefineUse(name.LocalName, target, use.Prefix.Docs, gate, name.Position));
        }
    }

    private WitFunction ResolveFunction(string name, WitFunctionKind kind, WitNamedType? resource, WitFuncTypeSyntax syntax,
        WitItemPrefix prefix, WitTypeScope scope)
    {
        var parameters = new List<WitParameter>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (kind == WitFunctionKind.Method)
        {
            parameters.Add(new WitParameter("self", new WitBorrowType(resource!)));
            seen.Add("self");
        }
        foreach (var p in syntax.Parameters)
        {
            if (!seen.Add(p.Name)) throw p.Position.Error($"duplicate parameter `{p.Name}`");
            parameters.Add(new WitParameter(p.Name, scope.Resolve(p.Type)));
        }
        var result = syntax.Result is null ? null : scope.Resolve(syntax.Result);
        List<WitParameter>? named = null;
        if (syntax.NamedResults is { } namedSyntax)
        {
            var resultNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            named = new List<WitParameter>();
            foreach (var r in namedSyntax)
            {
                if (!resultNames.Add(r.Name)) throw r.Position.Error($"duplicate result `{r.Name}`");
                named.Add(new WitParameter(r.Name, scope.Resolve(r.Type)));
            }
        }
        if (kind == WitFunctionKind.Constructor)
        {
            var self = resource!;
            if (result is null) result = new WitOwnType(self);
            else if (result is not WitResultType { Ok: WitOwnType own } || own.ResourceType != self.Original)
                throw syntax.Position.Error($"a constructor of `{self.Name}` returns `{self.Name}` or `result<{self.Name}, E>`, not `{result}`");
        }
        return new WitFunction(name, kind, resource, syntax.IsAsync, parameters, result, named, prefix.Docs, Gate(prefix), prefix.ExternalId);
    }

    private List<WitFunction> ResolveResourceFunctions(WitResourceSyntax syntax, WitNamedType type, WitTypeScope scope)
    {
        var definition = (WitResourceType)type.Definition;
        var names = new Dictionary<string, WitSourcePosition>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in syntax.Functions)
        {
            if (!names.TryAdd(f.Name, f.Position))
            {
                throw f.Position.Error(f.Kind == WitResourceFunctionKind.Constructor
                    ? $"resource `{syntax.Name}` has more than one constructor"
                    : $"`{f.Name}` is defined more than once in resource `{syntax.Name}`");
            }
            var kind = f.Kind switch
            {
                WitResourceFunctionKind.Constructor => WitFunctionKind.Constructor,
                WitResourceFunctionKind.Static => WitFunctionKind.Static,
                _ => WitFunctionKind.Method,
            };
            definition.FunctionList.Add(ResolveFunction(kind == WitFunctionKind.Constructor ? syntax.Name : f.Name, kind, type, f.Type, f.Prefix, scope));
        }
        return definition.FunctionList;
    }

    // ---- worlds ----

    private void EnsureWorld(WorldEntry entry, WitSourcePosition from)
    {
        if (entry.State == State.Done) return;
        if (entry.State == State.Resolving)
            throw from.Error($"world `{entry.Syntax.Name}` includes itself through a cycle of `include`");
        entry.State = State.Resolving;
        new WorldBuilder(this, entry).Build();
        entry.State = State.Done;
    }

    /// <summary>Collects a world's imports and exports, then adds the implicit imports its
    /// interfaces need.</summary>
    private sealed class WorldBuilder(WitPackageResolver owner, WorldEntry entry)
    {
        private readonly List<WitWorldItem> _imports = new();
        private readonly List<WitWorldItem> _exports = new();
        private readonly List<WitInterface> _usedInterfaces = new();
        private WitWorld World => entry.Result;

        public void Build()
        {
            var scope = entry.Scope;
            var typeOf = new Dictionary<WitItemSyntax, WitNamedType>();
            foreach (var item in entry.Syntax.Items)
            {
                switch (item)
                {
                    case WitUseSyntax use:
                        owner.DefineUses(use, entry.Body, scope, World.TypeList, _usedInterfaces);
                        break;
                    case WitTypeDefSyntax typeDef:
                        typeOf[item] = scope.DefineType(typeDef, owner.Gate(typeDef.Prefix));
                        break;
                }
            }
            foreach (var item in entry.Syntax.Items)
            {
                switch (item)
                {
                    case WitTypeDefSyntax typeDef:
                    {
                        var type = typeOf[item];
                        scope.Complete(type);
                        World.TypeList.Add(type);
                        if (typeDef is WitResourceSyntax resource)
                        {
                            // Resource functions of a world-level resource are imported with it.
                            foreach (var f in owner.ResolveResourceFunctions(resource, type, scope))
                                Add(_imports, new WitWorldItem(f.CanonicalName, false, null, f, false, f.Docs, f.Gate, f.ExternalId), resource.Position);
                        }
                        break;
                    }
                    case WitExternSyntax e:
                        Add(e.IsImport ? _imports : _exports, ResolveExtern(e), e.Position);
                        break;
                    case WitIncludeSyntax include:
                        Include(include);
                        break;
                }
            }
            Elaborate();
        }

        private void Add(List<WitWorldItem> list, WitWorldItem item, WitSourcePosition position)
        {
            if (list.Any(i => string.Equals(i.Name, item.Name, StringComparison.OrdinalIgnoreCase)))
                throw position.Error($"world `{World.Name}` already has an {(list == _imports ? "import" : "export")} named `{item.Name}`");
            if (list == _imports && !item.HasInterfaceName && entry.Scope.IsDeclared(item.Name) && item.Function?.Resource is null)
                throw position.Error($"import `{item.Name}` has the name of a type of world `{World.Name}`");
            list.Add(item);
        }

        private WitWorldItem ResolveExtern(WitExternSyntax e)
        {
            var gate = owner.Gate(e.Prefix);
            if (e.Label is null)
            {
                var target = owner.LookupInterface(e.Path!, entry.Body);
                return new WitWorldItem(target.QualifiedName!, true, target, null, false, e.Prefix.Docs, gate, e.Prefix.ExternalId);
            }
            if (e.Function is { } func)
            {
                var function = owner.ResolveFunction(e.Label, WitFunctionKind.Freestanding, null, func, e.Prefix, entry.Scope);
                return new WitWorldItem(e.Label, false, null, function, false, e.Prefix.Docs, gate, e.Prefix.ExternalId);
            }
            if (e.Interface is { } inline)
            {
                var result = new WitInterface(owner._package, null, World, e.Prefix.Docs, gate);
                owner.ResolveInterfaceItems(result, new WitTypeScope(result, null), inline, entry.Body);
                return new WitWorldItem(e.Label, false, result, null, false, e.Prefix.Docs, gate, e.Prefix.ExternalId);
            }
            var named = owner.LookupInterface(e.Path!, entry.Body);
            return new WitWorldItem(e.Label, false, named, null, false, e.Prefix.Docs, gate, e.Prefix.ExternalId);
        }

        private void Include(WitIncludeSyntax include)
        {
            var item = owner.Lookup(include.Path, entry.Body);
            if (item.World is null) throw include.Path.Position.Error($"`{include.Path}` is an interface; only worlds can be included");
            if (item.LocalWorld is { } local) owner.EnsureWorld(local, include.Path.Position);
            var other = item.World;

            var renames = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var with in include.With)
            {
                var items = other.Imports.Concat(other.Exports).ToList();
                if (items.Any(i => i.HasInterfaceName && (i.Name == with.Name || i.Interface!.Name == with.Name)))
                    throw with.Position.Error($"`{with.Name}` is an interface name; `with` renames only plain names");
                if (!items.Any(i => i.Name == with.Name))
                    throw with.Position.Error($"world `{other.Name}` has no import or export named `{with.Name}`");
                if (!renames.TryAdd(with.Name, with.As))
                    throw with.Position.Error($"`{with.Name}` is renamed more than once");
            }
            foreach (var type in other.Types) entry.Scope.AddIncluded(type, include.Position);
            foreach (var type in other.Types) if (!World.TypeList.Contains(type)) World.TypeList.Add(type);
            Merge(other.Imports, _imports, renames, include);
            Merge(other.Exports, _exports, renames, include);
        }

        private void Merge(IReadOnlyList<WitWorldItem> from, List<WitWorldItem> into, Dictionary<string, string> renames, WitIncludeSyntax include)
        {
            foreach (var item in from)
            {
                if (item.HasInterfaceName)
                {
                    // The same interface imported by two worlds is one import (WIT.md, "De-duplication").
                    if (!into.Any(i => i.HasInterfaceName && i.Interface == item.Interface)) into.Add(item);
                    continue;
                }
                var name = renames.GetValueOrDefault(item.Name, item.Name);
                if (into.Any(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    if (item.Function?.Resource is not null && into.Any(i => i.Function == item.Function)) continue;
                    throw include.Position.Error(
                        $"`{name}` from world `{include.Path}` conflicts with another {(into == _imports ? "import" : "export")} of that name; rename it with `with {{ {name} as ... }}`");
                }
                into.Add(name == item.Name ? item : item.Renamed(name));
            }
        }

        /// <summary>Interfaces that listed interfaces (or world-level `use`) take types from are
        /// imported too, before the interface that needs them, unless the world exports them.</summary>
        private void Elaborate()
        {
            var imports = new List<WitWorldItem>();
            void EnsureImported(WitInterface iface)
            {
                if (imports.Any(i => i.HasInterfaceName && i.Interface == iface)) return;
                foreach (var dependency in iface.Dependencies) EnsureImported(dependency);
                if (imports.Any(i => i.HasInterfaceName && i.Interface == iface)) return;
                var explicitItem = _imports.FirstOrDefault(i => i.HasInterfaceName && i.Interface == iface);
                imports.Add(explicitItem ?? new WitWorldItem(iface.QualifiedName!, true, iface, null, true, null, null, null));
            }
            foreach (var used in _usedInterfaces) EnsureImported(used);
            foreach (var item in _imports)
            {
                if (item.Interface is { } iface)
                {
                    foreach (var dependency in iface.Dependencies) EnsureImported(dependency);
                    if (item.HasInterfaceName) { EnsureImported(iface); continue; }
                }
                imports.Add(item);
            }
            var exported = _exports.Where(e => e.HasInterfaceName).Select(e => e.Interface!).ToHashSet();
            void RequireForExport(WitInterface iface)
            {
                foreach (var dependency in iface.Dependencies)
                    if (!exported.Contains(dependency)) EnsureImported(dependency);
            }
            foreach (var item in _exports)
                if (item.Interface is { } iface) RequireForExport(iface);
            World.ImportList.AddRange(imports);
            World.ExportList.AddRange(_exports);
        }
    }
}
