using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>Copies values from one guest instance into another without <see cref="ComponentValue"/>s:
/// a lift from <see cref="From"/> fused with a lower into <see cref="To"/>, memory to memory. It
/// gives what <see cref="LiftLowerContext"/>'s lift then lower gives (the same traps, the same
/// cabi_realloc calls in the same order, the same bytes written), in two passes as that path
/// has: the Check methods make every check lifting makes, reading only, so nothing reaches the
/// destination unless the whole value is valid; the Copy methods then lower, assuming checked
/// values. Types holding handles are not supported (<see cref="Supports"/>): their handles need
/// translating between tables, which the ComponentValue path does.</summary>
internal readonly struct ValueCopier
{
    public ValueCopier(CanonicalInstance from, CanonicalInstance to)
    {
        From = from;
        To = to;
    }

    public CanonicalInstance From { get; }

    public CanonicalInstance To { get; }

    /// <summary>True unless a value of <paramref name="layout"/> can hold a handle.</summary>
    public static bool Supports(CanonicalLayout layout) => layout.Kind switch
    {
        ComponentValueKind.Own or ComponentValueKind.Borrow => false,
        ComponentValueKind.List => Supports(layout.Element!),
        ComponentValueKind.Record or ComponentValueKind.Tuple => layout.Fields.All(Supports),
        ComponentValueKind.Variant or ComponentValueKind.Option or ComponentValueKind.Result => layout.Cases.All(c => c is null || Supports(c)),
        _ => true,
    };

    // Source memory cannot change while a value is copied (the source guest does not run); the
    // destination's may grow, and so move, in every cabi_realloc, so its span is taken afresh.
    private ReadOnlySpan<byte> Source => From.RequireMemory().GetSpan();

    private Span<byte> Destination(uint ptr, int length) => To.RequireMemory().GetSpan(ptr, length);

    // ---- checks (lifting's) ----

    /// <summary>Traps unless the values of <paramref name="tuple"/> spilled at <paramref name="ptr"/>
    /// (parameters beyond 16 flat values, or results beyond one) are in memory, aligned and valid.</summary>
    public void CheckSpilled(CanonicalLayout tuple, uint ptr)
    {
        var m = Source;
        LiftLowerContext.CheckRange(m.Length, ptr, tuple.Size, tuple.Alignment, "the values");
        CheckStored(m, tuple, ptr);
    }

    /// <summary>Traps unless the flat values from <paramref name="position"/> are a valid
    /// <paramref name="layout"/>; advances past them.</summary>
    public void CheckFlat(CanonicalLayout layout, ReadOnlySpan<WasmValue> flat, ref int position)
    {
        switch (layout.Kind)
        {
            case ComponentValueKind.Char:
                LiftLowerContext.CheckChar((uint)flat[position++].AsInt32());
                break;
            case ComponentValueKind.String:
            {
                uint ptr = (uint)flat[position++].AsInt32();
                CheckString(Source, ptr, (uint)flat[position++].AsInt32());
                break;
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                uint ptr = (uint)flat[position++].AsInt32();
                CheckList(Source, layout.Element!, ptr, (uint)flat[position++].AsInt32());
                break;
            }
            case ComponentValueKind.List:
                for (int i = 0; i < layout.FixedLength; i++) CheckFlat(layout.Element!, flat, ref position);
                break;
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                foreach (var field in layout.Fields) CheckFlat(field, flat, ref position);
                break;
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
                CheckFlatVariant(layout, flat, ref position);
                break;
            case ComponentValueKind.Own or ComponentValueKind.Borrow:
                throw new NotSupportedException("handles are not copied directly");
            default:
                position++;
                break;
        }
    }

    // Out of line: the payload's slots are a 512-byte local the JIT zeroes on every entry.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckFlatVariant(CanonicalLayout layout, ReadOnlySpan<WasmValue> flat, ref int position)
    {
        int start = position;
        uint caseIndex = CheckCase(layout, (uint)flat[start].AsInt32());
        position = start + layout.Flat.Length;
        if (layout.Cases[caseIndex] is not { } payload) return;
        var slots = new FlatSlots();
        var coerced = CoercePayload(layout, payload, flat, start, slots);
        int inner = 0;
        CheckFlat(payload, coerced, ref inner);
    }

    private void CheckStored(ReadOnlySpan<byte> m, CanonicalLayout layout, uint ptr)
    {
        switch (layout.Kind)
        {
            case ComponentValueKind.Char:
                LiftLowerContext.CheckChar(BinaryPrimitives.ReadUInt32LittleEndian(m.Slice((int)ptr)));
                break;
            case ComponentValueKind.String:
                CheckString(m, BinaryPrimitives.ReadUInt32LittleEndian(m.Slice((int)ptr)), BinaryPrimitives.ReadUInt32LittleEndian(m.Slice((int)ptr + 4)));
                break;
            case ComponentValueKind.List when layout.FixedLength < 0:
                CheckList(m, layout.Element!, BinaryPrimitives.ReadUInt32LittleEndian(m.Slice((int)ptr)), BinaryPrimitives.ReadUInt32LittleEndian(m.Slice((int)ptr + 4)));
                break;
            case ComponentValueKind.List:
                if (NeedsCheck(layout.Element!))
                {
                    for (int i = 0; i < layout.FixedLength; i++) CheckStored(m, layout.Element!, ptr + (uint)(i * layout.Element!.Size));
                }
                break;
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                for (int i = 0; i < layout.Fields.Length; i++) CheckStored(m, layout.Fields[i], ptr + (uint)layout.Offsets[i]);
                break;
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
            {
                uint caseIndex = CheckCase(layout, LiftLowerContext.ReadUnsigned(m.Slice((int)ptr), layout.DiscriminantSize));
                if (layout.Cases[caseIndex] is { } payload) CheckStored(m, payload, ptr + (uint)layout.PayloadOffset);
                break;
            }
            case ComponentValueKind.Own or ComponentValueKind.Borrow:
                throw new NotSupportedException("handles are not copied directly");
        }
    }

    private static uint CheckCase(CanonicalLayout layout, uint caseIndex)
    {
        if (caseIndex >= (uint)layout.Cases.Length)
            AbiTrap.Throw(CanonicalAbiError.InvalidDiscriminant, $"case {caseIndex} of a {layout.Kind.ToString().ToLowerInvariant()} with {layout.Cases.Length} cases");
        return caseIndex;
    }

    private void CheckString(ReadOnlySpan<byte> m, uint ptr, uint taggedCodeUnits)
    {
        var (encoding, byteLength) = LiftLowerContext.CheckString(From.StringEncoding, m.Length, ptr, taggedCodeUnits);
        var bytes = m.Slice((int)ptr, byteLength);
        // The strict decoders of the lifting path accept exactly the well-formed strings these accept.
        if (encoding == LiftLowerContext.StrictUtf8 ? !Utf8.IsValid(bytes)
            : encoding == LiftLowerContext.StrictUtf16 && !IsValidUtf16(MemoryMarshal.Cast<byte, char>(bytes)))
            LiftLowerContext.InvalidString(encoding, ptr, "it is not well-formed");
    }

    private static bool IsValidUtf16(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
            i++;
        }
        return true;
    }

    private void CheckList(ReadOnlySpan<byte> m, CanonicalLayout element, uint ptr, uint length)
    {
        long byteLength = (long)length * element.Size;
        if (byteLength > CanonicalLayout.MaxByteLength)
            AbiTrap.Throw(CanonicalAbiError.TooLong, $"a list of {length} elements ({byteLength} bytes) is longer than {CanonicalLayout.MaxByteLength} bytes");
        LiftLowerContext.CheckRange(m.Length, ptr, byteLength, element.Alignment, "a list");
        if (!NeedsCheck(element)) return;
        for (uint i = 0; i < length; i++) CheckStored(m, element, ptr + i * (uint)element.Size);
    }

    /// <summary>False for types every bit pattern of which is a valid value.</summary>
    private static bool NeedsCheck(CanonicalLayout layout) => layout.Kind switch
    {
        ComponentValueKind.Bool or ComponentValueKind.S8 or ComponentValueKind.U8 or ComponentValueKind.S16 or ComponentValueKind.U16
            or ComponentValueKind.S32 or ComponentValueKind.U32 or ComponentValueKind.S64 or ComponentValueKind.U64
            or ComponentValueKind.F32 or ComponentValueKind.F64 or ComponentValueKind.Flags => false,
        ComponentValueKind.Record or ComponentValueKind.Tuple => layout.Fields.Any(NeedsCheck),
        _ => true,
    };

    /// <summary>True for types whose values are copied byte for byte (no normalising, no padding).</summary>
    private static bool IsVerbatim(CanonicalLayout layout) => layout.Kind is ComponentValueKind.S8 or ComponentValueKind.U8
        or ComponentValueKind.S16 or ComponentValueKind.U16 or ComponentValueKind.S32 or ComponentValueKind.U32
        or ComponentValueKind.S64 or ComponentValueKind.U64;

    // ---- copies (lowering's), of checked values ----

    /// <summary>Copies checked values spilled at <paramref name="from"/> into the destination at
    /// <paramref name="to"/> (a cabi_realloc'd block or a checked return area).</summary>
    public void CopyStored(CanonicalLayout layout, uint from, uint to)
    {
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool:
                Destination(to, 1)[0] = Source[(int)from] != 0 ? (byte)1 : (byte)0;
                break;
            case ComponentValueKind.S8 or ComponentValueKind.U8 or ComponentValueKind.S16 or ComponentValueKind.U16
                or ComponentValueKind.S32 or ComponentValueKind.U32 or ComponentValueKind.S64 or ComponentValueKind.U64
                or ComponentValueKind.Char:
                Source.Slice((int)from, layout.Size).CopyTo(Destination(to, layout.Size));
                break;
            case ComponentValueKind.F32:
            {
                float value = LiftLowerContext.CanonicalizeNaN(BinaryPrimitives.ReadSingleLittleEndian(Source.Slice((int)from)));
                BinaryPrimitives.WriteSingleLittleEndian(Destination(to, 4), value);
                break;
            }
            case ComponentValueKind.F64:
            {
                double value = LiftLowerContext.CanonicalizeNaN(BinaryPrimitives.ReadDoubleLittleEndian(Source.Slice((int)from)));
                BinaryPrimitives.WriteDoubleLittleEndian(Destination(to, 8), value);
                break;
            }
            case ComponentValueKind.Flags:
                WriteUnsigned(to, layout.Size, LiftLowerContext.ReadUnsigned(Source.Slice((int)from), layout.Size) & LiftLowerContext.FlagMask(layout.FlagCount));
                break;
            case ComponentValueKind.String:
            {
                var (ptr, units) = CopyString(ReadU32(from), ReadU32(from + 4));
                WritePair(to, ptr, units);
                break;
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                var (ptr, length) = CopyList(layout.Element!, ReadU32(from), ReadU32(from + 4));
                WritePair(to, ptr, length);
                break;
            }
            case ComponentValueKind.List:
            {
                var element = layout.Element!;
                for (int i = 0; i < layout.FixedLength; i++) CopyStored(element, from + (uint)(i * element.Size), to + (uint)(i * element.Size));
                break;
            }
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                for (int i = 0; i < layout.Fields.Length; i++) CopyStored(layout.Fields[i], from + (uint)layout.Offsets[i], to + (uint)layout.Offsets[i]);
                break;
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
            {
                uint caseIndex = LiftLowerContext.ReadUnsigned(Source.Slice((int)from), layout.DiscriminantSize);
                WriteUnsigned(to, layout.DiscriminantSize, caseIndex);
                if (layout.Cases[caseIndex] is { } payload) CopyStored(payload, from + (uint)layout.PayloadOffset, to + (uint)layout.PayloadOffset);
                break;
            }
            default:
                throw new NotSupportedException("handles are not copied directly");
        }
    }

    /// <summary>Copies checked flat values from <paramref name="position"/> of <paramref name="from"/>
    /// to the same position of <paramref name="to"/> (both sides flatten the type alike); advances past them.</summary>
    public void CopyFlat(CanonicalLayout layout, ReadOnlySpan<WasmValue> from, Span<WasmValue> to, ref int position)
    {
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool:
                to[position] = WasmValue.FromInt32(from[position].AsInt32() != 0 ? 1 : 0);
                position++;
                break;
            case ComponentValueKind.S8:
                to[position] = WasmValue.FromInt32((sbyte)from[position].AsInt32());
                position++;
                break;
            case ComponentValueKind.U8:
                to[position] = WasmValue.FromInt32((byte)from[position].AsInt32());
                position++;
                break;
            case ComponentValueKind.S16:
                to[position] = WasmValue.FromInt32((short)from[position].AsInt32());
                position++;
                break;
            case ComponentValueKind.U16:
                to[position] = WasmValue.FromInt32((ushort)from[position].AsInt32());
                position++;
                break;
            case ComponentValueKind.F32:
                to[position] = WasmValue.FromSingle(LiftLowerContext.CanonicalizeNaN(from[position].AsSingle()));
                position++;
                break;
            case ComponentValueKind.F64:
                to[position] = WasmValue.FromDouble(LiftLowerContext.CanonicalizeNaN(from[position].AsDouble()));
                position++;
                break;
            case ComponentValueKind.Flags:
                to[position] = WasmValue.FromInt32((int)((uint)from[position].AsInt32() & LiftLowerContext.FlagMask(layout.FlagCount)));
                position++;
                break;
            case ComponentValueKind.String:
            {
                var (ptr, units) = CopyString((uint)from[position].AsInt32(), (uint)from[position + 1].AsInt32());
                to[position++] = WasmValue.FromInt32((int)ptr);
                to[position++] = WasmValue.FromInt32((int)units);
                break;
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                var (ptr, length) = CopyList(layout.Element!, (uint)from[position].AsInt32(), (uint)from[position + 1].AsInt32());
                to[position++] = WasmValue.FromInt32((int)ptr);
                to[position++] = WasmValue.FromInt32((int)length);
                break;
            }
            case ComponentValueKind.List:
                for (int i = 0; i < layout.FixedLength; i++) CopyFlat(layout.Element!, from, to, ref position);
                break;
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                foreach (var field in layout.Fields) CopyFlat(field, from, to, ref position);
                break;
            case ComponentValueKind.Variant or ComponentValueKind.Enum or ComponentValueKind.Option or ComponentValueKind.Result:
                CopyFlatVariant(layout, from, to, ref position);
                break;
            case ComponentValueKind.Own or ComponentValueKind.Borrow:
                throw new NotSupportedException("handles are not copied directly");
            default:
                // s32, u32, s64, u64 and (checked) char pass unchanged.
                to[position] = from[position];
                position++;
                break;
        }
    }

    /// <summary>As lift_flat_variant then lower_flat_variant: the payload is read in its own flat
    /// types, copied, widened back to the joined types, and the unused slots are zeroed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CopyFlatVariant(CanonicalLayout layout, ReadOnlySpan<WasmValue> from, Span<WasmValue> to, ref int position)
    {
        int start = position;
        uint caseIndex = (uint)from[start].AsInt32();
        to[start] = WasmValue.FromInt32((int)caseIndex);
        var joined = layout.Flat.AsSpan(1);
        int written = 0;
        if (layout.Cases[caseIndex] is { } payload)
        {
            var slots = new FlatSlots();
            var coerced = CoercePayload(layout, payload, from, start, slots);
            var target = to.Slice(start + 1, coerced.Length);
            CopyFlat(payload, coerced, target, ref written);
            for (int i = 0; i < written; i++) target[i] = LiftLowerContext.Widen(target[i], payload.Flat[i], joined[i]);
        }
        for (int i = written; i < joined.Length; i++) to[start + 1 + i] = WasmValue.Default(joined[i]);
        position = start + layout.Flat.Length;
    }

    /// <summary>The payload's slots of a flat variant at <paramref name="start"/>, in the payload's own flat types.</summary>
    private static Span<WasmValue> CoercePayload(CanonicalLayout variant, CanonicalLayout payload, ReadOnlySpan<WasmValue> flat, int start, Span<WasmValue> slots)
    {
        var want = payload.Flat;
        // Flat values are copied only when a function's parameters flatten to at most 16.
        if (want.Length > slots.Length) throw new InvalidOperationException($"a variant payload of {want.Length} flat values is copied flat");
        var joined = variant.Flat;
        for (int i = 0; i < want.Length; i++) slots[i] = LiftLowerContext.Coerce(flat[start + 1 + i], joined[1 + i], want[i]);
        return slots[..want.Length];
    }

    /// <summary>Copies a checked string: byte for byte between guests of one encoding (UTF-8 or UTF-16),
    /// else decoded and encoded as the ComponentValue path does.</summary>
    private (uint Ptr, uint TaggedCodeUnits) CopyString(uint ptr, uint taggedCodeUnits)
    {
        var encoding = From.StringEncoding;
        if (encoding != To.StringEncoding || encoding == StringEncoding.Latin1Utf16)
        {
            string value = new LiftLowerContext(From).LoadString(Source, ptr, taggedCodeUnits);
            return new LiftLowerContext(To).StoreString(value);
        }
        int alignment = encoding == StringEncoding.Utf8 ? 1 : 2;
        int byteLength = (int)taggedCodeUnits * alignment;
        uint copy = To.Reallocate(0, 0, alignment, (uint)byteLength);
        Source.Slice((int)ptr, byteLength).CopyTo(Destination(copy, byteLength));
        return (copy, taggedCodeUnits);
    }

    /// <summary>Copies a checked list into a new cabi_realloc allocation.</summary>
    private (uint Ptr, uint Length) CopyList(CanonicalLayout element, uint ptr, uint length)
    {
        int byteLength = (int)length * element.Size;
        uint copy = To.Reallocate(0, 0, element.Alignment, (uint)byteLength);
        if (IsVerbatim(element))
        {
            Source.Slice((int)ptr, byteLength).CopyTo(Destination(copy, byteLength));
        }
        else
        {
            uint size = (uint)element.Size;
            for (uint i = 0; i < length; i++) CopyStored(element, ptr + i * size, copy + i * size);
        }
        return (copy, length);
    }

    private uint ReadU32(uint ptr) => BinaryPrimitives.ReadUInt32LittleEndian(Source.Slice((int)ptr));

    private void WritePair(uint ptr, uint first, uint second)
    {
        var at = Destination(ptr, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(at, first);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], second);
    }

    private void WriteUnsigned(uint ptr, int size, uint value)
    {
        var at = Destination(ptr, size);
        switch (size)
        {
            case 1: at[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)value); break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(at, value); break;
        }
    }

    /// <summary>Room for a flat variant's payload (at most 15 values in 16 flat parameters) without allocating.</summary>
    [InlineArray(16)]
    private struct FlatSlots
    {
        private WasmValue _first;
    }
}
