using System.Numerics;
using System.Runtime.CompilerServices;

namespace IronWasm.Compilation.Numerics;

/// <summary>Scalar Wasm instructions whose exact semantics plain CIL does not give: integer division
/// traps, float-to-int range checks, Wasm min/max, round-half-even, NaN quieting and sign handling,
/// correctly rounded unsigned conversions. Compiled code calls these by opcode name; the small ones
/// are inlined by the JIT.</summary>
/// <remarks>Abs, neg and copysign are bit operations so NaN payloads pass through untouched; every
/// other operation that may return a NaN returns a quiet one (the spec's arithmetic NaN), derived
/// from its NaN operand so a canonical NaN in gives a canonical NaN out.</remarks>
internal static class NumericOps
{
    private const int F32QuietBit = 0x0040_0000;
    private const long F64QuietBit = 0x0008_0000_0000_0000;

    // ---- Integer division ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32DivS(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        if (b == -1 && a == int.MinValue) Traps.Throw(TrapCode.IntegerOverflow);
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32DivU(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        return (int)((uint)a / (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32RemS(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        // INT_MIN % -1 overflows in the hardware divide; the mathematical remainder is 0.
        if (b == -1) return 0;
        return a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32RemU(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        return (int)((uint)a % (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64DivS(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        if (b == -1 && a == long.MinValue) Traps.Throw(TrapCode.IntegerOverflow);
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64DivU(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        return (long)((ulong)a / (ulong)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64RemS(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        if (b == -1) return 0;
        return a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64RemU(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivisionByZero);
        return (long)((ulong)a % (ulong)b);
    }

    // ---- Bit counting and rotation ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Clz(int x) => BitOperations.LeadingZeroCount((uint)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Ctz(int x) => BitOperations.TrailingZeroCount(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Popcnt(int x) => BitOperations.PopCount((uint)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Clz(long x) => BitOperations.LeadingZeroCount((ulong)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Ctz(long x) => BitOperations.TrailingZeroCount(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Popcnt(long x) => BitOperations.PopCount((ulong)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Rotl(int x, int k) => (int)BitOperations.RotateLeft((uint)x, k);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32Rotr(int x, int k) => (int)BitOperations.RotateRight((uint)x, k);

    // The i64 rotate count is an i64 operand; only its low 6 bits matter.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Rotl(long x, long k) => (long)BitOperations.RotateLeft((ulong)x, (int)k);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64Rotr(long x, long k) => (long)BitOperations.RotateRight((ulong)x, (int)k);

    // ---- Sign bit operations (never touch the payload) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Abs(float x) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) & int.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Neg(float x) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) ^ int.MinValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Copysign(float x, float y) => BitConverter.Int32BitsToSingle(
        (BitConverter.SingleToInt32Bits(x) & int.MaxValue) | (BitConverter.SingleToInt32Bits(y) & int.MinValue));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Abs(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & long.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Neg(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) ^ long.MinValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Copysign(double x, double y) => BitConverter.Int64BitsToDouble(
        (BitConverter.DoubleToInt64Bits(x) & long.MaxValue) | (BitConverter.DoubleToInt64Bits(y) & long.MinValue));

    // ---- NaN quieting ----

    /// <summary>The NaN <paramref name="x"/> with its quiet bit set: an arithmetic NaN, canonical if x was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float QuietNaN(float x) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) | F32QuietBit);

    /// <summary>The NaN <paramref name="x"/> with its quiet bit set: an arithmetic NaN, canonical if x was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double QuietNaN(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) | F64QuietBit);

    // ---- Min and max: NaN if either is NaN; -0 < +0 ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Min(float a, float b)
    {
        if (a < b) return a;
        if (b < a) return b;
        if (a == b) // equal, possibly zeros of different sign: or-ing the bits picks -0
            return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
        return QuietNaN(float.IsNaN(a) ? a : b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Max(float a, float b)
    {
        if (a > b) return a;
        if (b > a) return b;
        if (a == b) // and-ing the bits picks +0
            return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));
        return QuietNaN(float.IsNaN(a) ? a : b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Min(double a, double b)
    {
        if (a < b) return a;
        if (b < a) return b;
        if (a == b)
            return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));
        return QuietNaN(double.IsNaN(a) ? a : b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Max(double a, double b)
    {
        if (a > b) return a;
        if (b > a) return b;
        if (a == b)
            return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));
        return QuietNaN(double.IsNaN(a) ? a : b);
    }

    // ---- Rounding and square root ----
    // The NaN test comes first so the result is quiet whatever the rounding path does with a
    // signalling NaN; the rounding functions keep the sign of zero (ceil(-0.5) is -0).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Ceil(float x) => float.IsNaN(x) ? QuietNaN(x) : MathF.Ceiling(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Floor(float x) => float.IsNaN(x) ? QuietNaN(x) : MathF.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Trunc(float x) => float.IsNaN(x) ? QuietNaN(x) : MathF.Truncate(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Nearest(float x) => float.IsNaN(x) ? QuietNaN(x) : MathF.Round(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Sqrt(float x) => float.IsNaN(x) ? QuietNaN(x) : MathF.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Ceil(double x) => double.IsNaN(x) ? QuietNaN(x) : Math.Ceiling(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Floor(double x) => double.IsNaN(x) ? QuietNaN(x) : Math.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Trunc(double x) => double.IsNaN(x) ? QuietNaN(x) : Math.Truncate(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Nearest(double x) => double.IsNaN(x) ? QuietNaN(x) : Math.Round(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Sqrt(double x) => double.IsNaN(x) ? QuietNaN(x) : Math.Sqrt(x);

    // ---- Trapping float-to-int truncation ----
    // The accepted ranges are open intervals of the real line, written with the nearest exactly
    // representable bounds: trunc(x) fits in i32 iff -2^31 - 1 < x < 2^31. A float converts to
    // double exactly, so the f32 variants share the f64 bounds.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32S(float x) => I32TruncF64S(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32U(float x) => I32TruncF64U(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64S(double x)
    {
        if (!(x > -2147483649.0 && x < 2147483648.0)) ThrowBadTruncation(x);
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64U(double x)
    {
        if (!(x > -1.0 && x < 4294967296.0)) ThrowBadTruncation(x);
        return (int)(uint)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32S(float x) => I64TruncF64S(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32U(float x) => I64TruncF64U(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64S(double x)
    {
        // -2^63 is exact in double and itself in range; the next double below it is out of range.
        if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) ThrowBadTruncation(x);
        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64U(double x)
    {
        if (!(x > -1.0 && x < 18446744073709551616.0)) ThrowBadTruncation(x);
        return (long)(ulong)x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadTruncation(double x) =>
        Traps.Throw(double.IsNaN(x) ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);

    // ---- Saturating float-to-int truncation (NaN gives 0) ----
    // Written out rather than trusting the runtime's cast semantics, which have changed across .NET versions.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32S(float x) => I32TruncSatF64S(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32U(float x) => I32TruncSatF64U(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64S(double x)
    {
        if (x > -2147483649.0 && x < 2147483648.0) return (int)x;
        if (double.IsNaN(x)) return 0;
        return x < 0 ? int.MinValue : int.MaxValue;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64U(double x)
    {
        if (x > -1.0 && x < 4294967296.0) return (int)(uint)x;
        if (double.IsNaN(x) || x < 0) return 0;
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32S(float x) => I64TruncSatF64S(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32U(float x) => I64TruncSatF64U(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64S(double x)
    {
        if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) return (long)x;
        if (double.IsNaN(x)) return 0;
        return x < 0 ? long.MinValue : long.MaxValue;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64U(double x)
    {
        if (x > -1.0 && x < 18446744073709551616.0) return (long)(ulong)x;
        if (double.IsNaN(x) || x < 0) return 0;
        return -1;
    }

    // ---- Int-to-float conversion (one correct rounding, to nearest even) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI32S(int x) => x;

    // Through a signed 64-bit integer: exact, then a single rounding to float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI32U(int x) => (long)(uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI64S(long x) => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI64U(long x)
    {
        if (x >= 0) return x;
        // Halve, keeping the dropped bit as a sticky bit so the one rounding of the signed
        // conversion still sees whether the value was above a tie; doubling is then exact.
        ulong u = (ulong)x;
        return (float)(long)((u >> 1) | (u & 1)) * 2f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI32S(int x) => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI32U(int x) => (uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI64S(long x) => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI64U(long x)
    {
        if (x >= 0) return x;
        ulong u = (ulong)x;
        return (double)(long)((u >> 1) | (u & 1)) * 2.0;
    }

    // ---- Float precision conversion ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32DemoteF64(double x) => double.IsNaN(x) ? DemoteNaN(x) : (float)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64PromoteF32(float x) => float.IsNaN(x) ? PromoteNaN(x) : x;

    // A NaN keeps its sign and the top of its payload and becomes quiet, as hardware conversions do.
    private static float DemoteNaN(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int sign = (int)((ulong)bits >> 32) & int.MinValue;
        int payload = (int)((bits & 0x000F_FFFF_FFFF_FFFF) >> 29);
        return BitConverter.Int32BitsToSingle(sign | 0x7F80_0000 | F32QuietBit | payload);
    }

    private static double PromoteNaN(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        long sign = (long)(bits & int.MinValue) << 32;
        long payload = (long)(bits & 0x007F_FFFF) << 29;
        return BitConverter.Int64BitsToDouble(sign | 0x7FF0_0000_0000_0000 | F64QuietBit | payload);
    }

    // ---- Constants ----

    /// <summary>The f32 with the given bits, opaque to the JIT. RyuJIT holds float constants as
    /// doubles, which quiets a signalling NaN (even when spelled <c>Int32BitsToSingle(constant)</c>),
    /// so compiled code must load an f32.const that is a signalling NaN through this method instead
    /// of <c>ldc.r4</c>. Other f32 constants, and all f64 constants, survive <c>ldc.r4</c>/<c>ldc.r8</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <summary>True if <c>ldc.r4</c> would not reproduce these f32 bits exactly (a signalling NaN).</summary>
    public static bool F32ConstantNeedsBits(int bits) => (bits & 0x7F80_0000) == 0x7F80_0000 && (bits & 0x007F_FFFF) != 0 && (bits & F32QuietBit) == 0;

    // ---- Reinterpretation (bit casts) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32ReinterpretF32(float x) => BitConverter.SingleToInt32Bits(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64ReinterpretF64(double x) => BitConverter.DoubleToInt64Bits(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ReinterpretI32(int x) => BitConverter.Int32BitsToSingle(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ReinterpretI64(long x) => BitConverter.Int64BitsToDouble(x);
}
