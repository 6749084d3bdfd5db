using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IronWasm.Compilation.Numerics;

// Integer lane arithmetic, comparisons, shifts, narrowing and widening.
internal static unsafe partial class SimdOps
{
    // ---- Comparisons (all-ones lane for true) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Ne(Vector128<byte> a, Vector128<byte> b) => ~Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16LtU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16GtU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16LeU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16GeU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsInt16(), b.AsInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8LtU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8GtU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8LeU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8GeU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsInt32(), b.AsInt32())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4LtU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4GtU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4LeU(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4GeU(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsInt64(), b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsInt64(), b.AsInt64())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2LtS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsInt64(), b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2GtS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt64(), b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2LeS(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsInt64(), b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2GeS(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsInt64(), b.AsInt64()).AsByte();

    // ---- Lane reductions ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a, Vector128<byte>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a.AsUInt16(), Vector128<ushort>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a.AsUInt32(), Vector128<uint>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I64x2AllTrue(Vector128<byte> a) => Vector128.EqualsAny(a.AsUInt64(), Vector128<ulong>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I64x2Bitmask(Vector128<byte> a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt64());

    // ---- Abs, neg, popcnt ----
    // abs of the most negative value is itself (wrapping), which the select form gives on every platform.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Abs(Vector128<byte> a)
    {
        if (Ssse3.IsSupported) return Ssse3.Abs(a.AsSByte());
        var s = a.AsSByte();
        return Vector128.ConditionalSelect(Vector128.LessThan(s, Vector128<sbyte>.Zero), -s, s).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Abs(Vector128<byte> a)
    {
        if (Ssse3.IsSupported) return Ssse3.Abs(a.AsInt16()).AsByte();
        var s = a.AsInt16();
        return Vector128.ConditionalSelect(Vector128.LessThan(s, Vector128<short>.Zero), -s, s).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Abs(Vector128<byte> a)
    {
        if (Ssse3.IsSupported) return Ssse3.Abs(a.AsInt32()).AsByte();
        var s = a.AsInt32();
        return Vector128.ConditionalSelect(Vector128.LessThan(s, Vector128<int>.Zero), -s, s).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Abs(Vector128<byte> a)
    {
        var s = a.AsInt64();
        return Vector128.ConditionalSelect(Vector128.LessThan(s, Vector128<long>.Zero), -s, s).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Neg(Vector128<byte> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Neg(Vector128<byte> a) => (-a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Neg(Vector128<byte> a) => (-a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Neg(Vector128<byte> a) => (-a.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Popcnt(Vector128<byte> a)
    {
        var low = Vector128.Create((byte)0x0F);
        if (Ssse3.IsSupported)
        {
            var table = Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            var hi = (a.AsUInt16() >>> 4).AsByte() & low;
            return Ssse3.Shuffle(table, a & low) + Ssse3.Shuffle(table, hi);
        }
        // Bit-parallel count; shifting 16-bit lanes is fine because each mask drops the bits that
        // cross into a neighbouring byte.
        var x = a - ((a.AsUInt16() >>> 1).AsByte() & Vector128.Create((byte)0x55));
        x = (x & Vector128.Create((byte)0x33)) + ((x.AsUInt16() >>> 2).AsByte() & Vector128.Create((byte)0x33));
        return (x + (x.AsUInt16() >>> 4).AsByte()) & low;
    }

    // ---- Shifts (count taken modulo the lane width) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Shl(Vector128<byte> a, int shift) => Vector128.ShiftLeft(a, shift & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16ShrS(Vector128<byte> a, int shift) => Vector128.ShiftRightArithmetic(a.AsSByte(), shift & 7).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16ShrU(Vector128<byte> a, int shift) => Vector128.ShiftRightLogical(a, shift & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Shl(Vector128<byte> a, int shift) => Vector128.ShiftLeft(a.AsInt16(), shift & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ShrS(Vector128<byte> a, int shift) => Vector128.ShiftRightArithmetic(a.AsInt16(), shift & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ShrU(Vector128<byte> a, int shift) => Vector128.ShiftRightLogical(a.AsUInt16(), shift & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Shl(Vector128<byte> a, int shift) => Vector128.ShiftLeft(a.AsInt32(), shift & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ShrS(Vector128<byte> a, int shift) => Vector128.ShiftRightArithmetic(a.AsInt32(), shift & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ShrU(Vector128<byte> a, int shift) => Vector128.ShiftRightLogical(a.AsUInt32(), shift & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Shl(Vector128<byte> a, int shift) => Vector128.ShiftLeft(a.AsInt64(), shift & 63).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ShrS(Vector128<byte> a, int shift) => Vector128.ShiftRightArithmetic(a.AsInt64(), shift & 63).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ShrU(Vector128<byte> a, int shift) => Vector128.ShiftRightLogical(a.AsUInt64(), shift & 63).AsByte();

    // ---- Add, sub, mul (wrapping) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Add(Vector128<byte> a, Vector128<byte> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16Sub(Vector128<byte> a, Vector128<byte> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Add(Vector128<byte> a, Vector128<byte> b) => (a.AsInt16() + b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsInt16() - b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsInt16() * b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Add(Vector128<byte> a, Vector128<byte> b) => (a.AsInt32() + b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsInt32() - b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsInt32() * b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Add(Vector128<byte> a, Vector128<byte> b) => (a.AsInt64() + b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsInt64() - b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsInt64() * b.AsInt64()).AsByte();

    // ---- Saturating add and sub ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16AddSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16AddSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16SubSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16SubSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8AddSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8AddSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8SubSatS(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8SubSatU(Vector128<byte> a, Vector128<byte> b) => Vector128.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    // ---- Min, max, rounding average ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MinS(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MinU(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MaxS(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16MaxU(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MinS(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MinU(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MaxS(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8MaxU(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MinS(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MinU(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MaxS(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4MaxU(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsByte();

    /// <summary>(a + b + 1) / 2 without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16AvgrU(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported) return Sse2.Average(a, b);
        return (a | b) - ((a ^ b) >>> 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8AvgrU(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported) return Sse2.Average(a.AsUInt16(), b.AsUInt16()).AsByte();
        var x = a.AsUInt16();
        var y = b.AsUInt16();
        return ((x | y) - ((x ^ y) >>> 1)).AsByte();
    }

    // ---- Q15 multiply ----

    /// <summary>(a * b + 2^14) >> 15 per lane, saturated: only -32768 * -32768 overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8Q15mulrSatS(Vector128<byte> a, Vector128<byte> b)
    {
        if (Ssse3.IsSupported)
        {
            // pmulhrsw wraps the single overflowing case to 0x8000; flip it to 0x7FFF.
            var r = Ssse3.MultiplyHighRoundScale(a.AsInt16(), b.AsInt16());
            return (r ^ Vector128.Equals(r, Vector128.Create(short.MinValue))).AsByte();
        }
        var round = Vector128.Create(0x4000);
        var lo = (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16()) + round) >> 15;
        var hi = (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16()) + round) >> 15;
        return Vector128.NarrowWithSaturation(lo, hi).AsByte();
    }

    // ---- Narrowing (saturating) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16NarrowI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I8x16NarrowI16x8U(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported) return Sse2.PackUnsignedSaturate(a.AsInt16(), b.AsInt16());
        // Signed input, unsigned saturation: clear the negatives, then saturate as unsigned.
        var x = Vector128.Max(a.AsInt16(), Vector128<short>.Zero).AsUInt16();
        var y = Vector128.Max(b.AsInt16(), Vector128<short>.Zero).AsUInt16();
        return Vector128.NarrowWithSaturation(x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8NarrowI32x4S(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.NarrowWithSaturation(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8NarrowI32x4U(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse41.IsSupported) return Sse41.PackUnsignedSaturate(a.AsInt32(), b.AsInt32()).AsByte();
        var x = Vector128.Max(a.AsInt32(), Vector128<int>.Zero).AsUInt32();
        var y = Vector128.Max(b.AsInt32(), Vector128<int>.Zero).AsUInt32();
        return Vector128.NarrowWithSaturation(x, y).AsByte();
    }

    // ---- Widening ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendLowI8x16S(Vector128<byte> a) => Vector128.WidenLower(a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendHighI8x16S(Vector128<byte> a) => Vector128.WidenUpper(a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendLowI8x16U(Vector128<byte> a) => Vector128.WidenLower(a).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtendHighI8x16U(Vector128<byte> a) => Vector128.WidenUpper(a).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendLowI16x8S(Vector128<byte> a) => Vector128.WidenLower(a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendHighI16x8S(Vector128<byte> a) => Vector128.WidenUpper(a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendLowI16x8U(Vector128<byte> a) => Vector128.WidenLower(a.AsUInt16()).AsByte();

    /// <summary>i16x8.extend_low_i8x16_u followed by i32x4.extend_low_i16x8_u (fused by the emitter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ExtendLowBytesToI32U(Vector128<byte> a) =>
        Sse41.IsSupported ? Sse41.ConvertToVector128Int32(a).AsByte() : I32x4ExtendLowI16x8U(I16x8ExtendLowI8x16U(a));

    /// <summary>i16x8.extend_low_i8x16_s followed by i32x4.extend_low_i16x8_s (fused by the emitter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ExtendLowBytesToI32S(Vector128<byte> a) =>
        Sse41.IsSupported ? Sse41.ConvertToVector128Int32(a.AsSByte()).AsByte() : I32x4ExtendLowI16x8S(I16x8ExtendLowI8x16S(a));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtendHighI16x8U(Vector128<byte> a) => Vector128.WidenUpper(a.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendLowI32x4S(Vector128<byte> a) => Vector128.WidenLower(a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendHighI32x4S(Vector128<byte> a) => Vector128.WidenUpper(a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendLowI32x4U(Vector128<byte> a) => Vector128.WidenLower(a.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtendHighI32x4U(Vector128<byte> a) => Vector128.WidenUpper(a.AsUInt32()).AsByte();

    // ---- Pairwise add, extended multiply, dot product ----
    // Even and odd lanes of the narrow shape are split out in the wide shape with shifts, which
    // keeps the arithmetic exact and portable.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtaddPairwiseI8x16S(Vector128<byte> a)
    {
        var x = a.AsInt16();
        return (((x << 8) >> 8) + (x >> 8)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtaddPairwiseI8x16U(Vector128<byte> a)
    {
        var x = a.AsUInt16();
        return ((x & Vector128.Create((ushort)0xFF)) + (x >>> 8)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtaddPairwiseI16x8S(Vector128<byte> a)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(a.AsInt16(), Vector128.Create((short)1)).AsByte();
        var x = a.AsInt32();
        return (((x << 16) >> 16) + (x >> 16)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtaddPairwiseI16x8U(Vector128<byte> a)
    {
        var x = a.AsUInt32();
        return ((x & Vector128.Create(0xFFFFu)) + (x >>> 16)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulLowI8x16S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsSByte()) * Vector128.WidenLower(b.AsSByte())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulHighI8x16S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsSByte()) * Vector128.WidenUpper(b.AsSByte())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulLowI8x16U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a) * Vector128.WidenLower(b)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I16x8ExtmulHighI8x16U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a) * Vector128.WidenUpper(b)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulLowI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulHighI16x8S(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulLowI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenLower(a.AsUInt16()) * Vector128.WidenLower(b.AsUInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4ExtmulHighI16x8U(Vector128<byte> a, Vector128<byte> b) =>
        (Vector128.WidenUpper(a.AsUInt16()) * Vector128.WidenUpper(b.AsUInt16())).AsByte();

    // pmuldq / pmuludq multiply the even 32-bit lanes into 64-bit products, so the wanted lanes are
    // first moved to even positions; a 64-bit vector multiply would be emulated and slower.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulLowI32x4S(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse41.IsSupported)
            return Sse41.Multiply(Sse2.Shuffle(a.AsInt32(), 0b01_01_00_00), Sse2.Shuffle(b.AsInt32(), 0b01_01_00_00)).AsByte();
        return (Vector128.WidenLower(a.AsInt32()) * Vector128.WidenLower(b.AsInt32())).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulHighI32x4S(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse41.IsSupported)
            return Sse41.Multiply(Sse2.Shuffle(a.AsInt32(), 0b11_11_10_10), Sse2.Shuffle(b.AsInt32(), 0b11_11_10_10)).AsByte();
        return (Vector128.WidenUpper(a.AsInt32()) * Vector128.WidenUpper(b.AsInt32())).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulLowI32x4U(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported)
            return Sse2.Multiply(Sse2.Shuffle(a.AsUInt32(), 0b01_01_00_00), Sse2.Shuffle(b.AsUInt32(), 0b01_01_00_00)).AsByte();
        return (Vector128.WidenLower(a.AsUInt32()) * Vector128.WidenLower(b.AsUInt32())).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I64x2ExtmulHighI32x4U(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported)
            return Sse2.Multiply(Sse2.Shuffle(a.AsUInt32(), 0b11_11_10_10), Sse2.Shuffle(b.AsUInt32(), 0b11_11_10_10)).AsByte();
        return (Vector128.WidenUpper(a.AsUInt32()) * Vector128.WidenUpper(b.AsUInt32())).AsByte();
    }

    /// <summary>Sum of the products of adjacent signed 16-bit lanes, wrapping in 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4DotI16x8S(Vector128<byte> a, Vector128<byte> b)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()).AsByte();
        var x = a.AsInt32();
        var y = b.AsInt32();
        return (((x << 16) >> 16) * ((y << 16) >> 16) + (x >> 16) * (y >> 16)).AsByte();
    }
}
