namespace IronWasm.Components.Wit;

/// <summary>A name with its doc comment: an enum case or a flag.</summary>
public sealed record WitLabel(string Name, string? Docs);

/// <summary>A record field.</summary>
public sealed record WitField(string Name, WitType Type, string? Docs);

/// <summary>A variant case, with an optional payload.</summary>
public sealed record WitCase(string Name, WitType? Type, string? Docs);

/// <summary>record { fields }.</summary>
public sealed class WitRecordType(IReadOnlyList<WitField> fields) : WitType
{
    public IReadOnlyList<WitField> Fields { get; } = fields;
    public override string ToString() => $"record {{ {string.Join(", ", Fields.Select(f => $"{f.Name}: {f.Type}"))} }}";
}

/// <summary>variant { cases }.</summary>
public sealed class WitVariantType(IReadOnlyList<WitCase> cases) : WitType
{
    public IReadOnlyList<WitCase> Cases { get; } = cases;
    public override string ToString() =>
        $"variant {{ {string.Join(", ", Cases.Select(c => c.Type is null ? c.Name : $"{c.Name}({c.Type})"))} }}";
}

/// <summary>enum { cases }: a variant without payloads.</summary>
public sealed class WitEnumType(IReadOnlyList<WitLabel> cases) : WitType
{
    public IReadOnlyList<WitLabel> Cases { get; } = cases;
    public override string ToString() => $"enum {{ {string.Join(", ", Cases.Select(c => c.Name))} }}";
}

/// <summary>flags { names }: a set of booleans.</summary>
public sealed class WitFlagsType(IReadOnlyList<WitLabel> flags) : WitType
{
    public IReadOnlyList<WitLabel> Flags { get; } = flags;
    public override string ToString() => $"flags {{ {string.Join(", ", Flags.Select(c => c.Name))} }}";
}

/// <summary>A resource: an abstract type passed by handle. <see cref="Functions"/> holds its
/// constructor, methods and static functions in declaration order (also listed, desugared, in the
/// owning interface's <see cref="WitInterface.Functions"/>).</summary>
public sealed class WitResourceType : WitType
{
    internal readonly List<WitFunction> FunctionList = new();

    internal WitResourceType() { }

    public IReadOnlyList<WitFunction> Functions => FunctionList;

    public WitFunction? Constructor => FunctionList.FirstOrDefault(f => f.Kind == WitFunctionKind.Constructor);

    public override string ToString() => "resource";
}

/// <summary>A named type: a type definition (`type`, record, variant, enum, flags, resource) or a
/// name brought in by `use`. References to it resolve to this object.</summary>
public sealed class WitNamedType : WitType
{
    internal WitNamedType(string name, WitInterface? @interface, WitWorld? world, string? docs, WitFeatureGate? gate)
    {
        Name = name;
        Interface = @interface;
        World = world;
        Docs = docs;
        Gate = gate;
    }

    public string Name { get; }

    /// <summary>The interface that defines (or `use`s) this name; null for a world-level type.</summary>
    public WitInterface? Interface { get; }

    /// <summary>The world that defines (or `use`s) this name; null for an interface type.</summary>
    public WitWorld? World { get; }

    /// <summary>What the name stands for: a <see cref="WitRecordType"/>, <see cref="WitVariantType"/>,
    /// <see cref="WitEnumType"/>, <see cref="WitFlagsType"/> or <see cref="WitResourceType"/>; for
    /// `type x = ...` the aliased type; for `use`, the <see cref="WitNamedType"/> it names.</summary>
    public WitType Definition { get; internal set; } = null!;

    public string? Docs { get; }

    public WitFeatureGate? Gate { get; }

    /// <summary>True for a `use`d name or a `type x = y` alias of another named type.</summary>
    public bool IsAlias => Definition is WitNamedType;

    /// <summary>The named type at the end of the chain of aliases (this one if not an alias).</summary>
    public WitNamedType Original
    {
        get
        {
            var t = this;
            while (t.Definition is WitNamedType next) t = next;
            return t;
        }
    }

    /// <summary>True when this name (through aliases) is a resource.</summary>
    public bool IsResource => Original.Definition is WitResourceType;

    public override string ToString() => Name;
}
