using IronWasm.Components.Wit;

namespace IronWasm.Components.Generator.Emit;

/// <summary>One generated static class: the C# home of one WIT interface. Selected interfaces get
/// a host interface and <c>Define</c>; interfaces they only take types from get just the types.</summary>
internal sealed class Container(WitInterface @interface, string ns, string name, bool selected, LocationInfo? location)
{
    public WitInterface Interface { get; } = @interface;
    public string Namespace { get; } = ns;
    public string Name { get; } = name;
    public bool Selected { get; } = selected;
    public LocationInfo? Location { get; } = location;
    public string FullName => $"global::{Namespace}.{Name}";

    /// <summary>Member names of the class; generated members are claimed first.</summary>
    public NameScope Scope { get; } = new(name, "Define", "IHost", "InterfaceName", "Abi");
}

/// <summary>A record, variant, enum, flags or resource definition and its C# name.</summary>
internal sealed class NamedType(WitNamedType type, Container container, string name, string? descriptor)
{
    public WitNamedType Type { get; } = type;
    public Container Container { get; } = container;

    /// <summary>The C# type name; for a resource, its interface (`II2c`).</summary>
    public string Name { get; } = name;

    /// <summary>For a resource, the static HostResource property (`I2cResource`).</summary>
    public string? Descriptor { get; } = descriptor;

    public string FullName => $"{Container.FullName}.{Name}";
    public string DescriptorFullName => $"{Container.FullName}.{Descriptor}";
    public string AbiFullName => $"{Container.FullName}.Abi";
}

/// <summary>The containers to generate and the C# name of every WIT type they define.</summary>
internal sealed class BindingModel
{
    public const string Bindings = "global::IronWasm.Components.Bindings";
    public const string HostCall = Bindings + ".HostCall";

    private readonly Dictionary<WitNamedType, NamedType> _types = new();

    public List<Container> Containers { get; } = new();

    public void Add(Container container)
    {
        Containers.Add(container);
        foreach (var type in container.Interface.Types)
        {
            if (type.IsAlias) continue;
            switch (type.Definition)
            {
                case WitResourceType:
                    var pascal = Naming.Pascal(type.Name);
                    _types[type] = new NamedType(type, container, container.Scope.Claim("I" + pascal), container.Scope.Claim(pascal + "Resource"));
                    break;
                case WitVariantType:
                    // A variant struct has members `Tag` and `Case`, which it cannot be named itself.
                    var name = Naming.Pascal(type.Name);
                    _types[type] = new NamedType(type, container, container.Scope.Claim(name is "Tag" or "Case" ? name + "Variant" : name), null);
                    break;
                case WitRecordType or WitEnumType or WitFlagsType:
                    _types[type] = new NamedType(type, container, container.Scope.Claim(Naming.Pascal(type.Name)), null);
                    break;
            }
        }
    }

    private readonly Dictionary<WitNamedType, string[]> _fields = new();
    private readonly Dictionary<WitNamedType, VariantCase[]> _cases = new();
    private readonly Dictionary<WitFunction, string> _methods = new();

    /// <summary>The C# property names of a record's fields, in field order.</summary>
    public string[] RecordFields(WitNamedType record)
    {
        record = record.Original;
        if (_fields.TryGetValue(record, out var names)) return names;
        var scope = new NameScope(Named(record).Name, "Equals", "GetHashCode", "ToString", "GetType", "Deconstruct", "PrintMembers", "EqualityContract");
        names = ((WitRecordType)record.Definition).Fields.Select(f => scope.Claim(Naming.Pascal(f.Name))).ToArray();
        _fields[record] = names;
        return names;
    }

    /// <summary>The C# members of each case of a variant, in case order.</summary>
    public VariantCase[] VariantCases(WitNamedType variant)
    {
        variant = variant.Original;
        if (_cases.TryGetValue(variant, out var cases)) return cases;
        var members = new NameScope(Named(variant).Name, "Case", "Tag", "Equals", "GetHashCode", "ToString", "GetType");
        var enumMembers = new NameScope();
        var fields = new List<string>();
        var list = new List<VariantCase>();
        foreach (var @case in ((WitVariantType)variant.Definition).Cases)
        {
            var pascal = Naming.Pascal(@case.Name);
            int field = -1;
            if (@case.Type is { } payload)
            {
                // Cases with payloads of one C# type share a field.
                var cs = Cs(payload);
                field = fields.IndexOf(cs);
                if (field < 0) { field = fields.Count; fields.Add(cs); }
            }
            list.Add(new VariantCase(@case, enumMembers.Claim(pascal), members.Claim(pascal), @case.Type is null ? null : members.Claim("As" + pascal), field));
        }
        cases = list.ToArray();
        _cases[variant] = cases;
        return cases;
    }

    /// <summary>The C# method name of a function: on its resource's interface for a method, on
    /// IHost otherwise (`[static]r.f` -> `RF`, `[constructor]r` -> `CreateR`).</summary>
    public string MethodName(WitFunction function) =>
        _methods.TryGetValue(function, out var name) ? name
        : throw new InvalidOperationException($"no method name for {function.CanonicalName}");

    /// <summary>Names the methods of one C# interface (IHost or a resource's).</summary>
    public void NameMethods(IEnumerable<WitFunction> functions)
    {
        var scope = new NameScope("Equals", "GetHashCode", "ToString", "GetType");
        foreach (var function in functions)
        {
            _methods[function] = scope.Claim(function.Kind switch
            {
                WitFunctionKind.Constructor => "Create" + Naming.Pascal(function.Resource!.Name),
                WitFunctionKind.Static => Naming.Pascal(function.Resource!.Name) + Naming.Pascal(function.Name),
                _ => Naming.Pascal(function.Name),
            });
        }
    }

    public NamedType Named(WitNamedType type) =>
        _types.TryGetValue(type.Original, out var named) ? named
        : throw new InvalidOperationException($"no C# type for `{type.Name}`");

    /// <summary>The type with `type x = ...` aliases and `use`d names followed: a named definition
    /// (record, variant, enum, flags, resource) or an anonymous type.</summary>
    public static WitType Unalias(WitType type)
    {
        while (type is WitNamedType named)
        {
            var original = named.Original;
            if (original.Definition is WitRecordType or WitVariantType or WitEnumType or WitFlagsType or WitResourceType) return original;
            type = original.Definition;
        }
        return type;
    }

    /// <summary>An integer type, whose lists cross as raw little-endian memory.</summary>
    public static bool IsInteger(WitType type) =>
        Unalias(type) is WitPrimitiveType { Kind: WitPrimitiveKind.S8 or WitPrimitiveKind.U8 or WitPrimitiveKind.S16 or WitPrimitiveKind.U16
            or WitPrimitiveKind.S32 or WitPrimitiveKind.U32 or WitPrimitiveKind.S64 or WitPrimitiveKind.U64 };

    /// <summary>A list parameter of integers is a span over guest memory (no copy); other lists are arrays.</summary>
    public static bool IsSpanParameter(WitType type) =>
        Unalias(type) is WitListType { Length: null } list && IsInteger(list.Element);

    /// <summary>True when the C# type is a reference type (may be null in a default struct).</summary>
    public static bool IsReference(WitType type) =>
        Unalias(type) is WitPrimitiveType { Kind: WitPrimitiveKind.String } or WitListType or WitMapType or WitHandleType;

    /// <summary>The C# type of a WIT value type; <paramref name="parameter"/> for a function's own
    /// parameters (where integer lists are spans).</summary>
    public string Cs(WitType type, bool parameter = false)
    {
        var t = Unalias(type);
        return t switch
        {
            WitPrimitiveType p => Primitive(p.Kind),
            WitNamedType named => Named(named).FullName,
            WitListType { Length: null } list when parameter && IsInteger(list.Element) => $"global::System.ReadOnlySpan<{Cs(list.Element)}>",
            WitListType list => Cs(list.Element) + "[]",
            WitOptionType option => $"{Bindings}.Option<{Cs(option.Some)}>",
            WitResultType result => $"{Bindings}.Result<{CsOrUnit(result.Ok)}, {CsOrUnit(result.Err)}>",
            WitTupleType { Types.Count: 1 } tuple => $"global::System.ValueTuple<{Cs(tuple.Types[0])}>",
            WitTupleType tuple => $"({string.Join(", ", tuple.Types.Select(x => Cs(x)))})",
            WitMapType map => $"({Cs(map.Key)} Key, {Cs(map.Value)} Value)[]",
            WitHandleType handle => Named(handle.ResourceType).FullName,
            WitFutureType or WitStreamType => throw new NotSupportedException($"{type} needs the async canonical ABI, which host bindings do not support"),
            _ => throw new NotSupportedException($"{type} has no C# mapping"),
        };
    }

    public string CsOrUnit(WitType? type) => type is null ? $"{Bindings}.Unit" : Cs(type);

    public static string Primitive(WitPrimitiveKind kind) => kind switch
    {
        WitPrimitiveKind.Bool => "bool",
        WitPrimitiveKind.S8 => "sbyte",
        WitPrimitiveKind.U8 => "byte",
        WitPrimitiveKind.S16 => "short",
        WitPrimitiveKind.U16 => "ushort",
        WitPrimitiveKind.S32 => "int",
        WitPrimitiveKind.U32 => "uint",
        WitPrimitiveKind.S64 => "long",
        WitPrimitiveKind.U64 => "ulong",
        WitPrimitiveKind.F32 => "float",
        WitPrimitiveKind.F64 => "double",
        WitPrimitiveKind.Char => "global::System.Text.Rune",
        _ => "string",
    };
}

/// <summary>One case of a generated variant struct: its `Case` enum member, its factory (a static
/// method, or a static property without payload), its payload accessor, and which payload field
/// it uses (-1 for none).</summary>
internal sealed record VariantCase(WitCase Case, string EnumMember, string Factory, string? Accessor, int Field);
