using System.Runtime.CompilerServices;
using IronWasm.Components.Wit;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>How values of one WIT type are laid out by the canonical ABI (32-bit memories): size
/// and alignment in linear memory (CanonicalABI.md's <c>elem_size</c> and <c>alignment</c>), the
/// flat core types (<c>flatten_type</c>), and the despecialized structure the lifter and lowerer
/// walk. Computed once per type and cached.</summary>
public sealed class CanonicalLayout
{
    private static readonly ConditionalWeakTable<WitType, CanonicalLayout> Cache = new();

    /// <summary>Strings and lists longer than this many bytes trap (MAX_STRING/LIST_BYTE_LENGTH).</summary>
    public const int MaxByteLength = (1 << 28) - 1;

    private CanonicalLayout(ComponentValueKind kind, int size, int alignment, ValueKind[] flat)
    {
        Kind = kind;
        Size = size;
        Alignment = alignment;
        Flat = flat;
    }

    /// <summary>The kind of value lifting produces and lowering expects.</summary>
    public ComponentValueKind Kind { get; }

    /// <summary>Bytes a value occupies in memory, e.g. as a list element.</summary>
    public int Size { get; }

    public int Alignment { get; }

    /// <summary>The core value types a value flattens to.</summary>
    public IReadOnlyList<ValueKind> FlatTypes => Flat;

    internal readonly ValueKind[] Flat;

    /// <summary>List element; fixed-length lists also set <see cref="FixedLength"/>.</summary>
    internal CanonicalLayout? Element { get; private init; }
    internal int FixedLength { get; private init; } = -1;

    /// <summary>Record fields / tuple elements, with their offsets.</summary>
    internal CanonicalLayout[] Fields { get; private init; } = [];
    internal int[] Offsets { get; private init; } = [];

    /// <summary>Variant-like cases: payload layout or null.</summary>
    internal CanonicalLayout?[] Cases { get; private init; } = [];
    internal int DiscriminantSize { get; private init; }
    internal int PayloadOffset { get; private init; }

    internal int FlagCount { get; private init; }

    /// <summary>The resource named by an own or borrow handle.</summary>
    internal WitNamedType? Resource { get; private init; }

    /// <summary>The layout of <paramref name="type"/>. Throws <see cref="NotSupportedException"/> for
    /// future, stream, and flags with more than 32 names; <see cref="ArgumentException"/> for a bare
    /// resource (a value position holds <see cref="WitOwnType"/> or <see cref="WitBorrowType"/>).</summary>
    public static CanonicalLayout Of(WitType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Cache.GetValue(type, Compute);
    }

    /// <summary>The layout of a tuple of <paramref name="types"/> (a parameter or result list),
    /// not cached. An empty list has size 0.</summary>
    public static CanonicalLayout OfTuple(IReadOnlyList<WitType> types) => Tuple(types.Select(Of).ToArray());

    private static CanonicalLayout Compute(WitType type) => type switch
    {
        WitPrimitiveType p => Primitive(p.Kind),
        WitNamedType named => named.Original.Definition is WitResourceType
            ? throw new ArgumentException($"the resource `{named.Name}` is not a value type; use own<{named.Name}> or borrow<{named.Name}>", nameof(type))
            : Of(named.Definition),
        WitRecordType r => Record(ComponentValueKind.Record, r.Fields.Select(f => Of(f.Type)).ToArray()),
        WitTupleType t => Tuple(t.Types.Select(Of).ToArray()),
        WitListType { Length: { } n } l => FixedList(Of(l.Element), checked((int)n)),
        WitListType l => List(Of(l.Element)),
        WitMapType m => List(Tuple([Of(m.Key), Of(m.Value)])),
        WitVariantType v => Variant(ComponentValueKind.Variant, v.Cases.Select(c => c.Type is null ? null : Of(c.Type)).ToArray()),
        WitEnumType e => Variant(ComponentValueKind.Enum, new CanonicalLayout?[e.Cases.Count]),
        WitOptionType o => Variant(ComponentValueKind.Option, [null, Of(o.Some)]),
        WitResultType r => Variant(ComponentValueKind.Result, [r.Ok is null ? null : Of(r.Ok), r.Err is null ? null : Of(r.Err)]),
        WitFlagsType f => Flags(f.Flags.Count),
        WitOwnType h => new(ComponentValueKind.Own, 4, 4, [ValueKind.I32]) { Resource = h.ResourceType },
        WitBorrowType h => new(ComponentValueKind.Borrow, 4, 4, [ValueKind.I32]) { Resource = h.ResourceType },
        WitFutureType or WitStreamType => throw new NotSupportedException($"{type} needs the async canonical ABI, which is not supported"),
        _ => throw new NotSupportedException($"{type} has no canonical ABI layout"),
    };

    private static CanonicalLayout Primitive(WitPrimitiveKind kind) => kind switch
    {
        WitPrimitiveKind.Bool => new(ComponentValueKind.Bool, 1, 1, [ValueKind.I32]),
        WitPrimitiveKind.S8 => new(ComponentValueKind.S8, 1, 1, [ValueKind.I32]),
        WitPrimitiveKind.U8 => new(ComponentValueKind.U8, 1, 1, [ValueKind.I32]),
        WitPrimitiveKind.S16 => new(ComponentValueKind.S16, 2, 2, [ValueKind.I32]),
        WitPrimitiveKind.U16 => new(ComponentValueKind.U16, 2, 2, [ValueKind.I32]),
        WitPrimitiveKind.S32 => new(ComponentValueKind.S32, 4, 4, [ValueKind.I32]),
        WitPrimitiveKind.U32 => new(ComponentValueKind.U32, 4, 4, [ValueKind.I32]),
        WitPrimitiveKind.S64 => new(ComponentValueKind.S64, 8, 8, [ValueKind.I64]),
        WitPrimitiveKind.U64 => new(ComponentValueKind.U64, 8, 8, [ValueKind.I64]),
        WitPrimitiveKind.F32 => new(ComponentValueKind.F32, 4, 4, [ValueKind.F32]),
        WitPrimitiveKind.F64 => new(ComponentValueKind.F64, 8, 8, [ValueKind.F64]),
        WitPrimitiveKind.Char => new(ComponentValueKind.Char, 4, 4, [ValueKind.I32]),
        WitPrimitiveKind.String => new(ComponentValueKind.String, 8, 4, [ValueKind.I32, ValueKind.I32]),
        _ => throw new NotSupportedException(kind.ToString()),
    };

    private static CanonicalLayout List(CanonicalLayout element) =>
        new(ComponentValueKind.List, 8, 4, [ValueKind.I32, ValueKind.I32]) { Element = element };

    private static CanonicalLayout FixedList(CanonicalLayout element, int length)
    {
        var flat = new ValueKind[element.Flat.Length * length];
        for (int i = 0; i < length; i++) element.Flat.CopyTo(flat, i * element.Flat.Length);
        return new(ComponentValueKind.List, checked(element.Size * length), element.Alignment, flat) { Element = element, FixedLength = length };
    }

    internal static CanonicalLayout Tuple(CanonicalLayout[] elements) => Record(ComponentValueKind.Tuple, elements);

    private static CanonicalLayout Record(ComponentValueKind kind, CanonicalLayout[] fields)
    {
        int size = 0, alignment = 1;
        var offsets = new int[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            size = AlignTo(size, fields[i].Alignment);
            offsets[i] = size;
            size = checked(size + fields[i].Size);
            alignment = Math.Max(alignment, fields[i].Alignment);
        }
        return new(kind, AlignTo(size, alignment), alignment, fields.SelectMany(f => f.Flat).ToArray()) { Fields = fields, Offsets = offsets };
    }

    private static CanonicalLayout Variant(ComponentValueKind kind, CanonicalLayout?[] cases)
    {
        int n = cases.Length;
        int discriminantSize = n <= 1 << 8 ? 1 : n <= 1 << 16 ? 2 : 4;
        int caseAlignment = 1, caseSize = 0;
        var joined = new List<ValueKind>();
        foreach (var c in cases)
        {
            if (c is null) continue;
            caseAlignment = Math.Max(caseAlignment, c.Alignment);
            caseSize = Math.Max(caseSize, c.Size);
            for (int i = 0; i < c.Flat.Length; i++)
            {
                if (i < joined.Count) joined[i] = Join(joined[i], c.Flat[i]);
                else joined.Add(c.Flat[i]);
            }
        }
        int alignment = Math.Max(discriminantSize, caseAlignment);
        int payloadOffset = AlignTo(discriminantSize, caseAlignment);
        joined.Insert(0, ValueKind.I32);
        return new(kind, AlignTo(payloadOffset + caseSize, alignment), alignment, joined.ToArray())
        {
            Cases = cases,
            DiscriminantSize = discriminantSize,
            PayloadOffset = payloadOffset,
        };
    }

    private static CanonicalLayout Flags(int count)
    {
        if (count is <= 0 or > 32) throw new NotSupportedException($"flags with {count} names (the canonical ABI allows 1 to 32)");
        int size = count <= 8 ? 1 : count <= 16 ? 2 : 4;
        return new(ComponentValueKind.Flags, size, size, [ValueKind.I32]) { FlagCount = count };
    }

    internal static ValueKind Join(ValueKind a, ValueKind b) =>
        a == b ? a
        : (a, b) is (ValueKind.I32, ValueKind.F32) or (ValueKind.F32, ValueKind.I32) ? ValueKind.I32
        : ValueKind.I64;

    internal static int AlignTo(int offset, int alignment) => (offset + alignment - 1) & -alignment;

    internal static long AlignTo(long offset, int alignment) => (offset + alignment - 1) & -alignment;

    public override string ToString() => $"{Kind} (size {Size}, align {Alignment}, flat [{string.Join(", ", Flat)}])";
}
