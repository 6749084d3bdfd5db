using IronWasm.Compilation.Numerics;

namespace IronWasm.Tests.Numerics;

public class NumericOpsTests
{
    private static float F32(uint bits) => BitConverter.UInt32BitsToSingle(bits);
    private static double F64(ulong bits) => BitConverter.UInt64BitsToDouble(bits);
    private static uint Bits(float x) => BitConverter.SingleToUInt32Bits(x);
    private static ulong Bits(double x) => BitConverter.DoubleToUInt64Bits(x);

    private const uint F32Canonical = 0x7FC0_0000;
    private const uint F32Signalling = 0x7F80_0001;
    private const ulong F64Canonical = 0x7FF8_0000_0000_0000;
    private const ulong F64Signalling = 0x7FF0_0000_0000_0001;

    private static bool IsArithmeticNaN(float x) => float.IsNaN(x) && (Bits(x) & 0x0040_0000) != 0;
    private static bool IsArithmeticNaN(double x) => double.IsNaN(x) && (Bits(x) & 0x0008_0000_0000_0000) != 0;

    private static void AssertTrap(TrapCode code, Action action) => Assert.Equal(code, Assert.Throws<TrapException>(action).Code);

    // ---- Integer division ----

    [Fact]
    public void DivisionByZeroTraps()
    {
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I32DivS(1, 0));
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I32DivU(1, 0));
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I32RemS(1, 0));
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I32RemU(1, 0));
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I64DivS(1, 0));
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I64DivU(1, 0));
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I64RemS(1, 0));
        AssertTrap(TrapCode.IntegerDivisionByZero, () => NumericOps.I64RemU(1, 0));
    }

    [Fact]
    public void SignedDivisionOfMinimumByMinusOneOverflows()
    {
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32DivS(int.MinValue, -1));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I64DivS(long.MinValue, -1));
    }

    [Fact]
    public void SignedRemainderOfMinimumByMinusOneIsZero()
    {
        Assert.Equal(0, NumericOps.I32RemS(int.MinValue, -1));
        Assert.Equal(0L, NumericOps.I64RemS(long.MinValue, -1));
    }

    [Fact]
    public void SignedDivisionTruncatesTowardZeroAndRemainderTakesDividendSign()
    {
        Assert.Equal(-2, NumericOps.I32DivS(-7, 3));
        Assert.Equal(-1, NumericOps.I32RemS(-7, 3));
        Assert.Equal(1, NumericOps.I32RemS(7, -3));
        Assert.Equal(-2L, NumericOps.I64DivS(-7, 3));
    }

    [Fact]
    public void UnsignedDivisionTreatsOperandsAsUnsigned()
    {
        Assert.Equal(0x7FFF_FFFF, NumericOps.I32DivU(-1, 2));
        Assert.Equal(1, NumericOps.I32RemU(-1, 2));
        Assert.Equal(long.MaxValue, NumericOps.I64DivU(-1, 2));
        Assert.Equal(2L, NumericOps.I64RemU(long.MinValue, 3)); // 2^63 mod 3
    }

    // ---- Bits ----

    [Fact]
    public void RotationCountIsTakenModuloWidth()
    {
        Assert.Equal(0x2345_6781, NumericOps.I32Rotl(0x1234_5678, 36));
        Assert.Equal(unchecked((int)0x8123_4567), NumericOps.I32Rotr(0x1234_5678, -28));
        Assert.Equal(2L, NumericOps.I64Rotl(1, 0x1_0000_0001));
        Assert.Equal(long.MinValue, NumericOps.I64Rotr(1, 65));
    }

    [Fact]
    public void BitCountsOfZeroAreTheWidth()
    {
        Assert.Equal(32, NumericOps.I32Clz(0));
        Assert.Equal(32, NumericOps.I32Ctz(0));
        Assert.Equal(64L, NumericOps.I64Clz(0));
        Assert.Equal(64L, NumericOps.I64Ctz(0));
        Assert.Equal(32, NumericOps.I32Popcnt(-1));
        Assert.Equal(64L, NumericOps.I64Popcnt(-1));
        Assert.Equal(0, NumericOps.I32Clz(-1));
        Assert.Equal(31, NumericOps.I32Ctz(int.MinValue));
    }

    // ---- Min and max ----

    [Fact]
    public void MinPrefersNegativeZeroAndMaxPositiveZero()
    {
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32Min(0f, -0f)));
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32Min(-0f, 0f)));
        Assert.Equal(0u, Bits(NumericOps.F32Max(-0f, 0f)));
        Assert.Equal(0u, Bits(NumericOps.F32Max(0f, -0f)));
        Assert.Equal(0x8000_0000_0000_0000ul, Bits(NumericOps.F64Min(0.0, -0.0)));
        Assert.Equal(0ul, Bits(NumericOps.F64Max(-0.0, 0.0)));
    }

    [Fact]
    public void MinAndMaxOfCanonicalNaNAreCanonicalNaN()
    {
        Assert.Equal(F32Canonical, Bits(NumericOps.F32Min(F32(F32Canonical), 1f)));
        Assert.Equal(F32Canonical, Bits(NumericOps.F32Max(1f, F32(F32Canonical))));
        Assert.Equal(F64Canonical, Bits(NumericOps.F64Min(double.NegativeInfinity, F64(F64Canonical))));
        Assert.Equal(F64Canonical, Bits(NumericOps.F64Max(F64(F64Canonical), double.PositiveInfinity)));
    }

    [Fact]
    public void MinAndMaxQuietASignallingNaN()
    {
        Assert.True(IsArithmeticNaN(NumericOps.F32Min(F32(F32Signalling), float.NegativeInfinity)));
        Assert.True(IsArithmeticNaN(NumericOps.F32Max(0f, F32(F32Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F64Min(0.0, F64(F64Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F64Max(F64(F64Signalling), 0.0)));
    }

    [Fact]
    public void MinAndMaxOfOrderedValues()
    {
        Assert.Equal(-1f, NumericOps.F32Min(-1f, float.PositiveInfinity));
        Assert.Equal(float.PositiveInfinity, NumericOps.F32Max(-1f, float.PositiveInfinity));
        Assert.Equal(double.NegativeInfinity, NumericOps.F64Min(double.NegativeInfinity, 5.0));
        Assert.Equal(5.0, NumericOps.F64Max(double.NegativeInfinity, 5.0));
    }

    // ---- Sign operations ----

    [Fact]
    public void AbsNegAndCopysignKeepNaNPayloadsSignalling()
    {
        Assert.Equal(0x7F80_0001u, Bits(NumericOps.F32Abs(F32(0xFF80_0001))));
        Assert.Equal(0xFF80_0001u, Bits(NumericOps.F32Neg(F32(0x7F80_0001))));
        Assert.Equal(0xFF80_0001u, Bits(NumericOps.F32Copysign(F32(0x7F80_0001), -0f)));
        Assert.Equal(0x7FF0_0000_0000_0001ul, Bits(NumericOps.F64Abs(F64(0xFFF0_0000_0000_0001))));
        Assert.Equal(0xFFF0_0000_0000_0001ul, Bits(NumericOps.F64Neg(F64(0x7FF0_0000_0000_0001))));
        Assert.Equal(0x7FF0_0000_0000_0001ul, Bits(NumericOps.F64Copysign(F64(0xFFF0_0000_0000_0001), F64(0x7FF8_0000_0000_0000))));
    }

    [Fact]
    public void NegFlipsTheSignOfZero()
    {
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32Neg(0f)));
        Assert.Equal(0ul, Bits(NumericOps.F64Neg(-0.0)));
    }

    // ---- Rounding ----

    [Fact]
    public void NearestRoundsHalfToEven()
    {
        Assert.Equal(0f, NumericOps.F32Nearest(0.5f));
        Assert.Equal(2f, NumericOps.F32Nearest(1.5f));
        Assert.Equal(2f, NumericOps.F32Nearest(2.5f));
        Assert.Equal(-4f, NumericOps.F32Nearest(-3.5f));
        Assert.Equal(8388609f, NumericOps.F32Nearest(8388609f));
        Assert.Equal(4503599627370497.0, NumericOps.F64Nearest(4503599627370497.0));
        Assert.Equal(2.0, NumericOps.F64Nearest(2.5));
    }

    [Fact]
    public void RoundingKeepsTheSignOfZero()
    {
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32Nearest(-0.5f)));
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32Ceil(-0.5f)));
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32Trunc(-0.9f)));
        Assert.Equal(0x8000_0000_0000_0000ul, Bits(NumericOps.F64Nearest(-0.5)));
        Assert.Equal(0x8000_0000_0000_0000ul, Bits(NumericOps.F64Ceil(-0.25)));
        Assert.Equal(0x8000_0000_0000_0000ul, Bits(NumericOps.F64Floor(-0.0)));
    }

    [Fact]
    public void RoundingAndSqrtQuietNaNs()
    {
        Assert.True(IsArithmeticNaN(NumericOps.F32Ceil(F32(F32Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F32Floor(F32(F32Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F32Trunc(F32(F32Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F32Nearest(F32(F32Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F32Sqrt(F32(F32Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F64Ceil(F64(F64Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F64Floor(F64(F64Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F64Trunc(F64(F64Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F64Nearest(F64(F64Signalling))));
        Assert.True(IsArithmeticNaN(NumericOps.F64Sqrt(F64(F64Signalling))));
        Assert.Equal(F32Canonical, Bits(NumericOps.F32Ceil(F32(F32Canonical))));
    }

    [Fact]
    public void SqrtOfNegativeIsCanonicalNaN()
    {
        Assert.Equal(F32Canonical, Bits(NumericOps.F32Sqrt(-1f)) & 0x7FFF_FFFF);
        Assert.Equal(F64Canonical, Bits(NumericOps.F64Sqrt(-1.0)) & 0x7FFF_FFFF_FFFF_FFFF);
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32Sqrt(-0f)));
    }

    // ---- Trapping truncation ----

    [Fact]
    public void TruncationOfNaNTrapsAsInvalidConversion()
    {
        AssertTrap(TrapCode.BadConversionToInteger, () => NumericOps.I32TruncF32S(float.NaN));
        AssertTrap(TrapCode.BadConversionToInteger, () => NumericOps.I32TruncF32U(float.NaN));
        AssertTrap(TrapCode.BadConversionToInteger, () => NumericOps.I64TruncF64S(double.NaN));
        AssertTrap(TrapCode.BadConversionToInteger, () => NumericOps.I64TruncF64U(F64(F64Signalling)));
        Assert.Equal("invalid conversion to integer", Assert.Throws<TrapException>(() => NumericOps.I32TruncF64S(double.NaN)).Message);
    }

    [Fact]
    public void TruncationToI32AcceptsExactlyTheRange()
    {
        Assert.Equal(int.MinValue, NumericOps.I32TruncF32S(-2147483648f));
        Assert.Equal(2147483520, NumericOps.I32TruncF32S(2147483520f));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32TruncF32S(2147483648f));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32TruncF32S(-2147483904f));
        Assert.Equal(int.MinValue, NumericOps.I32TruncF64S(-2147483648.9));
        Assert.Equal(int.MaxValue, NumericOps.I32TruncF64S(2147483647.9));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32TruncF64S(-2147483649.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32TruncF64S(2147483648.0));
        Assert.Equal(0, NumericOps.I32TruncF64U(-0.9));
        Assert.Equal(-1, NumericOps.I32TruncF64U(4294967295.9));
        Assert.Equal(-256, NumericOps.I32TruncF32U(4294967040f));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32TruncF64U(-1.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32TruncF64U(4294967296.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I32TruncF32U(float.PositiveInfinity));
    }

    [Fact]
    public void TruncationToI64AcceptsExactlyTheRange()
    {
        Assert.Equal(long.MinValue, NumericOps.I64TruncF64S(-9223372036854775808.0));
        Assert.Equal(long.MinValue, NumericOps.I64TruncF32S(-9223372036854775808f));
        Assert.Equal(9223372036854774784L, NumericOps.I64TruncF64S(9223372036854774784.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I64TruncF64S(9223372036854775808.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I64TruncF64S(-9223372036854777856.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I64TruncF32S(9223372036854775808f));
        Assert.Equal(unchecked((long)0xFFFF_FFFF_FFFF_F800UL), NumericOps.I64TruncF64U(18446744073709549568.0));
        Assert.Equal(0L, NumericOps.I64TruncF32U(-0.99f));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I64TruncF64U(18446744073709551616.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I64TruncF64U(-1.0));
        AssertTrap(TrapCode.IntegerOverflow, () => NumericOps.I64TruncF32U(float.NegativeInfinity));
    }

    // ---- Saturating truncation ----

    [Fact]
    public void SaturatingTruncationMapsNaNToZero()
    {
        Assert.Equal(0, NumericOps.I32TruncSatF32S(float.NaN));
        Assert.Equal(0, NumericOps.I32TruncSatF32U(F32(0xFFC0_0000)));
        Assert.Equal(0L, NumericOps.I64TruncSatF64S(F64(F64Signalling)));
        Assert.Equal(0L, NumericOps.I64TruncSatF64U(double.NaN));
    }

    [Fact]
    public void SaturatingTruncationClampsToTheRange()
    {
        Assert.Equal(int.MaxValue, NumericOps.I32TruncSatF32S(2147483648f));
        Assert.Equal(int.MinValue, NumericOps.I32TruncSatF64S(double.NegativeInfinity));
        Assert.Equal(int.MinValue, NumericOps.I32TruncSatF64S(-2147483648.9));
        Assert.Equal(-1, NumericOps.I32TruncSatF64U(1e10));
        Assert.Equal(0, NumericOps.I32TruncSatF64U(-1e10));
        Assert.Equal(-1, NumericOps.I32TruncSatF64U(4294967295.5));
        Assert.Equal(long.MaxValue, NumericOps.I64TruncSatF64S(9223372036854775808.0));
        Assert.Equal(long.MinValue, NumericOps.I64TruncSatF32S(float.NegativeInfinity));
        Assert.Equal(-1L, NumericOps.I64TruncSatF32U(float.PositiveInfinity));
        Assert.Equal(0L, NumericOps.I64TruncSatF64U(-0.5));
        Assert.Equal(unchecked((long)0xFFFF_FFFF_FFFF_F800UL), NumericOps.I64TruncSatF64U(18446744073709549568.0));
    }

    // ---- Int-to-float conversion ----

    [Fact]
    public void UnsignedToFloatConversionsRoundOnce()
    {
        Assert.Equal(4294967296f, NumericOps.F32ConvertI32U(-1));
        Assert.Equal(2147483904f, NumericOps.F32ConvertI32U(unchecked((int)0x8000_0081)));
        Assert.Equal(2147483648f, NumericOps.F32ConvertI32U(unchecked((int)0x8000_0080))); // tie to even
        Assert.Equal(4294967295.0, NumericOps.F64ConvertI32U(-1));
        Assert.Equal(18446744073709551616f, NumericOps.F32ConvertI64U(-1));
        // 2^63 + 2^39 + 1 is just above a float tie; rounding through double first would lose the 1.
        Assert.Equal(9223373136366403584f, NumericOps.F32ConvertI64U(unchecked((long)0x8000_0080_0000_0001UL)));
        Assert.Equal(9223372036854775808f, NumericOps.F32ConvertI64U(unchecked((long)0x8000_0080_0000_0000UL)));
        Assert.Equal(9223372036854777856.0, NumericOps.F64ConvertI64U(unchecked((long)0x8000_0000_0000_0401UL)));
        Assert.Equal(9223372036854775808.0, NumericOps.F64ConvertI64U(unchecked((long)0x8000_0000_0000_0400UL)));
        Assert.Equal(18446744073709551616.0, NumericOps.F64ConvertI64U(-1));
    }

    [Fact]
    public void SignedToFloatConversionsRoundOnce()
    {
        Assert.Equal(9007200328482816f, NumericOps.F32ConvertI64S(9007199791611905));
        Assert.Equal(-9007200328482816f, NumericOps.F32ConvertI64S(-9007199791611905));
        Assert.Equal(16777216f, NumericOps.F32ConvertI32S(16777217));
        Assert.Equal(9007199254740992.0, NumericOps.F64ConvertI64S(9007199254740993));
    }

    // ---- Demote and promote ----

    [Fact]
    public void DemoteAndPromoteQuietNaNsAndKeepTheirSign()
    {
        Assert.Equal(F32Canonical, Bits(NumericOps.F32DemoteF64(F64(F64Canonical))));
        Assert.Equal(0xFFC0_0000u, Bits(NumericOps.F32DemoteF64(F64(0xFFF8_0000_0000_0000))));
        Assert.True(IsArithmeticNaN(NumericOps.F32DemoteF64(F64(F64Signalling))));
        Assert.Equal(F64Canonical, Bits(NumericOps.F64PromoteF32(F32(F32Canonical))));
        Assert.True(IsArithmeticNaN(NumericOps.F64PromoteF32(F32(F32Signalling))));
        Assert.Equal(0x8000_0000_0000_0000ul, Bits(NumericOps.F64PromoteF32(F32(0xFFC0_0000))) & 0x8000_0000_0000_0000ul);
    }

    [Fact]
    public void DemoteRoundsToNearestEven()
    {
        Assert.Equal(0u, Bits(NumericOps.F32DemoteF64(Math.ScaleB(1.0, -150)))); // tie with 0: even
        Assert.Equal(1u, Bits(NumericOps.F32DemoteF64(Math.ScaleB(1.5, -150))));
        Assert.Equal(float.MaxValue, NumericOps.F32DemoteF64(F64(0x47EF_FFFF_EFFF_FFFF))); // just below the tie with 2^128
        Assert.Equal(float.PositiveInfinity, NumericOps.F32DemoteF64(F64(0x47EF_FFFF_F000_0000))); // the tie rounds up
        Assert.Equal(0x8000_0000u, Bits(NumericOps.F32DemoteF64(-0.0)));
    }

    // ---- Constants in compiled code ----

    [Fact]
    public void SignallingF32ConstantSurvivesJitCompilationThroughF32FromBits()
    {
        var method = new System.Reflection.Emit.DynamicMethod("constant", typeof(int), Type.EmptyTypes, typeof(NumericOps).Module);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4, unchecked((int)0xFF80_0001));
        il.Emit(System.Reflection.Emit.OpCodes.Call, typeof(NumericOps).GetMethod(nameof(NumericOps.F32FromBits))!);
        il.Emit(System.Reflection.Emit.OpCodes.Call, typeof(NumericOps).GetMethod(nameof(NumericOps.F32Neg))!);
        il.Emit(System.Reflection.Emit.OpCodes.Call, typeof(NumericOps).GetMethod(nameof(NumericOps.I32ReinterpretF32))!);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        Assert.Equal(0x7F80_0001, method.CreateDelegate<Func<int>>()());
    }

    [Fact]
    public void OnlySignallingNaNConstantsNeedBits()
    {
        Assert.True(NumericOps.F32ConstantNeedsBits(0x7F80_0001));
        Assert.True(NumericOps.F32ConstantNeedsBits(unchecked((int)0xFFA0_0000)));
        Assert.False(NumericOps.F32ConstantNeedsBits(0x7FC0_0000));
        Assert.False(NumericOps.F32ConstantNeedsBits(0x7F80_0000)); // infinity
        Assert.False(NumericOps.F32ConstantNeedsBits(0x3F80_0000));
    }
}
