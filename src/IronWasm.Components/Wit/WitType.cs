namespace IronWasm.Components.Wit;

/// <summary>A resolved WIT type. Anonymous types (primitives, list, option, result, tuple, map,
/// future, stream, own, borrow) appear anywhere; record, variant, enum, flags and resource
/// definitions appear only as the <see cref="WitNamedType.Definition"/> of a named type.
/// A reference to a named type is the <see cref="WitNamedType"/> itself, except that a resource
/// named where a value is expected (a parameter, field, payload, ...) is an <see cref="WitOwnType"/>,
/// as WIT.md's "Handles" section says. <c>ToString()</c> gives the type in WIT syntax.</summary>
public abstract class WitType
{
    private protected WitType() { }
}

/// <summary>The primitive value types.</summary>
public enum WitPrimitiveKind { Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String }

/// <summary>bool, s8..u64, f32, f64, char or string. One shared instance per kind.</summary>
public sealed class WitPrimitiveType : WitType
{
    private static readonly WitPrimitiveType[] All =
        Enum.GetValues<WitPrimitiveKind>().Select(k => new WitPrimitiveType(k)).ToArray();

    private WitPrimitiveType(WitPrimitiveKind kind) => Kind = kind;

    public WitPrimitiveKind Kind { get; }

    public static WitPrimitiveType Get(WitPrimitiveKind kind) => All[(int)kind];

    public override string ToString() => Kind.ToString().ToLowerInvariant();
}

/// <summary>list&lt;T&gt;, or with <see cref="Length"/> the fixed-length list&lt;T, N&gt;.</summary>
public sealed class WitListType(WitType element, uint? length = null) : WitType
{
    public WitType Element { get; } = element;
    public uint? Length { get; } = length;
    public override string ToString() => Length is { } n ? $"list<{Element}, {n}>" : $"list<{Element}>";
}

/// <summary>option&lt;T&gt;.</summary>
public sealed class WitOptionType(WitType some) : WitType
{
    public WitType Some { get; } = some;
    public override string ToString() => $"option<{Some}>";
}

/// <summary>result&lt;T, E&gt;; either side may be absent (`result&lt;_, E&gt;`, `result&lt;T&gt;`, `result`).</summary>
public sealed class WitResultType(WitType? ok, WitType? err) : WitType
{
    public WitType? Ok { get; } = ok;
    public WitType? Err { get; } = err;
    public override string ToString() => (Ok, Err) switch
    {
        (null, null) => "result",
        (_, null) => $"result<{Ok}>",
        (null, _) => $"result<_, {Err}>",
        _ => $"result<{Ok}, {Err}>",
    };
}

/// <summary>tuple&lt;T1, ..., Tn&gt; (n ≥ 1).</summary>
public sealed class WitTupleType(IReadOnlyList<WitType> types) : WitType
{
    public IReadOnlyList<WitType> Types { get; } = types;
    public override string ToString() => $"tuple<{string.Join(", ", Types)}>";
}

/// <summary>map&lt;K, V&gt;.</summary>
public sealed class WitMapType(WitType key, WitType value) : WitType
{
    public WitType Key { get; } = key;
    public WitType Value { get; } = value;
    public override string ToString() => $"map<{Key}, {Value}>";
}

/// <summary>future&lt;T&gt; or a bare future (no payload).</summary>
public sealed class WitFutureType(WitType? payload) : WitType
{
    public WitType? Payload { get; } = payload;
    public override string ToString() => Payload is null ? "future" : $"future<{Payload}>";
}

/// <summary>stream&lt;T&gt; or a bare stream (no payload).</summary>
public sealed class WitStreamType(WitType? payload) : WitType
{
    public WitType? Payload { get; } = payload;
    public override string ToString() => Payload is null ? "stream" : $"stream<{Payload}>";
}

/// <summary>A handle: own&lt;R&gt; (also written as the bare resource name) or borrow&lt;R&gt;.
/// <see cref="Resource"/> is the name as written (it may be a `use` or alias of the resource);
/// <see cref="ResourceType"/> is the named type that defines the resource.</summary>
public abstract class WitHandleType : WitType
{
    private protected WitHandleType(WitNamedType resource) => Resource = resource;

    public WitNamedType Resource { get; }

    public WitNamedType ResourceType => Resource.Original;

    public WitResourceType Definition => (WitResourceType)ResourceType.Definition;
}

/// <summary>own&lt;R&gt;: the receiver takes ownership and drops the resource.</summary>
public sealed class WitOwnType : WitHandleType
{
    internal WitOwnType(WitNamedType resource) : base(resource) { }
    public override string ToString() => $"own<{Resource.Name}>";
}

/// <summary>borrow&lt;R&gt;: a loan for the duration of a call.</summary>
public sealed class WitBorrowType : WitHandleType
{
    internal WitBorrowType(WitNamedType resource) : base(resource) { }
    public override string ToString() => $"borrow<{Resource.Name}>";
}
