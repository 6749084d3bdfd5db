using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace IronWasm.Components.CanonicalAbi;

// Lifting: guest memory and core values -> ComponentValue (CanonicalABI.md "Loading" and "Flat Lifting").
public readonly partial struct LiftLowerContext
{
    /// <summary>Loads a value of <paramref name="layout"/> from guest memory at <paramref name="ptr"/>.</summary>
    public ComponentValue Load(CanonicalLayout layout, uint ptr)
    {
        var memory = Instance.RequireMemory().GetSpan();
        CheckRange(memory.Length, ptr, layout.Size, layout.Alignment, "a value");
        return LoadValid(memory, layout, ptr);
    }

    /// <summary>Lifts one value from flat core values starting at <paramref name="position"/>, which
    /// advances past the values used.</summary>
    public ComponentValue LiftFlat(CanonicalLayout layout, ReadOnlySpan<WasmValue> flat, ref int position)
    {
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool: return ComponentValue.Bool(flat[position++].AsInt32() != 0);
            case ComponentValueKind.S8: return ComponentValue.S8((sbyte)flat[position++].AsInt32());
            case ComponentValueKind.U8: return ComponentValue.U8((byte)flat[position++].AsInt32());
            case ComponentValueKind.S16: return ComponentValue.S16((short)flat[position++].AsInt32());
            case ComponentValueKind.U16: return ComponentValue.U16((ushort)flat[position++].AsInt32());
            case ComponentValueKind.S32: return ComponentValue.S32(flat[position++].AsInt32());
            case ComponentValueKind.U32: return ComponentValue.U32((uint)flat[position++].AsInt32());
            case ComponentValueKind.S64: return ComponentValue.S64(flat[position++].AsInt64());
            case ComponentValueKind.U64: return ComponentValue.U64((ulong)flat[position++].AsInt64());
            case ComponentValueKind.F32: return ComponentValue.F32(CanonicalizeNaN(flat[position++].AsSingle()));
            case ComponentValueKind.F64: return ComponentValue.F64(CanonicalizeNaN(flat[position++].AsDouble()));
            case ComponentValueKind.Char: return ComponentValue.FromBits(ComponentValueKind.Char, CheckChar((uint)flat[position++].AsInt32()));
            case ComponentValueKind.String:
            {
                uint ptr = (uint)flat[position++].AsInt32();
                uint units = (uint)flat[position++].AsInt32();
                return ComponentValue.String(LoadString(Instance.RequireMemory().GetSpan(), ptr, units));
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                uint ptr = (uint)flat[position++].AsInt32();
                uint length = (uint)flat[position++].AsInt32();
                return LoadList(Instance.RequireMemory().GetSpan(), layout.Element!, ptr, length);
            }
            case ComponentValueKind.List:
            {
                var elements = new ComponentValue[layout.FixedLength];
                for (int i = 0; i < elements.Length; i++) elements[i] = LiftFlat(layout.Element!, flat, ref position);
                return ComponentValue.Sequence(ComponentValueKind.List, elements);
            }
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
            {
                var fields = new ComponentValue[layout.Fields.Length];
                for (int i = 0; i < fields.Length; i++) fields[i] = LiftFlat(layout.Fields[i], flat, ref position);
                return ComponentValue.Sequence(layout.Kind, fields);
            }
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
                return LiftFlatVariant(layout, flat, ref position);
            case ComponentValueKind.Flags:
                return ComponentValue.Flags((uint)flat[position++].AsInt32() & FlagMask(layout.FlagCount));
            case ComponentValueKind.Own:
                return LiftOwn(layout, flat[position++].AsInt32());
            case ComponentValueKind.Borrow:
                return LiftBorrow(layout, flat[position++].AsInt32());
            default:
                throw new InvalidOperationException($"no lifting for {layout.Kind}");
        }
    }

    private ComponentValue LiftFlatVariant(CanonicalLayout layout, ReadOnlySpan<WasmValue> flat, ref int position)
    {
        int start = position;
        uint caseIndex = (uint)flat[start].AsInt32();
        if (caseIndex >= (uint)layout.Cases.Length)
            AbiTrap.Throw(CanonicalAbiError.InvalidDiscriminant, $"case {caseIndex} of a {layout.Kind.ToString().ToLowerInvariant()} with {layout.Cases.Length} cases");
        position = start + layout.Flat.Length;
        var payloadLayout = layout.Cases[caseIndex];
        if (payloadLayout is null) return ComponentValue.Case(layout.Kind, caseIndex, null);

        // The variant's slots have the joined types; the case may want narrower or float views of them.
        var joined = layout.Flat.AsSpan(1);
        var want = payloadLayout.Flat;
        var slots = flat.Slice(start + 1, want.Length);
        if (joined[..want.Length].SequenceEqual(want))
        {
            int inner = 0;
            return ComponentValue.Case(layout.Kind, caseIndex, LiftFlat(payloadLayout, slots, ref inner));
        }
        var coerced = ArrayPool<WasmValue>.Shared.Rent(want.Length);
        try
        {
            for (int i = 0; i < want.Length; i++) coerced[i] = Coerce(slots[i], joined[i], want[i]);
            int inner = 0;
            return ComponentValue.Case(layout.Kind, caseIndex, LiftFlat(payloadLayout, coerced.AsSpan(0, want.Length), ref inner));
        }
        finally
        {
            ArrayPool<WasmValue>.Shared.Return(coerced, clearArray: true);
        }
    }

    /// <summary>A variant's joined flat slot viewed as a case's own flat type (lift_flat_variant's coercions).</summary>
    internal static WasmValue Coerce(WasmValue value, ValueKind have, ValueKind want) => (have, want) switch
    {
        (ValueKind.I32, ValueKind.F32) => WasmValue.FromSingleBits((uint)value.AsInt32()),
        (ValueKind.I64, ValueKind.I32) => WasmValue.FromInt32((int)value.AsInt64()),
        (ValueKind.I64, ValueKind.F32) => WasmValue.FromSingleBits((uint)value.AsInt64()),
        (ValueKind.I64, ValueKind.F64) => WasmValue.FromDoubleBits((ulong)value.AsInt64()),
        _ => value,
    };

    private ComponentValue LoadValid(ReadOnlySpan<byte> m, CanonicalLayout layout, uint ptr)
    {
        var at = m.Slice((int)ptr);
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool: return ComponentValue.Bool(at[0] != 0);
            case ComponentValueKind.S8: return ComponentValue.S8((sbyte)at[0]);
            case ComponentValueKind.U8: return ComponentValue.U8(at[0]);
            case ComponentValueKind.S16: return ComponentValue.S16(BinaryPrimitives.ReadInt16LittleEndian(at));
            case ComponentValueKind.U16: return ComponentValue.U16(BinaryPrimitives.ReadUInt16LittleEndian(at));
            case ComponentValueKind.S32: return ComponentValue.S32(BinaryPrimitives.ReadInt32LittleEndian(at));
            case ComponentValueKind.U32: return ComponentValue.U32(BinaryPrimitives.ReadUInt32LittleEndian(at));
            case ComponentValueKind.S64: return ComponentValue.S64(BinaryPrimitives.ReadInt64LittleEndian(at));
            case ComponentValueKind.U64: return ComponentValue.U64(BinaryPrimitives.ReadUInt64LittleEndian(at));
            case ComponentValueKind.F32: return ComponentValue.F32(CanonicalizeNaN(BinaryPrimitives.ReadSingleLittleEndian(at)));
            case ComponentValueKind.F64: return ComponentValue.F64(CanonicalizeNaN(BinaryPrimitives.ReadDoubleLittleEndian(at)));
            case ComponentValueKind.Char: return ComponentValue.FromBits(ComponentValueKind.Char, CheckChar(BinaryPrimitives.ReadUInt32LittleEndian(at)));
            case ComponentValueKind.String:
                return ComponentValue.String(LoadString(m, BinaryPrimitives.ReadUInt32LittleEndian(at), BinaryPrimitives.ReadUInt32LittleEndian(at[4..])));
            case ComponentValueKind.List when layout.FixedLength < 0:
                return LoadList(m, layout.Element!, BinaryPrimitives.ReadUInt32LittleEndian(at), BinaryPrimitives.ReadUInt32LittleEndian(at[4..]));
            case ComponentValueKind.List:
                return LoadElements(m, layout.Element!, ptr, (uint)layout.FixedLength);
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
            {
                var fields = new ComponentValue[layout.Fields.Length];
                for (int i = 0; i < fields.Length; i++) fields[i] = LoadValid(m, layout.Fields[i], ptr + (uint)layout.Offsets[i]);
                return ComponentValue.Sequence(layout.Kind, fields);
            }
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
            {
                uint caseIndex = ReadUnsigned(at, layout.DiscriminantSize);
                if (caseIndex >= (uint)layout.Cases.Length)
                    AbiTrap.Throw(CanonicalAbiError.InvalidDiscriminant, $"case {caseIndex} of a {layout.Kind.ToString().ToLowerInvariant()} with {layout.Cases.Length} cases, at {ptr}");
                var payload = layout.Cases[caseIndex];
                return ComponentValue.Case(layout.Kind, caseIndex, payload is null ? null : LoadValid(m, payload, ptr + (uint)layout.PayloadOffset));
            }
            case ComponentValueKind.Flags:
                return ComponentValue.Flags(ReadUnsigned(at, layout.Size) & FlagMask(layout.FlagCount));
            case ComponentValueKind.Own:
                return LiftOwn(layout, BinaryPrimitives.ReadInt32LittleEndian(at));
            case ComponentValueKind.Borrow:
                return LiftBorrow(layout, BinaryPrimitives.ReadInt32LittleEndian(at));
            default:
                throw new InvalidOperationException($"no loading for {layout.Kind}");
        }
    }

    internal static uint ReadUnsigned(ReadOnlySpan<byte> at, int size) => size switch
    {
        1 => at[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(at),
        _ => BinaryPrimitives.ReadUInt32LittleEndian(at),
    };

    internal static uint FlagMask(int count) => count >= 32 ? uint.MaxValue : (1u << count) - 1;

    private ComponentValue LoadList(ReadOnlySpan<byte> m, CanonicalLayout element, uint ptr, uint length)
    {
        long byteLength = (long)length * element.Size;
        if (byteLength > CanonicalLayout.MaxByteLength)
            AbiTrap.Throw(CanonicalAbiError.TooLong, $"a list of {length} elements ({byteLength} bytes) is longer than {CanonicalLayout.MaxByteLength} bytes");
        CheckRange(m.Length, ptr, byteLength, element.Alignment, "a list");
        return LoadElements(m, element, ptr, length);
    }

    private ComponentValue LoadElements(ReadOnlySpan<byte> m, CanonicalLayout element, uint ptr, uint length)
    {
        var elements = length == 0 ? [] : new ComponentValue[length];
        for (int i = 0; i < elements.Length; i++) elements[i] = LoadValid(m, element, ptr + (uint)(i * element.Size));
        return ComponentValue.Sequence(ComponentValueKind.List, elements);
    }

    /// <summary>CanonicalABI.md's load_string_from_range.</summary>
    internal string LoadString(ReadOnlySpan<byte> m, uint ptr, uint taggedCodeUnits)
    {
        var (encoding, byteLength) = CheckString(Instance.StringEncoding, m.Length, ptr, taggedCodeUnits);
        try
        {
            return encoding.GetString(m.Slice((int)ptr, byteLength));
        }
        catch (DecoderFallbackException e)
        {
            InvalidString(encoding, ptr, e.Message);
            return null!;
        }
    }

    /// <summary>The checks of load_string_from_range before decoding: traps unless the string is
    /// within the size limit, aligned and inside memory; says how its bytes are encoded.</summary>
    internal static (Encoding Encoding, int ByteLength) CheckString(StringEncoding stringEncoding, long memoryLength, uint ptr, uint taggedCodeUnits)
    {
        Encoding encoding;
        int alignment;
        long byteLength;
        switch (stringEncoding)
        {
            case StringEncoding.Utf8:
                (encoding, alignment, byteLength) = (StrictUtf8, 1, taggedCodeUnits);
                break;
            case StringEncoding.Utf16:
                (encoding, alignment, byteLength) = (StrictUtf16, 2, 2L * taggedCodeUnits);
                break;
            default:
                (encoding, alignment, byteLength) = (taggedCodeUnits & 0x8000_0000) != 0
                    ? (StrictUtf16, 2, 2L * (taggedCodeUnits ^ 0x8000_0000))
                    : ((Encoding)Encoding.Latin1, 2, (long)taggedCodeUnits);
                break;
        }
        if (byteLength > CanonicalLayout.MaxByteLength)
            AbiTrap.Throw(CanonicalAbiError.TooLong, $"a string of {byteLength} bytes is longer than {CanonicalLayout.MaxByteLength} bytes");
        CheckRange(memoryLength, ptr, byteLength, alignment, "a string");
        return (encoding, (int)byteLength);
    }

    internal static void InvalidString(Encoding encoding, uint ptr, string detail) =>
        AbiTrap.Throw(CanonicalAbiError.InvalidString, $"the string at {ptr} is not valid {(encoding == StrictUtf8 ? "UTF-8" : "UTF-16")}: {detail}");

    private ComponentValue LiftOwn(CanonicalLayout layout, int index)
    {
        var type = Instance.GetResource(layout.Resource!);
        return ComponentValue.Handle(ComponentValueKind.Own, type, Instance.Handles.LiftOwn(type, index));
    }

    private ComponentValue LiftBorrow(CanonicalLayout layout, int index)
    {
        var type = Instance.GetResource(layout.Resource!);
        return ComponentValue.Handle(ComponentValueKind.Borrow, type, Instance.Handles.LiftBorrow(type, index, RequireScope()));
    }
}
