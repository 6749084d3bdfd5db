using System.Buffers.Binary;
using System.Text;
using IronWasm.Components.Resources;

namespace IronWasm.Components.CanonicalAbi;

// Lowering: ComponentValue -> guest memory and core values (CanonicalABI.md "Storing" and "Flat Lowering").
// Storing may call cabi_realloc, which may grow (and move) the memory, so spans are taken afresh
// after every allocation rather than held across one.
public readonly partial struct LiftLowerContext
{
    /// <summary>Stores <paramref name="value"/> into guest memory at <paramref name="ptr"/>.</summary>
    public void Store(in ComponentValue value, CanonicalLayout layout, uint ptr)
    {
        CheckRange(Instance.RequireMemory().Length, ptr, layout.Size, layout.Alignment, "a value");
        StoreValid(value, layout, ptr);
    }

    /// <summary>Lowers one value into flat core values from <paramref name="position"/>, which advances
    /// past the values written.</summary>
    public void LowerFlat(in ComponentValue value, CanonicalLayout layout, Span<WasmValue> flat, ref int position)
    {
        Expect(value, layout);
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool or ComponentValueKind.U8 or ComponentValueKind.U16 or ComponentValueKind.U32
                or ComponentValueKind.S8 or ComponentValueKind.S16 or ComponentValueKind.S32 or ComponentValueKind.Char:
                // Signed values are kept sign-extended in Bits, which is lower_flat_signed's two's complement.
                flat[position++] = WasmValue.FromInt32((int)value.Bits);
                break;
            case ComponentValueKind.S64 or ComponentValueKind.U64:
                flat[position++] = WasmValue.FromInt64((long)value.Bits);
                break;
            case ComponentValueKind.F32:
                flat[position++] = WasmValue.FromSingleBits((uint)value.Bits);
                break;
            case ComponentValueKind.F64:
                flat[position++] = WasmValue.FromDoubleBits(value.Bits);
                break;
            case ComponentValueKind.String:
            {
                var (ptr, units) = StoreString(value.AsString());
                flat[position++] = WasmValue.FromInt32((int)ptr);
                flat[position++] = WasmValue.FromInt32((int)units);
                break;
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                var (ptr, length) = StoreList(value.Items, layout.Element!);
                flat[position++] = WasmValue.FromInt32((int)ptr);
                flat[position++] = WasmValue.FromInt32((int)length);
                break;
            }
            case ComponentValueKind.List:
                foreach (var element in value.Items) LowerFlat(element, layout.Element!, flat, ref position);
                break;
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                var fields = value.Items;
                for (int i = 0; i < fields.Length; i++) LowerFlat(fields[i], layout.Fields[i], flat, ref position);
                break;
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
                LowerFlatVariant(value, layout, flat, ref position);
                break;
            case ComponentValueKind.Flags:
                flat[position++] = WasmValue.FromInt32((int)value.FlagBits);
                break;
            case ComponentValueKind.Own or ComponentValueKind.Borrow:
                flat[position++] = WasmValue.FromInt32(LowerHandle(value, layout));
                break;
            default:
                throw new InvalidOperationException($"no lowering for {layout.Kind}");
        }
    }

    private void LowerFlatVariant(in ComponentValue value, CanonicalLayout layout, Span<WasmValue> flat, ref int position)
    {
        int start = position;
        uint caseIndex = value.CaseIndex;
        flat[start] = WasmValue.FromInt32((int)caseIndex);
        var joined = layout.Flat.AsSpan(1);
        int written = 0;
        if (layout.Cases[caseIndex] is { } payloadLayout)
        {
            var slots = flat.Slice(start + 1, joined.Length);
            LowerFlat(value.PayloadValue, payloadLayout, slots, ref written);
            var have = payloadLayout.Flat;
            for (int i = 0; i < written; i++) slots[i] = Widen(slots[i], have[i], joined[i]);
        }
        for (int i = written; i < joined.Length; i++) flat[start + 1 + i] = WasmValue.Default(joined[i]);
        position = start + 1 + joined.Length;
    }

    /// <summary>A case's flat value in a variant's joined slot type (lower_flat_variant's coercions).</summary>
    internal static WasmValue Widen(WasmValue value, ValueKind have, ValueKind joined) => (have, joined) switch
    {
        (ValueKind.F32, ValueKind.I32) => WasmValue.FromInt32((int)value.AsSingleBits()),
        (ValueKind.I32, ValueKind.I64) => WasmValue.FromInt64((uint)value.AsInt32()),
        (ValueKind.F32, ValueKind.I64) => WasmValue.FromInt64(value.AsSingleBits()),
        (ValueKind.F64, ValueKind.I64) => WasmValue.FromInt64((long)value.AsDoubleBits()),
        _ => value,
    };

    private void StoreValid(in ComponentValue value, CanonicalLayout layout, uint ptr)
    {
        Expect(value, layout);
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool or ComponentValueKind.U8 or ComponentValueKind.S8:
                Bytes(ptr, 1)[0] = (byte)value.Bits;
                break;
            case ComponentValueKind.U16 or ComponentValueKind.S16:
                BinaryPrimitives.WriteUInt16LittleEndian(Bytes(ptr, 2), (ushort)value.Bits);
                break;
            case ComponentValueKind.U32 or ComponentValueKind.S32 or ComponentValueKind.Char or ComponentValueKind.F32:
                BinaryPrimitives.WriteUInt32LittleEndian(Bytes(ptr, 4), (uint)value.Bits);
                break;
            case ComponentValueKind.U64 or ComponentValueKind.S64 or ComponentValueKind.F64:
                BinaryPrimitives.WriteUInt64LittleEndian(Bytes(ptr, 8), value.Bits);
                break;
            case ComponentValueKind.String:
            {
                var (begin, units) = StoreString(value.AsString());
                WritePair(ptr, begin, units);
                break;
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                var (begin, length) = StoreList(value.Items, layout.Element!);
                WritePair(ptr, begin, length);
                break;
            }
            case ComponentValueKind.List:
                StoreElements(value.Items, layout.Element!, ptr);
                break;
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                var fields = value.Items;
                for (int i = 0; i < fields.Length; i++) StoreValid(fields[i], layout.Fields[i], ptr + (uint)layout.Offsets[i]);
                break;
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
            {
                uint caseIndex = value.CaseIndex;
                var at = Bytes(ptr, layout.DiscriminantSize);
                switch (layout.DiscriminantSize)
                {
                    case 1: at[0] = (byte)caseIndex; break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)caseIndex); break;
                    default: BinaryPrimitives.WriteUInt32LittleEndian(at, caseIndex); break;
                }
                if (layout.Cases[caseIndex] is { } payload) StoreValid(value.PayloadValue, payload, ptr + (uint)layout.PayloadOffset);
                break;
            }
            case ComponentValueKind.Flags:
            {
                var at = Bytes(ptr, layout.Size);
                uint bits = value.FlagBits;
                switch (layout.Size)
                {
                    case 1: at[0] = (byte)bits; break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)bits); break;
                    default: BinaryPrimitives.WriteUInt32LittleEndian(at, bits); break;
                }
                break;
            }
            case ComponentValueKind.Own or ComponentValueKind.Borrow:
                BinaryPrimitives.WriteInt32LittleEndian(Bytes(ptr, 4), LowerHandle(value, layout));
                break;
            default:
                throw new InvalidOperationException($"no storing for {layout.Kind}");
        }
    }

    private Span<byte> Bytes(uint ptr, int length) => Instance.RequireMemory().GetSpan(ptr, length);

    private void WritePair(uint ptr, uint first, uint second)
    {
        var at = Bytes(ptr, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(at, first);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], second);
    }

    private (uint Ptr, uint Length) StoreList(ComponentValue[] elements, CanonicalLayout element)
    {
        long byteLength = (long)elements.Length * element.Size;
        if (byteLength > CanonicalLayout.MaxByteLength)
            throw new ArgumentException($"a list of {byteLength} bytes is longer than the canonical ABI allows ({CanonicalLayout.MaxByteLength})");
        uint ptr = Instance.Reallocate(0, 0, element.Alignment, (uint)byteLength);
        StoreElements(elements, element, ptr);
        return (ptr, (uint)elements.Length);
    }

    private void StoreElements(ComponentValue[] elements, CanonicalLayout element, uint ptr)
    {
        for (int i = 0; i < elements.Length; i++) StoreValid(elements[i], element, ptr + (uint)(i * element.Size));
    }

    /// <summary>Stores a string in the guest's encoding. The host knows the whole string up front,
    /// so it allocates the exact size once instead of store_string's speculative reallocations.</summary>
    internal (uint Ptr, uint TaggedCodeUnits) StoreString(string value)
    {
        try
        {
            switch (Instance.StringEncoding)
            {
                case StringEncoding.Utf8:
                {
                    int byteLength = StrictUtf8.GetByteCount(value);
                    CheckLength(byteLength);
                    uint ptr = Instance.Reallocate(0, 0, 1, (uint)byteLength);
                    StrictUtf8.GetBytes(value, Bytes(ptr, byteLength));
                    return (ptr, (uint)byteLength);
                }
                case StringEncoding.Utf16:
                    return (StoreUtf16(value), (uint)value.Length);
                default:
                {
                    if (value.AsSpan().ContainsAnyExceptInRange('\0', '\u00FF'))
                        return (StoreUtf16(value), (uint)value.Length | 0x8000_0000);
                    CheckLength(value.Length);
                    uint ptr = Instance.Reallocate(0, 0, 2, (uint)value.Length);
                    Encoding.Latin1.GetBytes(value, Bytes(ptr, value.Length));
                    return (ptr, (uint)value.Length);
                }
            }
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"the string is not a sequence of Unicode scalar values (it has a lone surrogate): {e.Message}", nameof(value), e);
        }
    }

    private uint StoreUtf16(string value)
    {
        int byteLength = StrictUtf16.GetByteCount(value);
        CheckLength(byteLength);
        uint ptr = Instance.Reallocate(0, 0, 2, (uint)byteLength);
        StrictUtf16.GetBytes(value, Bytes(ptr, byteLength));
        return ptr;
    }

    private static void CheckLength(long byteLength)
    {
        if (byteLength > CanonicalLayout.MaxByteLength)
            throw new ArgumentException($"a string of {byteLength} bytes is longer than the canonical ABI allows ({CanonicalLayout.MaxByteLength})");
    }

    private int LowerHandle(in ComponentValue value, CanonicalLayout layout)
    {
        var expected = Instance.GetResource(layout.Resource!);
        var type = value.Resource;
        if (!ReferenceEquals(type, expected))
            throw new ArgumentException($"a handle to a {type.Name} ({type}) is passed where the guest expects {expected.Name} bound to `{layout.Resource!.Name}`");
        return layout.Kind == ComponentValueKind.Own
            ? Instance.Handles.LowerOwn(type, value.Representation)
            : Instance.Handles.LowerBorrow(type, value.Representation, RequireScope());
    }

    /// <summary>Host values must have the shape of the type; a mismatch is a host bug, not a trap.</summary>
    private static void Expect(in ComponentValue value, CanonicalLayout layout)
    {
        if (value.Kind != layout.Kind)
            throw new ArgumentException($"a {value.Kind.ToString().ToLowerInvariant()} value is passed where the type wants {layout.Kind.ToString().ToLowerInvariant()}");
        switch (layout.Kind)
        {
            case ComponentValueKind.List when layout.FixedLength >= 0 && value.Items.Length != layout.FixedLength:
                throw new ArgumentException($"a list of {value.Items.Length} elements is passed where the type wants exactly {layout.FixedLength}");
            case ComponentValueKind.Record or ComponentValueKind.Tuple when value.Items.Length != layout.Fields.Length:
                throw new ArgumentException($"a {layout.Kind.ToString().ToLowerInvariant()} of {value.Items.Length} fields is passed where the type has {layout.Fields.Length}");
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
                if (value.CaseIndex >= (uint)layout.Cases.Length)
                    throw new ArgumentException($"case {value.CaseIndex} is passed where the type has {layout.Cases.Length} cases");
                if (value.HasPayload != layout.Cases[value.CaseIndex] is not null)
                    throw new ArgumentException($"case {value.CaseIndex} {(value.HasPayload ? "has a payload the type does not" : "lacks the payload the type wants")}");
                break;
            case ComponentValueKind.Flags when (value.FlagBits & ~FlagMask(layout.FlagCount)) != 0:
                throw new ArgumentException($"flags 0x{value.FlagBits:X} set bits beyond the type's {layout.FlagCount} flags");
        }
    }
}
