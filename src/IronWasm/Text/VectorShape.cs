using System.Buffers.Binary;

namespace IronWasm.Text;

/// <summary>A lane interpretation of a v128 in the text format: i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2.</summary>
internal sealed class VectorShape
{
    private static readonly VectorShape[] All =
    [
        new("i8x16", 16, false), new("i16x8", 8, false), new("i32x4", 4, false), new("i64x2", 2, false),
        new("f32x4", 4, true), new("f64x2", 2, true),
    ];

    private VectorShape(string name, int lanes, bool isFloat)
    {
        Name = name;
        Lanes = lanes;
        IsFloat = isFloat;
    }

    public string Name { get; }
    public int Lanes { get; }
    public bool IsFloat { get; }
    public int LaneBits => 128 / Lanes;
    public WatNumbers.FloatFormat Format => LaneBits == 32 ? WatNumbers.Single : WatNumbers.Double;

    public static VectorShape? Parse(ReadOnlySpan<char> name)
    {
        foreach (var shape in All)
            if (name.SequenceEqual(shape.Name)) return shape;
        return null;
    }

    /// <summary>Stores the low <see cref="LaneBits"/> bits of <paramref name="bits"/> as lane <paramref name="lane"/>, little-endian.</summary>
    public void WriteLane(Span<byte> bytes, int lane, ulong bits)
    {
        var slot = bytes.Slice(lane * (LaneBits / 8));
        switch (LaneBits)
        {
            case 8: slot[0] = (byte)bits; break;
            case 16: BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)bits); break;
            case 32: BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)bits); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(slot, bits); break;
        }
    }
}
