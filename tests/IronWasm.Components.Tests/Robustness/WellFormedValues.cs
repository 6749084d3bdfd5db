using System.Buffers.Binary;
using System.Text;
using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>Writes random well-formed values of a layout into guest memory and core values, as a
/// correct guest would pass them, so that arbitrary data also reaches deep into nested types:
/// a test writes one, then often corrupts a few of its words (<see cref="Corrupt"/>). Written from
/// CanonicalABI.md independently of the lowering code under test. Strings, lists and spilled
/// values go to a region of memory the writer allocates from itself, wrapping around when full.</summary>
internal sealed class WellFormedValues
{
    private static readonly string[] Texts = ["", "a", "hello", "héllo wörld", "€ 5", "😀", "ÿ latin", "日本語のテキスト", "tab\tnew\nline"];

    private readonly ArbitraryGuestData _data;
    private readonly Random _random;
    private readonly StringEncoding _encoding;
    private readonly uint _regionStart, _regionEnd;
    private readonly Func<int> _handle;
    private uint _next;

    /// <param name="handle">Gives the handle index to write for an own or borrow.</param>
    public WellFormedValues(ArbitraryGuestData data, StringEncoding encoding, uint regionStart, uint regionEnd, Func<int> handle)
    {
        _data = data;
        _random = data.Random;
        _encoding = encoding;
        _regionStart = _next = regionStart;
        _regionEnd = regionEnd;
        _handle = handle;
    }

    /// <summary>Where the values written since the last <see cref="Reset"/> lie (before any wrap-around).</summary>
    public (uint Start, uint End) Written => (_regionStart, Math.Max(_regionStart, _next));

    public void Reset() => _next = _regionStart;

    /// <summary>Allocates <paramref name="size"/> bytes in the region.</summary>
    public uint Allocate(int size, int alignment)
    {
        uint ptr = (_next + (uint)alignment - 1) & ~(uint)(alignment - 1);
        if (ptr + size > _regionEnd) ptr = _regionStart;
        _next = ptr + (uint)size;
        return ptr;
    }

    /// <summary>Stores a random value of <paramref name="layout"/> at <paramref name="ptr"/>.</summary>
    public void Store(Span<byte> m, CanonicalLayout layout, uint ptr)
    {
        var at = m[(int)ptr..];
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool: at[0] = (byte)(_random.Next(8) == 0 ? _random.Next(2, 256) : _random.Next(2)); break;
            case ComponentValueKind.S8 or ComponentValueKind.U8: at[0] = (byte)_random.Next(256); break;
            case ComponentValueKind.S16 or ComponentValueKind.U16: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)_random.Next(65536)); break;
            case ComponentValueKind.S32 or ComponentValueKind.U32 or ComponentValueKind.F32: BinaryPrimitives.WriteUInt32LittleEndian(at, Bits32()); break;
            case ComponentValueKind.S64 or ComponentValueKind.U64 or ComponentValueKind.F64: BinaryPrimitives.WriteUInt64LittleEndian(at, Bits64()); break;
            case ComponentValueKind.Char: BinaryPrimitives.WriteUInt32LittleEndian(at, Char()); break;
            case ComponentValueKind.Flags: WriteUnsigned(at, layout.Size, Bits32() & Mask(layout)); break;
            case ComponentValueKind.Own or ComponentValueKind.Borrow: BinaryPrimitives.WriteInt32LittleEndian(at, _handle()); break;
            case ComponentValueKind.String:
            {
                var (text, units) = String(m);
                WritePair(m, ptr, text, units);
                break;
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                var (list, length) = List(m, layout.Element!);
                WritePair(m, ptr, list, length);
                break;
            }
            case ComponentValueKind.List:
                for (int i = 0; i < layout.FixedLength; i++) Store(m, layout.Element!, ptr + (uint)(i * layout.Element!.Size));
                break;
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                for (int i = 0; i < layout.Fields.Length; i++) Store(m, layout.Fields[i], ptr + (uint)layout.Offsets[i]);
                break;
            default:
            {
                int caseIndex = _random.Next(layout.Cases.Length);
                WriteUnsigned(at, layout.DiscriminantSize, (uint)caseIndex);
                if (layout.Cases[caseIndex] is { } payload) Store(m, payload, ptr + (uint)layout.PayloadOffset);
                break;
            }
        }
    }

    /// <summary>Writes a random value of <paramref name="layout"/> as flat core values from <paramref name="position"/>.</summary>
    public void WriteFlat(Span<byte> m, CanonicalLayout layout, Span<WasmValue> flat, ref int position)
    {
        switch (layout.Kind)
        {
            case ComponentValueKind.Bool: flat[position++] = WasmValue.FromInt32(_random.Next(8) == 0 ? _random.Next() : _random.Next(2)); break;
            case ComponentValueKind.S8 or ComponentValueKind.U8 or ComponentValueKind.S16 or ComponentValueKind.U16
                or ComponentValueKind.S32 or ComponentValueKind.U32:
                flat[position++] = WasmValue.FromInt32((int)Bits32());
                break;
            case ComponentValueKind.S64 or ComponentValueKind.U64: flat[position++] = WasmValue.FromInt64((long)Bits64()); break;
            case ComponentValueKind.F32: flat[position++] = WasmValue.FromSingleBits(Bits32()); break;
            case ComponentValueKind.F64: flat[position++] = WasmValue.FromDoubleBits(Bits64()); break;
            case ComponentValueKind.Char: flat[position++] = WasmValue.FromInt32((int)Char()); break;
            case ComponentValueKind.Flags: flat[position++] = WasmValue.FromInt32((int)(Bits32() & Mask(layout))); break;
            case ComponentValueKind.Own or ComponentValueKind.Borrow: flat[position++] = WasmValue.FromInt32(_handle()); break;
            case ComponentValueKind.String:
            {
                var (text, units) = String(m);
                flat[position++] = WasmValue.FromInt32((int)text);
                flat[position++] = WasmValue.FromInt32((int)units);
                break;
            }
            case ComponentValueKind.List when layout.FixedLength < 0:
            {
                var (list, length) = List(m, layout.Element!);
                flat[position++] = WasmValue.FromInt32((int)list);
                flat[position++] = WasmValue.FromInt32((int)length);
                break;
            }
            case ComponentValueKind.List:
                for (int i = 0; i < layout.FixedLength; i++) WriteFlat(m, layout.Element!, flat, ref position);
                break;
            case ComponentValueKind.Record or ComponentValueKind.Tuple:
                foreach (var field in layout.Fields) WriteFlat(m, field, flat, ref position);
                break;
            default:
            {
                int start = position;
                int caseIndex = _random.Next(layout.Cases.Length);
                flat[start] = WasmValue.FromInt32(caseIndex);
                var joined = layout.Flat.AsSpan(1);
                int written = 0;
                if (layout.Cases[caseIndex] is { } payload)
                {
                    var slots = flat.Slice(start + 1, joined.Length);
                    WriteFlat(m, payload, slots, ref written);
                    // A payload travels in the variant's joined slot types (CanonicalABI.md's lower_flat_variant).
                    for (int i = 0; i < written; i++) slots[i] = Widen(slots[i], joined[i]);
                }
                for (int i = written; i < joined.Length; i++) flat[start + 1 + i] = WasmValue.Default(joined[i]);
                position = start + layout.Flat.Length;
                break;
            }
        }
    }

    /// <summary>Overwrites a few words of what was written, and sometimes a flat value, with arbitrary ones.</summary>
    public void Corrupt(Span<byte> m, Span<WasmValue> flat)
    {
        var (start, end) = Written;
        int count = _random.Next(1, 4);
        for (int i = 0; i < count; i++)
        {
            if (flat.Length > 0 && (end <= start + 4 || _random.Next(3) == 0))
            {
                int at = _random.Next(flat.Length);
                flat[at] = _data.Flat(flat[at].Kind, m.Length);
            }
            else if (end > start + 4)
            {
                uint at = start + (uint)_random.Next((int)(end - start - 4));
                if (_random.Next(2) == 0) m[(int)at] = (byte)_random.Next(256);
                else BinaryPrimitives.WriteUInt32LittleEndian(m[(int)at..], _data.Word(m.Length));
            }
        }
    }

    private (uint Ptr, uint TaggedCodeUnits) String(Span<byte> m)
    {
        string text = Texts[_random.Next(Texts.Length)];
        bool utf16 = _encoding == StringEncoding.Utf16
            || (_encoding == StringEncoding.Latin1Utf16 && text.AsSpan().ContainsAnyExceptInRange('\0', '\u00FF'));
        byte[] bytes = utf16 ? Encoding.Unicode.GetBytes(text) : _encoding == StringEncoding.Utf8 ? Encoding.UTF8.GetBytes(text) : Encoding.Latin1.GetBytes(text);
        uint ptr = Allocate(bytes.Length, _encoding == StringEncoding.Utf8 ? 1 : 2);
        bytes.CopyTo(m[(int)ptr..]);
        uint units = utf16 ? (uint)text.Length : (uint)bytes.Length;
        return (ptr, _encoding == StringEncoding.Latin1Utf16 && utf16 ? units | 0x8000_0000 : units);
    }

    private (uint Ptr, uint Length) List(Span<byte> m, CanonicalLayout element)
    {
        int length = _random.Next(4) == 0 ? _random.Next(5, 40) : _random.Next(0, 5);
        uint ptr = Allocate(length * element.Size, element.Alignment);
        for (int i = 0; i < length; i++) Store(m, element, ptr + (uint)(i * element.Size));
        return (ptr, (uint)length);
    }

    private static void WritePair(Span<byte> m, uint ptr, uint first, uint second)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(m[(int)ptr..], first);
        BinaryPrimitives.WriteUInt32LittleEndian(m[(int)(ptr + 4)..], second);
    }

    private static void WriteUnsigned(Span<byte> at, int size, uint value)
    {
        switch (size)
        {
            case 1: at[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)value); break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(at, value); break;
        }
    }

    private static WasmValue Widen(WasmValue value, ValueKind joined) => (value.Kind, joined) switch
    {
        (ValueKind.F32, ValueKind.I32) => WasmValue.FromInt32((int)value.AsSingleBits()),
        (ValueKind.I32, ValueKind.I64) => WasmValue.FromInt64((uint)value.AsInt32()),
        (ValueKind.F32, ValueKind.I64) => WasmValue.FromInt64(value.AsSingleBits()),
        (ValueKind.F64, ValueKind.I64) => WasmValue.FromInt64((long)value.AsDoubleBits()),
        _ => value,
    };

    private static uint Mask(CanonicalLayout flags) => LiftLowerContext.FlagMask(flags.FlagCount);

    private uint Char()
    {
        uint[] valid = [0x41, 0x7A, 0xE9, 0x3B1, 0x20AC, 0xFFFD, 0x1F600, 0x10FFFF, 0];
        return valid[_random.Next(valid.Length)];
    }

    private uint Bits32() => (uint)_random.NextInt64(0, 1L << 32);

    private ulong Bits64() => (ulong)_random.NextInt64(long.MinValue, long.MaxValue);
}
