using System.Buffers.Binary;
using System.Text;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>Seeded arbitrary guest data: memory contents and core values as a hostile or broken
/// guest could pass them. Uniform random bytes would almost always fail the first bounds check,
/// so the words are drawn from a mix: random bits, small numbers (discriminants, handles, short
/// lengths), pointers into memory at every alignment, lengths and pointers at the edge of memory
/// and far past it (up to 4 GiB), chars valid and not, and runs of text, well-formed and not, in
/// UTF-8, UTF-16 and Latin-1. Values built from them nest: a pointer word often lands on a length
/// word that lands on text. The same seed gives the same data.</summary>
internal sealed class ArbitraryGuestData(int seed)
{
    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>Lengths at or past the canonical ABI's limit (2^28 - 1 bytes), up to 4 GiB - 1.</summary>
    public static readonly uint[] HugeLengths = [0x0FFF_FFFF, 0x1000_0000, 0x4000_0000, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0010, 0xFFFF_FFF0, 0xFFFF_FFFF];

    private static readonly uint[] Chars = [0, 0x41, 0x7F, 0xE9, 0xFF, 0x20AC, 0xD7FF, 0xE000, 0xFFFD, 0x1F600, 0x10FFFF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, 0xFFFF_FFFF];

    private static readonly string[] Texts = ["", "a", "hello", "héllo wörld", "€", "😀 ok", "\u00ff\u00fe", "ascii only text", "日本語", "x\0y"];

    /// <summary>Overwrites <paramref name="memory"/> (the start of a memory of <paramref name="memoryLength"/>
    /// bytes) with arbitrary words and runs of text.</summary>
    public void Fill(Span<byte> memory, long memoryLength)
    {
        int at = 0;
        while (at + 4 <= memory.Length)
        {
            if (_random.Next(8) == 0) at += WriteText(memory[at..]);
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(memory[at..], Word(memoryLength));
                at += 4;
            }
        }
    }

    /// <summary>Overwrites a few words at random places, so values change between calls without a full refill.</summary>
    public void Mutate(Span<byte> memory, long memoryLength, int words)
    {
        for (int i = 0; i < words; i++)
        {
            int at = _random.Next(memory.Length / 4) * 4;
            BinaryPrimitives.WriteUInt32LittleEndian(memory[at..], Word(memoryLength));
        }
    }

    /// <summary>A 32-bit word as a guest might put in a discriminant, pointer, length, char or handle.</summary>
    public uint Word(long memoryLength)
    {
        int choice = _random.Next(100);
        return choice switch
        {
            < 20 => (uint)_random.NextInt64(0, 1L << 32),
            < 38 => (uint)_random.Next(0, 9),
            < 52 => (uint)_random.Next(0, 65),
            < 72 => Pointer(memoryLength),
            < 78 => (uint)Math.Max(0, memoryLength - _random.Next(0, 17)),
            < 84 => HugeLengths[_random.Next(HugeLengths.Length)],
            < 92 => Chars[_random.Next(Chars.Length)],
            _ => 0x8000_0000 | (uint)_random.Next(0, 65),   // a latin1+utf16 string's UTF-16 tag
        };
    }

    /// <summary>Where pointers mostly point: the low 16 KiB, so that a pointer word taken as a length
    /// gives lists of at most that many elements and a run stays fast.</summary>
    public const int Window = 16384;

    /// <summary>An address inside memory (or just past it), usually in the window and aligned for the widest type.</summary>
    public uint Pointer(long memoryLength)
    {
        uint ptr = (uint)_random.NextInt64(0, (_random.Next(8) == 0 ? memoryLength : Math.Min(Window, memoryLength)) + 1);
        int alignment = _random.Next(4) switch { 0 => 1, 1 => 2, 2 => 4, _ => 8 };
        return ptr & ~(uint)(alignment - 1);
    }

    /// <summary>A core value of <paramref name="kind"/> as a guest might pass it.</summary>
    public WasmValue Flat(ValueKind kind, long memoryLength) => kind switch
    {
        ValueKind.I32 => WasmValue.FromInt32((int)Word(memoryLength)),
        // i64 slots carry u64/s64 values and widened variant payloads (i32, f32, f64 bits).
        ValueKind.I64 => _random.Next(3) switch
        {
            0 => WasmValue.FromInt64((long)Word(memoryLength)),
            1 => WasmValue.FromInt64(((long)Word(memoryLength) << 32) | Word(memoryLength)),
            _ => WasmValue.FromInt64(_random.NextInt64(long.MinValue, long.MaxValue)),
        },
        ValueKind.F32 => WasmValue.FromSingleBits(_random.Next(4) == 0 ? 0x7FC0_0000u | (uint)_random.Next(1 << 22) | 0x8000_0000u : (uint)_random.NextInt64(0, 1L << 32)),
        ValueKind.F64 => WasmValue.FromDoubleBits(_random.Next(4) == 0 ? 0xFFF8_0000_0000_0001UL : (ulong)_random.NextInt64(long.MinValue, long.MaxValue)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a canonical ABI flat type"),
    };

    /// <summary>Arguments for a core function of <paramref name="type"/>.</summary>
    public WasmValue[] Arguments(FunctionType type, long memoryLength) => type.Parameters.Select(k => Flat(k, memoryLength)).ToArray();

    private int WriteText(Span<byte> at)
    {
        var text = Texts[_random.Next(Texts.Length)];
        byte[] bytes = _random.Next(4) switch
        {
            0 => Encoding.Unicode.GetBytes(text),
            1 => Encoding.Latin1.GetBytes(text),
            2 => Mangle(Encoding.UTF8.GetBytes(text)),
            _ => Encoding.UTF8.GetBytes(text),
        };
        int length = Math.Min(bytes.Length, at.Length) & ~3;
        bytes.AsSpan(0, length).CopyTo(at);
        return Math.Max(length, 4);
    }

    /// <summary>Text with one byte broken: a lone continuation byte, a truncated sequence, an
    /// overlong encoding or an encoded surrogate.</summary>
    private byte[] Mangle(byte[] bytes)
    {
        byte[] bad = _random.Next(4) switch { 0 => [0x80], 1 => [0xE2, 0x82], 2 => [0xC0, 0xAF], _ => [0xED, 0xA0, 0x80] };
        int at = _random.Next(bytes.Length + 1);
        return [.. bytes.AsSpan(0, at), .. bad, .. bytes.AsSpan(at)];
    }
}
