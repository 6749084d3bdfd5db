using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace IronWasm.Compilation.Numerics;

/// <summary>The fixed-width SIMD instructions (0xFD prefix), one method per opcode, named like the
/// <see cref="Binary.Opcode"/> member. A v128 is always <c>Vector128&lt;byte&gt;</c> at the boundary;
/// methods reinterpret it per lane shape. Memory forms take an already bounds-checked pointer.
/// Lane immediates are masked to the lane count so an index can never throw (the validator has
/// already rejected out-of-range lanes).</summary>
/// <remarks>Split over partial files: this one holds memory, lane access, shuffles and bitwise
/// operations; SimdOps.Integer.cs and SimdOps.Float.cs hold the arithmetic.</remarks>
internal static unsafe partial class SimdOps
{
    // ---- Memory ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load(byte* p) => Unsafe.ReadUnaligned<Vector128<byte>>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store(byte* p, Vector128<byte> v) => Unsafe.WriteUnaligned(p, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8x8S(byte* p) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(p)).AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8x8U(byte* p) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(p)).AsByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16x4S(byte* p) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(p)).AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16x4U(byte* p) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(p)).AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32x2S(byte* p) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(p)).AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32x2U(byte* p) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(p)).AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8Splat(byte* p) => Vector128.Create(*p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<ushort>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load64Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32Zero(byte* p) => Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load64Zero(byte* p) => Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load8Lane(byte* p, Vector128<byte> v, byte lane) => v.WithElement(lane & 15, *p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load16Lane(byte* p, Vector128<byte> v, byte lane) =>
        v.AsUInt16().WithElement(lane & 7, Unsafe.ReadUnaligned<ushort>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load32Lane(byte* p, Vector128<byte> v, byte lane) =>
        v.AsUInt32().WithElement(lane & 3, Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Load64Lane(byte* p, Vector128<byte> v, byte lane) =>
        v.AsUInt64().WithElement(lane & 1, Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store8Lane(byte* p, Vector128<byte> v, byte lane) => *p = v.GetElement(lane & 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store16Lane(byte* p, Vector128<byte> v, byte lane) =>
        Unsafe.WriteUnaligned(p, v.AsUInt16().GetElement(lane & 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store32Lane(byte* p, Vector128<byte> v, byte lane) =>
        Unsafe.WriteUnaligned(p, v.AsUInt32().GetElement(lane & 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store64Lane(byte* p, Vector128<byte> v, byte lane) =>
        Unsafe.WriteUnaligned(p, v.AsUInt64().GetElement(lane & 1));

    // ---- Splat ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Splat(int x) => Vector128.Create((byte)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Splat(int x) => Vector128.Create((ushort)x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Splat(int x) => Vector128.Create(x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Splat(long x) => Vector128.Create(x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Splat(float x) => Vector128.Create(x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Splat(double x) => Vector128.Create(x).AsByte();

    // ---- Lane access ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16ExtractLaneS(Vector128<byte> v, byte lane) => v.AsSByte().GetElement(lane & 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16ExtractLaneU(Vector128<byte> v, byte lane) => v.GetElement(lane & 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16ReplaceLane(Vector128<byte> v, int x, byte lane) => v.WithElement(lane & 15, (byte)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8ExtractLaneS(Vector128<byte> v, byte lane) => v.AsInt16().GetElement(lane & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8ExtractLaneU(Vector128<byte> v, byte lane) => v.AsUInt16().GetElement(lane & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ReplaceLane(Vector128<byte> v, int x, byte lane) =>
        v.AsUInt16().WithElement(lane & 7, (ushort)x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4ExtractLane(Vector128<byte> v, byte lane) => v.AsInt32().GetElement(lane & 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ReplaceLane(Vector128<byte> v, int x, byte lane) => v.AsInt32().WithElement(lane & 3, x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64x2ExtractLane(Vector128<byte> v, byte lane) => v.AsInt64().GetElement(lane & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ReplaceLane(Vector128<byte> v, long x, byte lane) => v.AsInt64().WithElement(lane & 1, x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32x4ExtractLane(Vector128<byte> v, byte lane) => v.AsSingle().GetElement(lane & 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4ReplaceLane(Vector128<byte> v, float x, byte lane) => v.AsSingle().WithElement(lane & 3, x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64x2ExtractLane(Vector128<byte> v, byte lane) => v.AsDouble().GetElement(lane & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2ReplaceLane(Vector128<byte> v, double x, byte lane) => v.AsDouble().WithElement(lane & 1, x).AsByte();

    // ---- Shuffle and swizzle ----

    /// <summary>Lane i of the result is lane <c>indices[i]</c> of a, or 0 where the index is 16 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Swizzle(Vector128<byte> a, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported)
        {
            // pshufb zeroes a lane whose index has its top bit set and otherwise uses the low four
            // bits; adding 0x70 with saturation sets the top bit exactly for indices of 16 and more.
            return Ssse3.Shuffle(a, Sse2.AddSaturate(indices, Vector128.Create((byte)0x70)));
        }
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.VectorTableLookup(a, indices); // tbl: out of range gives 0
        return SwizzleSoftware(a, indices);
    }

    private static Vector128<byte> SwizzleSoftware(Vector128<byte> a, Vector128<byte> indices)
    {
        Vector128<byte> result = default;
        for (int i = 0; i < 16; i++)
        {
            byte index = indices.GetElement(i);
            result = result.WithElement(i, index < 16 ? a.GetElement(index) : (byte)0);
        }
        return result;
    }

    /// <summary>Lane i of the result is lane <c>laneIndices[i]</c> of the 32-lane concatenation a:b
    /// (indices are validated to be below 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Shuffle(Vector128<byte> a, Vector128<byte> b, Vector128<byte> laneIndices)
    {
        // Indices below 16 select from a; subtracting 16 wraps them to 240 and up, which swizzle zeroes.
        return I8x16Swizzle(a, laneIndices) | I8x16Swizzle(b, laneIndices - Vector128.Create((byte)16));
    }

    // Shuffles whose lane pattern is a compile-time constant (every i8x16.shuffle) are lowered by
    // the emitter to one of these; the masks are computed at compile time, where the general
    // I8x16Shuffle above adjusts its indices at run time (five instructions instead of one to three).

    /// <summary>A shuffle that reads only a: <paramref name="mask"/> holds its indices (all below 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ShuffleFirst(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(a, mask) : I8x16Swizzle(a, mask);

    /// <summary>A shuffle that reads only b: <paramref name="mask"/> holds its indices minus 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ShuffleSecond(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(b, mask) : I8x16Swizzle(b, mask);

    /// <summary>A shuffle reading both operands: <paramref name="maskA"/> has a's index where the lane
    /// comes from a and 0x80 (a zero lane) elsewhere, <paramref name="maskB"/> the same for b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ShuffleBoth(Vector128<byte> a, Vector128<byte> b, Vector128<byte> maskA, Vector128<byte> maskB) =>
        Ssse3.IsSupported
            ? Ssse3.Shuffle(a, maskA) | Ssse3.Shuffle(b, maskB)
            : I8x16Swizzle(a, maskA) | I8x16Swizzle(b, maskB);

    /// <summary>The shuffle with indices shift, shift+1, ..., shift+15 (1 &lt;= shift &lt;= 15): the
    /// 32 bytes a:b shifted down by <paramref name="shift"/> lanes, one <c>palignr</c>. The emitter
    /// passes a constant, which the JIT sees once the method is inlined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ShuffleConcat(Vector128<byte> a, Vector128<byte> b, [ConstantExpected(Min = 1, Max = 15)] byte shift)
    {
        if (Ssse3.IsSupported) return Ssse3.AlignRight(b, a, shift);
        var lanes = Vector128.Create(shift) + Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return I8x16Shuffle(a, b, lanes);
    }

    // ---- Bitwise ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Not(Vector128<byte> a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128And(Vector128<byte> a, Vector128<byte> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Andnot(Vector128<byte> a, Vector128<byte> b) => Vector128.AndNot(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Or(Vector128<byte> a, Vector128<byte> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Xor(Vector128<byte> a, Vector128<byte> b) => a ^ b;

    /// <summary>Bits of a where mask is 1, bits of b where it is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> V128Bitselect(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(mask, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int V128AnyTrue(Vector128<byte> a) => a != Vector128<byte>.Zero ? 1 : 0;
}
