using System.Text;
using IronWasm.Components.Resources;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>A component-level value as host code sees it: what lifting produces and lowering
/// consumes. Scalars live inline (no allocation); strings, lists, records, tuples and payloads hold
/// a reference. A list, record or tuple holds its elements in order; a variant, enum, option or
/// result holds the case index (option: 0 none, 1 some; result: 0 ok, 1 error) and an optional
/// payload; flags hold a bit per flag in declaration order; a handle holds its resource type and
/// representation.</summary>
public readonly struct ComponentValue : IEquatable<ComponentValue>
{
    private readonly ulong _bits;
    private readonly object? _reference;

    private ComponentValue(ComponentValueKind kind, ulong bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _reference = reference;
    }

    public ComponentValueKind Kind { get; }

    public static ComponentValue Bool(bool value) => new(ComponentValueKind.Bool, value ? 1UL : 0, null);
    public static ComponentValue S8(sbyte value) => new(ComponentValueKind.S8, (ulong)value, null);
    public static ComponentValue U8(byte value) => new(ComponentValueKind.U8, value, null);
    public static ComponentValue S16(short value) => new(ComponentValueKind.S16, (ulong)value, null);
    public static ComponentValue U16(ushort value) => new(ComponentValueKind.U16, value, null);
    public static ComponentValue S32(int value) => new(ComponentValueKind.S32, (ulong)value, null);
    public static ComponentValue U32(uint value) => new(ComponentValueKind.U32, value, null);
    public static ComponentValue S64(long value) => new(ComponentValueKind.S64, (ulong)value, null);
    public static ComponentValue U64(ulong value) => new(ComponentValueKind.U64, value, null);
    public static ComponentValue F32(float value) => new(ComponentValueKind.F32, BitConverter.SingleToUInt32Bits(value), null);
    public static ComponentValue F64(double value) => new(ComponentValueKind.F64, BitConverter.DoubleToUInt64Bits(value), null);
    public static ComponentValue Char(Rune value) => new(ComponentValueKind.Char, (uint)value.Value, null);
    public static ComponentValue String(string value) => new(ComponentValueKind.String, 0, value ?? throw new ArgumentNullException(nameof(value)));
    public static ComponentValue List(params ComponentValue[] elements) => new(ComponentValueKind.List, 0, elements ?? throw new ArgumentNullException(nameof(elements)));
    public static ComponentValue Record(params ComponentValue[] fields) => new(ComponentValueKind.Record, 0, fields ?? throw new ArgumentNullException(nameof(fields)));
    public static ComponentValue Tuple(params ComponentValue[] elements) => new(ComponentValueKind.Tuple, 0, elements ?? throw new ArgumentNullException(nameof(elements)));
    public static ComponentValue Variant(uint caseIndex) => new(ComponentValueKind.Variant, caseIndex, null);
    public static ComponentValue Variant(uint caseIndex, ComponentValue payload) => new(ComponentValueKind.Variant, caseIndex, new Payload(payload));
    public static ComponentValue Enum(uint caseIndex) => new(ComponentValueKind.Enum, caseIndex, null);
    public static ComponentValue None() => new(ComponentValueKind.Option, 0, null);
    public static ComponentValue Some(ComponentValue value) => new(ComponentValueKind.Option, 1, new Payload(value));
    public static ComponentValue Ok() => new(ComponentValueKind.Result, 0, null);
    public static ComponentValue Ok(ComponentValue value) => new(ComponentValueKind.Result, 0, new Payload(value));
    public static ComponentValue Error() => new(ComponentValueKind.Result, 1, null);
    public static ComponentValue Error(ComponentValue value) => new(ComponentValueKind.Result, 1, new Payload(value));
    /// <summary>Flags: bit i is the i-th flag of the type.</summary>
    public static ComponentValue Flags(uint bits) => new(ComponentValueKind.Flags, bits, null);
    /// <summary>An owned handle: the receiver becomes responsible for dropping it.</summary>
    public static ComponentValue Own(ResourceType type, int representation) =>
        new(ComponentValueKind.Own, (uint)representation, type ?? throw new ArgumentNullException(nameof(type)));
    /// <summary>A borrowed handle, valid for the duration of the call it is passed to.</summary>
    public static ComponentValue Borrow(ResourceType type, int representation) =>
        new(ComponentValueKind.Borrow, (uint)representation, type ?? throw new ArgumentNullException(nameof(type)));

    // Constructors for the lifter, which has already chosen the kind from the type.
    internal static ComponentValue FromBits(ComponentValueKind kind, ulong bits) => new(kind, bits, null);
    internal static ComponentValue Case(ComponentValueKind kind, uint caseIndex, ComponentValue? payload) =>
        new(kind, caseIndex, payload is { } p ? new Payload(p) : null);
    internal static ComponentValue Sequence(ComponentValueKind kind, ComponentValue[] elements) => new(kind, 0, elements);
    internal static ComponentValue Handle(ComponentValueKind kind, ResourceType type, int representation) => new(kind, (uint)representation, type);

    public bool AsBool() { Expect(ComponentValueKind.Bool); return _bits != 0; }
    public sbyte AsS8() { Expect(ComponentValueKind.S8); return (sbyte)_bits; }
    public byte AsU8() { Expect(ComponentValueKind.U8); return (byte)_bits; }
    public short AsS16() { Expect(ComponentValueKind.S16); return (short)_bits; }
    public ushort AsU16() { Expect(ComponentValueKind.U16); return (ushort)_bits; }
    public int AsS32() { Expect(ComponentValueKind.S32); return (int)_bits; }
    public uint AsU32() { Expect(ComponentValueKind.U32); return (uint)_bits; }
    public long AsS64() { Expect(ComponentValueKind.S64); return (long)_bits; }
    public ulong AsU64() { Expect(ComponentValueKind.U64); return _bits; }
    public float AsF32() { Expect(ComponentValueKind.F32); return BitConverter.UInt32BitsToSingle((uint)_bits); }
    public double AsF64() { Expect(ComponentValueKind.F64); return BitConverter.UInt64BitsToDouble(_bits); }
    public Rune AsChar() { Expect(ComponentValueKind.Char); return new Rune((uint)_bits); }
    public string AsString() { Expect(ComponentValueKind.String); return (string)_reference!; }

    /// <summary>The elements of a list or tuple, or the fields of a record, in order.</summary>
    public IReadOnlyList<ComponentValue> Elements => Items;

    /// <summary>The case index of a variant, enum, option (1 = some) or result (1 = error).</summary>
    public uint CaseIndex
    {
        get
        {
            if (Kind is not (ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result))
                ThrowKind("a variant, enum, option or result");
            return (uint)_bits;
        }
    }

    /// <summary>The payload of a variant case, option or result, or null when the case has none.</summary>
    public ComponentValue? Payload => (_reference as Payload)?.Value;

    public uint FlagBits { get { Expect(ComponentValueKind.Flags); return (uint)_bits; } }

    public bool HasFlag(int index) => (FlagBits & (1u << index)) != 0;

    /// <summary>The resource type of an own or borrow handle.</summary>
    public ResourceType Resource
    {
        get
        {
            if (Kind is not (ComponentValueKind.Own or ComponentValueKind.Borrow)) ThrowKind("a handle");
            return (ResourceType)_reference!;
        }
    }

    /// <summary>The resource representation (rep) of an own or borrow handle.</summary>
    public int Representation { get { _ = Resource; return (int)(uint)_bits; } }

    internal ulong Bits => _bits;

    internal ComponentValue[] Items
    {
        get
        {
            if (_reference is not ComponentValue[] items) { ThrowKind("a list, record or tuple"); return null!; }
            return items;
        }
    }

    internal bool HasPayload => _reference is Payload;

    internal ComponentValue PayloadValue => ((Payload)_reference!).Value;

    private void Expect(ComponentValueKind kind)
    {
        if (Kind != kind) ThrowKind(kind.ToString().ToLowerInvariant());
    }

    private void ThrowKind(string wanted) =>
        throw new InvalidOperationException($"the value is {(Kind == ComponentValueKind.None ? "not initialized" : Kind.ToString().ToLowerInvariant())}, not {wanted}");

    public bool Equals(ComponentValue other)
    {
        if (Kind != other.Kind || _bits != other._bits) return false;
        return (_reference, other._reference) switch
        {
            (null, null) => true,
            (string a, string b) => a == b,
            (ComponentValue[] a, ComponentValue[] b) => a.AsSpan().SequenceEqual(b),
            (Payload a, Payload b) => a.Value.Equals(b.Value),
            (ResourceType a, ResourceType b) => ReferenceEquals(a, b),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is ComponentValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _reference is string s ? s.GetHashCode() : 0);

    public static bool operator ==(ComponentValue left, ComponentValue right) => left.Equals(right);
    public static bool operator !=(ComponentValue left, ComponentValue right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        ComponentValueKind.Bool => _bits != 0 ? "true" : "false",
        ComponentValueKind.S8 or ComponentValueKind.S16 or ComponentValueKind.S32 or ComponentValueKind.S64 => ((long)_bits).ToString(),
        ComponentValueKind.U8 or ComponentValueKind.U16 or ComponentValueKind.U32 or ComponentValueKind.U64 => _bits.ToString(),
        ComponentValueKind.F32 => AsF32().ToString("R"),
        ComponentValueKind.F64 => AsF64().ToString("R"),
        ComponentValueKind.Char => $"'{AsChar()}'",
        ComponentValueKind.String => $"\"{_reference}\"",
        ComponentValueKind.List => $"[{string.Join(", ", Items)}]",
        ComponentValueKind.Record => $"{{{string.Join(", ", Items)}}}",
        ComponentValueKind.Tuple => $"({string.Join(", ", Items)})",
        ComponentValueKind.Flags => $"flags(0x{_bits:x})",
        ComponentValueKind.Own or ComponentValueKind.Borrow => $"{Kind.ToString().ToLowerInvariant()}<{((ResourceType)_reference!).Name}>({(int)(uint)_bits})",
        ComponentValueKind.None => "(none)",
        _ => HasPayload ? $"{Kind.ToString().ToLowerInvariant()}#{_bits}({PayloadValue})" : $"{Kind.ToString().ToLowerInvariant()}#{_bits}",
    };
}

/// <summary>The boxed payload of a case: a class so that ComponentValue can stay a small struct.</summary>
internal sealed class Payload(ComponentValue value)
{
    public readonly ComponentValue Value = value;
}
