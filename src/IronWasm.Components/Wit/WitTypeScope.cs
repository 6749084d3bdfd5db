namespace IronWasm.Components.Wit;

/// <summary>The names of one interface or world: types (defined or `use`d) and functions, which
/// share one namespace. Types resolve lazily, so definitions may come in any order; a type whose
/// resolution reaches itself is a cycle.</summary>
internal sealed class WitTypeScope
{
    private enum State { Pending, Resolving, Done }

    private sealed class Slot(WitNamedType type, WitTypeDefSyntax? syntax, WitSourcePosition position)
    {
        public WitNamedType Type { get; } = type;
        public WitTypeDefSyntax? Syntax { get; } = syntax;
        public WitSourcePosition Position { get; } = position;
        public State State { get; set; } = syntax is null ? State.Done : State.Pending;
    }

    private readonly Dictionary<string, Slot> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WitSourcePosition> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly WitInterface? _interface;
    private readonly WitWorld? _world;
    private readonly string _what;

    public WitTypeScope(WitInterface? @interface, WitWorld? world)
    {
        _interface = @interface;
        _world = world;
        _what = @interface is not null ? (@interface.Name is { } n ? $"interface `{n}`" : "the interface") : $"world `{world!.Name}`";
    }

    /// <summary>Claims a name for a type or function; names differing only in case also collide.</summary>
    public void Declare(string name, WitSourcePosition position)
    {
        if (_names.TryGetValue(name, out var previous))
            throw position.Error($"`{name}` is defined more than once in {_what} (first at {previous})");
        _names.Add(name, position);
    }

    public bool IsDeclared(string name) => _names.ContainsKey(name);

    public WitNamedType DefineType(WitTypeDefSyntax syntax, WitFeatureGate? gate)
    {
        Declare(syntax.Name, syntax.Position);
        var type = new WitNamedType(syntax.Name, _interface, _world, syntax.Prefix.Docs, gate);
        _types.Add(syntax.Name, new Slot(type, syntax, syntax.Position));
        return type;
    }

    /// <summary>Adds a `use`d name standing for <paramref name="target"/>.</summary>
    public WitNamedType DefineUse(string name, WitNamedType target, string? docs, WitFeatureGate? gate, WitSourcePosition position)
    {
        Declare(name, position);
        var type = new WitNamedType(name, _interface, _world, docs, gate) { Definition = target };
        _types.Add(name, new Slot(type, null, position));
        return type;
    }

    /// <summary>Adds a type from an included world under its own name (a no-op if it is already here).</summary>
    public void AddIncluded(WitNamedType type, WitSourcePosition position)
    {
        if (_types.TryGetValue(type.Name, out var existing) && existing.Type == type) return;
        Declare(type.Name, position);
        _types.Add(type.Name, new Slot(type, null, position));
    }

    /// <summary>Resolves the definition of <paramref name="type"/> (and what it needs) if not done yet.</summary>
    public void Complete(WitNamedType type) => Ensure(_types[type.Name]);

    private void Ensure(Slot slot)
    {
        if (slot.State == State.Done) return;
        if (slot.State == State.Resolving)
            throw slot.Position.Error($"type `{slot.Type.Name}` refers to itself (types cannot be recursive)");
        slot.State = State.Resolving;
        slot.Type.Definition = slot.Syntax switch
        {
            WitAliasSyntax alias => Resolve(alias.Target, valuePosition: false),
            WitRecordSyntax record => new WitRecordType(Unique(record.Fields, f => f.Name, f => f.Position, "field")
                .Select(f => new WitField(f.Name, Resolve(f.Type), f.Docs)).ToList()),
            WitVariantSyntax variant => new WitVariantType(Unique(variant.Cases, c => c.Name, c => c.Position, "case")
                .Select(c => new WitCase(c.Name, c.Payload is null ? null : Resolve(c.Payload), c.Docs)).ToList()),
            WitEnumSyntax @enum => new WitEnumType(Unique(@enum.Cases, c => c.Name, c => c.Position, "case")
                .Select(c => new WitLabel(c.Name, c.Docs)).ToList()),
            WitFlagsSyntax flags => new WitFlagsType(Unique(flags.Flags, c => c.Name, c => c.Position, "flag")
                .Select(c => new WitLabel(c.Name, c.Docs)).ToList()),
            WitResourceSyntax => new WitResourceType(),
            _ => throw new InvalidOperationException("unknown type definition syntax"),
        };
        slot.State = State.Done;
    }

    private static List<T> Unique<T>(List<T> items, Func<T, string> name, Func<T, WitSourcePosition> position, string what)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
            if (!seen.Add(name(item))) throw position(item).Error($"duplicate {what} `{name(item)}`");
        return items;
    }

    /// <summary>Looks up a type name, resolving it first.</summary>
    public WitNamedType Lookup(string name, WitSourcePosition position)
    {
        if (!_types.TryGetValue(name, out var slot))
        {
            throw position.Error(_names.ContainsKey(name)
                ? $"`{name}` is a function, not a type"
                : $"unknown type `{name}` in {_what}");
        }
        Ensure(slot);
        return slot.Type;
    }

    /// <summary>Finds a type name without resolving it (for `use` from a finished interface).</summary>
    public bool TryGet(string name, out WitNamedType type)
    {
        var found = _types.TryGetValue(name, out var slot);
        type = slot?.Type!;
        return found;
    }

    /// <summary>Resolves a type as written. In a value position (anywhere but directly after
    /// `type x =`), a resource name stands for an owned handle.</summary>
    public WitType Resolve(WitTypeSyntax syntax, bool valuePosition = true)
    {
        switch (syntax)
        {
            case WitPrimitiveTypeSyntax p:
                return WitPrimitiveType.Get(p.Kind);
            case WitTypeReferenceSyntax r:
            {
                var named = Lookup(r.Name, r.Position);
                return valuePosition && named.IsResource ? new WitOwnType(named) : named;
            }
            case WitHandleSyntax h:
            {
                var named = Lookup(h.Resource, h.Position);
                if (!named.IsResource) throw h.Position.Error($"`{h.Resource}` is not a resource, so it cannot be used in `{(h.IsBorrow ? "borrow" : "own")}<...>`");
                return h.IsBorrow ? new WitBorrowType(named) : new WitOwnType(named);
            }
            case WitListSyntax l:
                return new WitListType(Resolve(l.Element), l.Length);
            case WitOptionSyntax o:
                return new WitOptionType(Resolve(o.Some));
            case WitResultSyntax r:
                return new WitResultType(r.Ok is null ? null : Resolve(r.Ok), r.Err is null ? null : Resolve(r.Err));
            case WitTupleSyntax t:
                return new WitTupleType(t.Types.Select(x => Resolve(x)).ToList());
            case WitMapSyntax m:
                return new WitMapType(Resolve(m.Key), Resolve(m.Value));
            case WitFutureSyntax f:
                return new WitFutureType(f.Payload is null ? null : Resolve(f.Payload));
            case WitStreamSyntax s:
                return new WitStreamType(s.Payload is null ? null : Resolve(s.Payload));
            default:
                throw syntax.Position.Error("unsupported type");
        }
    }
}
