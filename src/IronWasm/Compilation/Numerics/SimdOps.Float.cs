using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace IronWasm.Compilation.Numerics;

// Floating-point lane arithmetic, comparisons, rounding and conversions.
internal static unsafe partial class SimdOps
{
    // ---- Comparisons (ordered: false for NaN, except ne) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsSingle(), b.AsSingle())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Lt(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Gt(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Le(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Ge(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Eq(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Ne(Vector128<byte> a, Vector128<byte> b) => (~Vector128.Equals(a.AsDouble(), b.AsDouble())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Lt(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThan(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Gt(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Le(Vector128<byte> a, Vector128<byte> b) => Vector128.LessThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Ge(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();

    // ---- Sign operations (bitwise: NaN payloads pass through) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Abs(Vector128<byte> a) => (a.AsUInt32() & Vector128.Create(0x7FFF_FFFFu)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Neg(Vector128<byte> a) => (a.AsUInt32() ^ Vector128.Create(0x8000_0000u)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Abs(Vector128<byte> a) => (a.AsUInt64() & Vector128.Create(0x7FFF_FFFF_FFFF_FFFFul)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Neg(Vector128<byte> a) => (a.AsUInt64() ^ Vector128.Create(0x8000_0000_0000_0000ul)).AsByte();

    // ---- Arithmetic (the hardware quiets NaNs and keeps a NaN operand's payload) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Sqrt(Vector128<byte> a) => Vector128.Sqrt(a.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Add(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() + b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() - b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() * b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Div(Vector128<byte> a, Vector128<byte> b) => (a.AsSingle() / b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Sqrt(Vector128<byte> a) => Vector128.Sqrt(a.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Add(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() + b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Sub(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() - b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Mul(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() * b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Div(Vector128<byte> a, Vector128<byte> b) => (a.AsDouble() / b.AsDouble()).AsByte();

    // ---- Min and max (Wasm rules: NaN if either is NaN, -0 < +0) ----
    // Where the operands are equal, or-ing (min) or and-ing (max) the bits orders the zeros; where
    // either is NaN, a + b yields that NaN quieted (canonical stays canonical).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Min(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsSingle();
        var y = b.AsSingle();
        var ordered = Vector128.ConditionalSelect(Vector128.LessThan(x, y), x,
            Vector128.ConditionalSelect(Vector128.LessThan(y, x), y, x | y));
        var nan = ~(Vector128.Equals(x, x) & Vector128.Equals(y, y));
        return Vector128.ConditionalSelect(nan, x + y, ordered).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Max(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsSingle();
        var y = b.AsSingle();
        var ordered = Vector128.ConditionalSelect(Vector128.GreaterThan(x, y), x,
            Vector128.ConditionalSelect(Vector128.GreaterThan(y, x), y, x & y));
        var nan = ~(Vector128.Equals(x, x) & Vector128.Equals(y, y));
        return Vector128.ConditionalSelect(nan, x + y, ordered).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Min(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsDouble();
        var y = b.AsDouble();
        var ordered = Vector128.ConditionalSelect(Vector128.LessThan(x, y), x,
            Vector128.ConditionalSelect(Vector128.LessThan(y, x), y, x | y));
        var nan = ~(Vector128.Equals(x, x) & Vector128.Equals(y, y));
        return Vector128.ConditionalSelect(nan, x + y, ordered).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Max(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsDouble();
        var y = b.AsDouble();
        var ordered = Vector128.ConditionalSelect(Vector128.GreaterThan(x, y), x,
            Vector128.ConditionalSelect(Vector128.GreaterThan(y, x), y, x & y));
        var nan = ~(Vector128.Equals(x, x) & Vector128.Equals(y, y));
        return Vector128.ConditionalSelect(nan, x + y, ordered).AsByte();
    }

    /// <summary>Pseudo-minimum: b &lt; a ? b : a, with no NaN or zero-sign special cases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Pmin(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(b.AsSingle(), a.AsSingle()), b.AsSingle(), a.AsSingle()).AsByte();

    /// <summary>Pseudo-maximum: a &lt; b ? b : a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Pmax(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a.AsSingle(), b.AsSingle()), b.AsSingle(), a.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Pmin(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(b.AsDouble(), a.AsDouble()), b.AsDouble(), a.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Pmax(Vector128<byte> a, Vector128<byte> b) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a.AsDouble(), b.AsDouble()), b.AsDouble(), a.AsDouble()).AsByte();

    // ---- Rounding to integral values ----
    // The SSE4.1 and AdvSIMD instructions round each lane exactly as the spec asks, keep the sign of
    // zero, and quiet NaNs; elsewhere each lane goes through the scalar definition.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Ceil(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.Ceiling(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.Ceiling(a.AsSingle()).AsByte();
        return PerLane(a.AsSingle(), &NumericOps.F32Ceil);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Floor(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.Floor(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.Floor(a.AsSingle()).AsByte();
        return PerLane(a.AsSingle(), &NumericOps.F32Floor);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Trunc(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToZero(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.RoundToZero(a.AsSingle()).AsByte();
        return PerLane(a.AsSingle(), &NumericOps.F32Trunc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4Nearest(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToNearestInteger(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.RoundToNearest(a.AsSingle()).AsByte();
        return PerLane(a.AsSingle(), &NumericOps.F32Nearest);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Ceil(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.Ceiling(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.Ceiling(a.AsDouble()).AsByte();
        return PerLane(a.AsDouble(), &NumericOps.F64Ceil);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Floor(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.Floor(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.Floor(a.AsDouble()).AsByte();
        return PerLane(a.AsDouble(), &NumericOps.F64Floor);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Trunc(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToZero(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.RoundToZero(a.AsDouble()).AsByte();
        return PerLane(a.AsDouble(), &NumericOps.F64Trunc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2Nearest(Vector128<byte> a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToNearestInteger(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.RoundToNearest(a.AsDouble()).AsByte();
        return PerLane(a.AsDouble(), &NumericOps.F64Nearest);
    }

    private static Vector128<byte> PerLane(Vector128<float> a, delegate*<float, float> op) =>
        Vector128.Create(op(a.GetElement(0)), op(a.GetElement(1)), op(a.GetElement(2)), op(a.GetElement(3))).AsByte();

    private static Vector128<byte> PerLane(Vector128<double> a, delegate*<double, double> op) =>
        Vector128.Create(op(a.GetElement(0)), op(a.GetElement(1))).AsByte();

    // ---- Conversions ----

    /// <summary>Truncation toward zero, saturating, NaN to 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4TruncSatF32x4S(Vector128<byte> a)
    {
        var x = a.AsSingle();
        // Zero the NaN lanes first. The native conversion then handles every in-range lane and,
        // on all platforms, gives int.MinValue for lanes below range; lanes at or above 2^31 are
        // fixed up explicitly because x86 gives int.MinValue for them too.
        x &= Vector128.Equals(x, x);
        var r = Vector128.ConvertToInt32Native(x);
        var tooBig = Vector128.GreaterThanOrEqual(x, Vector128.Create(2147483648f)).AsInt32();
        return Vector128.ConditionalSelect(tooBig, Vector128.Create(int.MaxValue), r).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4TruncSatF32x4U(Vector128<byte> a)
    {
        var x = a.AsSingle();
        // Lanes that are NaN, negative or -0 become +0 (the comparison is false for NaN).
        x &= Vector128.GreaterThan(x, Vector128<float>.Zero);
        var twoTo31 = Vector128.Create(2147483648f);
        var small = Vector128.ConvertToInt32Native(x);
        // For lanes in [2^31, 2^32): convert x - 2^31 and add 2^31 back (wrapping into the top bit).
        var big = Vector128.ConvertToInt32Native(x - twoTo31) + Vector128.Create(int.MinValue);
        var isBig = Vector128.GreaterThanOrEqual(x, twoTo31).AsInt32();
        var tooBig = Vector128.GreaterThanOrEqual(x, Vector128.Create(4294967296f)).AsInt32();
        var r = Vector128.ConditionalSelect(isBig, big, small);
        return (r | tooBig).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4ConvertI32x4S(Vector128<byte> a) => Vector128.ConvertToSingle(a.AsInt32()).AsByte();

    /// <summary>Each unsigned lane rounded once to the nearest float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4ConvertI32x4U(Vector128<byte> a)
    {
        // Both 16-bit halves convert exactly and 65536 * hi is exact, so the one addition is the
        // only rounding.
        var x = a.AsInt32();
        var lo = Vector128.ConvertToSingle(x & Vector128.Create(0xFFFF));
        var hi = Vector128.ConvertToSingle(x >>> 16) * Vector128.Create(65536f);
        return (hi + lo).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4TruncSatF64x2SZero(Vector128<byte> a)
    {
        var x = a.AsDouble();
        return Vector128.Create(NumericOps.I32TruncSatF64S(x.GetElement(0)), NumericOps.I32TruncSatF64S(x.GetElement(1)), 0, 0).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> I32x4TruncSatF64x2UZero(Vector128<byte> a)
    {
        var x = a.AsDouble();
        return Vector128.Create(NumericOps.I32TruncSatF64U(x.GetElement(0)), NumericOps.I32TruncSatF64U(x.GetElement(1)), 0, 0).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2ConvertLowI32x4S(Vector128<byte> a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Double(a.AsInt32()).AsByte();
        var x = a.AsInt32();
        return Vector128.Create((double)x.GetElement(0), x.GetElement(1)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2ConvertLowI32x4U(Vector128<byte> a)
    {
        var x = a.AsUInt32();
        return Vector128.Create((double)x.GetElement(0), x.GetElement(1)).AsByte();
    }

    /// <summary>Both lanes rounded to float into lanes 0 and 1; lanes 2 and 3 are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F32x4DemoteF64x2Zero(Vector128<byte> a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Single(a.AsDouble()).AsByte(); // cvtpd2ps zeroes the upper lanes
        var x = a.AsDouble();
        return Vector128.Create(NumericOps.F32DemoteF64(x.GetElement(0)), NumericOps.F32DemoteF64(x.GetElement(1)), 0f, 0f).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> F64x2PromoteLowF32x4(Vector128<byte> a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Double(a.AsSingle()).AsByte();
        var x = a.AsSingle();
        return Vector128.Create(NumericOps.F64PromoteF32(x.GetElement(0)), NumericOps.F64PromoteF32(x.GetElement(1))).AsByte();
    }
}
