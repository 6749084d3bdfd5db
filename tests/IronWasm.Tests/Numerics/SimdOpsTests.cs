using System.Runtime.Intrinsics;
using IronWasm.Compilation.Numerics;

namespace IronWasm.Tests.Numerics;

public unsafe class SimdOpsTests
{
    private static Vector128<byte> I8(params sbyte[] lanes) => Vector128.Create(lanes).AsByte();
    private static Vector128<byte> U8(params byte[] lanes) => Vector128.Create(lanes);
    private static Vector128<byte> I16(params short[] lanes) => Vector128.Create(lanes).AsByte();
    private static Vector128<byte> I32(params int[] lanes) => Vector128.Create(lanes).AsByte();
    private static Vector128<byte> I64(long a, long b) => Vector128.Create(a, b).AsByte();
    private static Vector128<byte> F32(float a, float b, float c, float d) => Vector128.Create(a, b, c, d).AsByte();
    // The JIT folds BitConverter.UInt32BitsToSingle of a constant and quiets a signalling NaN in
    // Release builds, so signalling-NaN inputs are made at run time.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float RuntimeSingle(uint bits) => BitConverter.UInt32BitsToSingle(bits);
    private static Vector128<byte> F32Bits(uint a, uint b, uint c, uint d) => Vector128.Create(a, b, c, d).AsByte();
    private static Vector128<byte> F64(double a, double b) => Vector128.Create(a, b).AsByte();
    private static Vector128<byte> F64Bits(ulong a, ulong b) => Vector128.Create(a, b).AsByte();
    private static Vector128<byte> Sequence() => Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    private static uint[] F32Lanes(Vector128<byte> v) => [v.AsUInt32()[0], v.AsUInt32()[1], v.AsUInt32()[2], v.AsUInt32()[3]];
    private static ulong[] F64Lanes(Vector128<byte> v) => [v.AsUInt64()[0], v.AsUInt64()[1]];

    // ---- Saturation ----

    [Fact]
    public void SaturatingAddAndSubClampPerLaneType()
    {
        Assert.Equal(I8(127, -128, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            SimdOps.I8x16AddSatS(I8(100, -100, -1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), I8(100, -100, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(Vector128.Create((byte)255), SimdOps.I8x16AddSatU(Vector128.Create((byte)200), Vector128.Create((byte)100)));
        Assert.Equal(Vector128<byte>.Zero, SimdOps.I8x16SubSatU(Vector128.Create((byte)100), Vector128.Create((byte)200)));
        Assert.Equal(Vector128.Create((sbyte)-128).AsByte(), SimdOps.I8x16SubSatS(Vector128.Create((sbyte)-100).AsByte(), Vector128.Create((sbyte)100).AsByte()));
        Assert.Equal(Vector128.Create(short.MaxValue).AsByte(), SimdOps.I16x8AddSatS(Vector128.Create((short)30000).AsByte(), Vector128.Create((short)30000).AsByte()));
        Assert.Equal(Vector128.Create(ushort.MaxValue).AsByte(), SimdOps.I16x8AddSatU(Vector128.Create((ushort)60000).AsByte(), Vector128.Create((ushort)60000).AsByte()));
        Assert.Equal(Vector128.Create(short.MinValue).AsByte(), SimdOps.I16x8SubSatS(Vector128.Create((short)-30000).AsByte(), Vector128.Create((short)30000).AsByte()));
        Assert.Equal(Vector128<byte>.Zero, SimdOps.I16x8SubSatU(Vector128.Create((ushort)1).AsByte(), Vector128.Create((ushort)2).AsByte()));
    }

    [Fact]
    public void NarrowingSaturatesSignedInputs()
    {
        var a = I16(300, -300, 127, -128, 128, -129, 0, -1);
        var b = I16(255, 256, 1, 2, 3, 4, 5, 6);
        Assert.Equal(I8(127, -128, 127, -128, 127, -128, 0, -1, 127, 127, 1, 2, 3, 4, 5, 6), SimdOps.I8x16NarrowI16x8S(a, b));
        Assert.Equal(U8(255, 0, 127, 0, 128, 0, 0, 0, 255, 255, 1, 2, 3, 4, 5, 6), SimdOps.I8x16NarrowI16x8U(a, b));
        var c = I32(70000, -70000, -1, 65535);
        Assert.Equal(I16(short.MaxValue, short.MinValue, -1, short.MaxValue, short.MaxValue, short.MinValue, -1, short.MaxValue), SimdOps.I16x8NarrowI32x4S(c, c));
        Assert.Equal(Vector128.Create((ushort)65535, 0, 0, 65535, 65535, 0, 0, 65535).AsByte(), SimdOps.I16x8NarrowI32x4U(c, c));
    }

    [Fact]
    public void Q15MultiplySaturatesTheOnlyOverflow()
    {
        var a = I16(short.MinValue, short.MinValue, 16384, -16384, 1, 32767, 0x4000, -1);
        var b = I16(short.MinValue, short.MaxValue, 16384, 16384, 16384, 32767, 1, 1);
        // (a*b + 0x4000) >> 15
        Assert.Equal(I16(short.MaxValue, -32767, 8192, -8192, 1, 32766, 1, 0), SimdOps.I16x8Q15mulrSatS(a, b));
    }

    [Fact]
    public void RoundingAverageRoundsUpWithoutOverflow()
    {
        Assert.Equal(U8(255, 128, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            SimdOps.I8x16AvgrU(U8(255, 255, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), U8(255, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(Vector128.Create((ushort)65535, 32768, 1, 0, 0, 0, 0, 0).AsByte(),
            SimdOps.I16x8AvgrU(Vector128.Create((ushort)65535, 65535, 1, 0, 0, 0, 0, 0).AsByte(), Vector128.Create((ushort)65535, 0, 0, 0, 0, 0, 0, 0).AsByte()));
    }

    // ---- Lane-wise integer operations ----

    [Fact]
    public void AbsOfMinimumWraps()
    {
        Assert.Equal(Vector128.Create((sbyte)-128).AsByte(), SimdOps.I8x16Abs(Vector128.Create((sbyte)-128).AsByte()));
        Assert.Equal(I16(short.MinValue, 1, 1, 0, 5, 5, 32767, 32767), SimdOps.I16x8Abs(I16(short.MinValue, 1, -1, 0, 5, -5, 32767, -32767)));
        Assert.Equal(I32(int.MinValue, 1, 1, 0), SimdOps.I32x4Abs(I32(int.MinValue, -1, 1, 0)));
        Assert.Equal(I64(long.MinValue, long.MaxValue), SimdOps.I64x2Abs(I64(long.MinValue, -long.MaxValue)));
    }

    [Fact]
    public void PopcntCountsBitsPerByte()
    {
        Assert.Equal(U8(0, 1, 1, 2, 1, 2, 2, 3, 8, 7, 4, 4, 1, 1, 2, 4),
            SimdOps.I8x16Popcnt(U8(0, 1, 2, 3, 4, 5, 6, 7, 255, 254, 0xF0, 0x0F, 0x80, 0x10, 0x81, 0x55)));
    }

    [Fact]
    public void ShiftCountIsTakenModuloLaneWidth()
    {
        Assert.Equal(Vector128.Create((byte)2), SimdOps.I8x16Shl(Vector128.Create((byte)1), 9));
        Assert.Equal(Vector128.Create((sbyte)-64).AsByte(), SimdOps.I8x16ShrS(Vector128.Create((sbyte)-128).AsByte(), 33));
        Assert.Equal(Vector128.Create((byte)64), SimdOps.I8x16ShrU(Vector128.Create((byte)128), -7));
        Assert.Equal(Vector128.Create((short)-1).AsByte(), SimdOps.I16x8ShrS(Vector128.Create(short.MinValue).AsByte(), 15));
        Assert.Equal(Vector128.Create((short)2).AsByte(), SimdOps.I16x8Shl(Vector128.Create((short)1).AsByte(), 17));
        Assert.Equal(Vector128.Create(1).AsByte(), SimdOps.I32x4ShrU(Vector128.Create(int.MinValue).AsByte(), 63));
        Assert.Equal(Vector128.Create(int.MinValue).AsByte(), SimdOps.I32x4Shl(Vector128.Create(1).AsByte(), -1));
        Assert.Equal(Vector128.Create(-1L).AsByte(), SimdOps.I64x2ShrS(Vector128.Create(long.MinValue).AsByte(), 127));
        Assert.Equal(Vector128.Create(long.MinValue).AsByte(), SimdOps.I64x2Shl(Vector128.Create(1L).AsByte(), 63 + 64));
        Assert.Equal(Vector128.Create(1L).AsByte(), SimdOps.I64x2ShrU(Vector128.Create(long.MinValue).AsByte(), 63));
    }

    [Fact]
    public void ComparisonsGiveAllOnesOrZeroLanes()
    {
        Assert.Equal(I8(-1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            SimdOps.I8x16LtS(I8(-1, 1, 0, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), I8(0, 0, 0, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(I8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            SimdOps.I8x16LtU(I8(-1, 1, 0, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), I8(0, 0, 0, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(I32(-1, 0, -1, 0), SimdOps.I32x4GeU(I32(-1, 0, 5, 4), I32(0, 1, 5, 5)));
        Assert.Equal(I64(-1, 0), SimdOps.I64x2LtS(I64(long.MinValue, long.MaxValue), I64(0, long.MinValue)));
        Assert.Equal(I64(0, -1), SimdOps.I64x2Ne(I64(7, 7), I64(7, 8)));
    }

    [Fact]
    public void FloatComparisonsAreFalseForNaNExceptNe()
    {
        var a = F32(float.NaN, 0f, -0f, 1f);
        var b = F32(float.NaN, -0f, 0f, 2f);
        Assert.Equal(I32(0, -1, -1, 0), SimdOps.F32x4Eq(a, b));
        Assert.Equal(I32(-1, 0, 0, -1), SimdOps.F32x4Ne(a, b));
        Assert.Equal(I32(0, 0, 0, -1), SimdOps.F32x4Lt(a, b));
        Assert.Equal(I32(0, -1, -1, 0), SimdOps.F32x4Ge(a, b));
        Assert.Equal(I64(0, -1), SimdOps.F64x2Le(F64(double.NaN, 1.0), F64(double.NaN, 1.0)));
        Assert.Equal(I64(-1, 0), SimdOps.F64x2Ne(F64(double.NaN, 1.0), F64(double.NaN, 1.0)));
    }

    [Fact]
    public void AllTrueAnyTrueAndBitmask()
    {
        Assert.Equal(1, SimdOps.V128AnyTrue(I64(0, 1L << 40)));
        Assert.Equal(0, SimdOps.V128AnyTrue(Vector128<byte>.Zero));
        Assert.Equal(0, SimdOps.I8x16AllTrue(I16(-1, -1, -1, -1, -1, -1, -1, 0x00FF)));
        Assert.Equal(1, SimdOps.I16x8AllTrue(I16(1, 0x100, -1, -1, -1, -1, -1, -1)));
        Assert.Equal(0, SimdOps.I32x4AllTrue(I64(-1, unchecked((long)0xFFFF_FFFF_0000_0000))));
        Assert.Equal(1, SimdOps.I64x2AllTrue(I64(1L << 63, 1L << 32)));
        Assert.Equal(0b1000_0000_0000_0101, SimdOps.I8x16Bitmask(I8(-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -2)));
        Assert.Equal(0b1000_0010, SimdOps.I16x8Bitmask(I16(0, -1, 0, 0, 0, 0, 0, short.MinValue)));
        Assert.Equal(0b1001, SimdOps.I32x4Bitmask(I32(-5, 5, int.MaxValue, int.MinValue)));
        Assert.Equal(0b10, SimdOps.I64x2Bitmask(I64(1, -1)));
    }

    [Fact]
    public void PairwiseAddExtendedMultiplyAndDot()
    {
        Assert.Equal(I16(-256, 254, 0, 0, 0, 0, 0, 0),
            SimdOps.I16x8ExtaddPairwiseI8x16S(I8(-128, -128, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(I16(510, 1, 0, 0, 0, 0, 0, 0),
            SimdOps.I16x8ExtaddPairwiseI8x16U(U8(255, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(I32(-65536, 65534, 0, 0), SimdOps.I32x4ExtaddPairwiseI16x8S(I16(short.MinValue, short.MinValue, short.MaxValue, short.MaxValue, 0, 0, 0, 0)));
        Assert.Equal(I32(131070, 0, 0, 0), SimdOps.I32x4ExtaddPairwiseI16x8U(I16(-1, -1, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(I16(16384, 0, 0, 0, 0, 0, 0, -16129),
            SimdOps.I16x8ExtmulHighI8x16S(I8(0, 0, 0, 0, 0, 0, 0, 0, -128, 0, 0, 0, 0, 0, 0, -127), I8(0, 0, 0, 0, 0, 0, 0, 0, -128, 0, 0, 0, 0, 0, 0, 127)));
        Assert.Equal(Vector128.Create((ushort)65025, 0, 0, 0, 0, 0, 0, 0).AsByte(), SimdOps.I16x8ExtmulLowI8x16U(Vector128.Create((byte)255), U8(255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(I32(1 << 30, -32767 * 32767, 0, 0), SimdOps.I32x4ExtmulLowI16x8S(I16(short.MinValue, -32767, 0, 0, 0, 0, 0, 0), I16(short.MinValue, 32767, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(I32(0, 0, unchecked((int)0xFFFE_0001u), 0), SimdOps.I32x4ExtmulHighI16x8U(I16(0, 0, 0, 0, 0, 0, -1, 0), I16(0, 0, 0, 0, 0, 0, -1, 0)));
        Assert.Equal(I64(4611686014132420609, -4611686016279904256), SimdOps.I64x2ExtmulLowI32x4S(I32(int.MaxValue, int.MinValue, 9, 9), I32(int.MaxValue, int.MaxValue, 9, 9)));
        Assert.Equal(I64(-1, 81), SimdOps.I64x2ExtmulHighI32x4S(I32(0, 0, 1, 9), I32(0, 0, -1, 9)));
        Assert.Equal(I64(unchecked((long)0xFFFF_FFFE_0000_0001UL), 0), SimdOps.I64x2ExtmulLowI32x4U(I32(-1, 0, 0, 0), I32(-1, 0, 0, 0)));
        Assert.Equal(I64(0, unchecked((long)0xFFFF_FFFE_0000_0001UL)), SimdOps.I64x2ExtmulHighI32x4U(I32(0, 0, 0, -1), I32(0, 0, 0, -1)));
        // The single overflowing dot product wraps to INT_MIN.
        Assert.Equal(I32(int.MinValue, 11, 0, 0), SimdOps.I32x4DotI16x8S(I16(short.MinValue, short.MinValue, 1, 2, 0, 0, 0, 0), I16(short.MinValue, short.MinValue, 3, 4, 0, 0, 0, 0)));
    }

    [Fact]
    public void ExtendsWidenLowAndHighHalves()
    {
        var v = I8(-1, 2, 0, 0, 0, 0, 0, 0, -128, 0, 0, 0, 0, 0, 0, 127);
        Assert.Equal(I16(-1, 2, 0, 0, 0, 0, 0, 0), SimdOps.I16x8ExtendLowI8x16S(v));
        Assert.Equal(I16(255, 2, 0, 0, 0, 0, 0, 0), SimdOps.I16x8ExtendLowI8x16U(v));
        Assert.Equal(I16(-128, 0, 0, 0, 0, 0, 0, 127), SimdOps.I16x8ExtendHighI8x16S(v));
        Assert.Equal(I16(128, 0, 0, 0, 0, 0, 0, 127), SimdOps.I16x8ExtendHighI8x16U(v));
        Assert.Equal(I64(-1, 0), SimdOps.I64x2ExtendLowI32x4S(I32(-1, 0, 5, 6)));
        Assert.Equal(I64(5, 4294967295), SimdOps.I64x2ExtendHighI32x4U(I32(-1, 0, 5, -1)));
    }

    // ---- Shuffles and lanes ----

    [Fact]
    public void SwizzleGivesZeroForIndicesOfSixteenAndMore()
    {
        var indices = U8(15, 0, 16, 255, 128, 3, 31, 112, 17, 1, 1, 2, 14, 200, 8, 7);
        Assert.Equal(U8(15, 0, 0, 0, 0, 3, 0, 0, 0, 1, 1, 2, 14, 0, 8, 7), SimdOps.I8x16Swizzle(Sequence(), indices));
    }

    [Fact]
    public void ShuffleSelectsAcrossBothOperands()
    {
        var b = Sequence() + Vector128.Create((byte)100);
        var indices = U8(31, 0, 16, 15, 1, 17, 30, 2, 3, 19, 4, 20, 5, 21, 6, 22);
        Assert.Equal(U8(115, 0, 100, 15, 1, 101, 114, 2, 3, 103, 4, 104, 5, 105, 6, 106), SimdOps.I8x16Shuffle(Sequence(), b, indices));
    }

    [Fact]
    public void ExtractLaneSignOrZeroExtends()
    {
        var v = I16(-2, 0, 0, 0, 0, 0, 0, -32768);
        Assert.Equal(-2, SimdOps.I8x16ExtractLaneS(v, 0));
        Assert.Equal(0xFE, SimdOps.I8x16ExtractLaneU(v, 0));
        Assert.Equal(-32768, SimdOps.I16x8ExtractLaneS(v, 7));
        Assert.Equal(32768, SimdOps.I16x8ExtractLaneU(v, 7));
        Assert.Equal(long.MinValue, SimdOps.I64x2ExtractLane(I64(0, long.MinValue), 1));
    }

    [Fact]
    public void ReplaceAndExtractKeepFloatBitsExactly()
    {
        var v = SimdOps.F32x4ReplaceLane(Vector128<byte>.Zero, RuntimeSingle(0x7F80_0001), 2);
        Assert.Equal(0x7F80_0001u, BitConverter.SingleToUInt32Bits(SimdOps.F32x4ExtractLane(v, 2)));
        var w = SimdOps.F64x2ReplaceLane(Vector128<byte>.Zero, BitConverter.UInt64BitsToDouble(0xFFF0_0000_0000_0001), 1);
        Assert.Equal(0xFFF0_0000_0000_0001ul, BitConverter.DoubleToUInt64Bits(SimdOps.F64x2ExtractLane(w, 1)));
        Assert.Equal(I16(0, 0, 0, 0x1234, 0, 0, 0, 0), SimdOps.I16x8ReplaceLane(Vector128<byte>.Zero, 0x7_1234, 3));
        Assert.Equal(U8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAB), SimdOps.I8x16ReplaceLane(Vector128<byte>.Zero, 0x1AB, 15));
    }

    [Fact]
    public void SplatsTruncateToLaneWidth()
    {
        Assert.Equal(Vector128.Create((byte)0x34), SimdOps.I8x16Splat(0x1234));
        Assert.Equal(Vector128.Create((short)-1).AsByte(), SimdOps.I16x8Splat(0x1FFFF));
        Assert.Equal(Vector128.Create(0x1_0000_0002L).AsByte(), SimdOps.I64x2Splat(0x1_0000_0002L));
        Assert.Equal(F32Bits(0x7F80_0001, 0x7F80_0001, 0x7F80_0001, 0x7F80_0001), SimdOps.F32x4Splat(RuntimeSingle(0x7F80_0001)));
    }

    [Fact]
    public void BitselectTakesFirstOperandWhereMaskIsSet()
    {
        var mask = I64(unchecked((long)0xFF00_FF00_F0F0_0F0FUL), 0);
        Assert.Equal(I64(unchecked((long)0xAA11_AA11_A1A1_1A1AUL), 0x1111_1111_1111_1111),
            SimdOps.V128Bitselect(Vector128.Create((byte)0xAA), Vector128.Create((byte)0x11), mask));
        Assert.Equal(Vector128.Create((byte)0x0F), SimdOps.V128Andnot(Vector128.Create((byte)0xFF), Vector128.Create((byte)0xF0)));
    }

    // ---- Float lanes ----

    [Fact]
    public void FloatMinMaxFollowWasmNaNAndZeroRules()
    {
        var a = F32Bits(0x8000_0000, 0x7FC0_0000, 0x7F80_0001, 0x3F80_0000);
        var b = F32Bits(0x0000_0000, 0x3F80_0000, 0x3F80_0000, 0x4000_0000);
        var min = F32Lanes(SimdOps.F32x4Min(a, b));
        Assert.Equal(0x8000_0000u, min[0]);
        Assert.Equal(0x7FC0_0000u, min[1]);
        Assert.True(min[2] is >= 0x7FC0_0001 and <= 0x7FFF_FFFF);
        Assert.Equal(0x3F80_0000u, min[3]);
        var max = F32Lanes(SimdOps.F32x4Max(b, a));
        Assert.Equal(0u, max[0]);
        Assert.Equal(0x7FC0_0000u, max[1]);
        Assert.True(max[2] is >= 0x7FC0_0001 and <= 0x7FFF_FFFF);
        Assert.Equal(0x4000_0000u, max[3]);
        var dmin = F64Lanes(SimdOps.F64x2Min(F64(0.0, 1.0), F64(-0.0, double.NaN)));
        Assert.Equal(0x8000_0000_0000_0000ul, dmin[0]);
        Assert.Equal(0x7FF8_0000_0000_0000ul, dmin[1] & 0x7FFF_FFFF_FFFF_FFFF);
        Assert.Equal(F64Bits(0, 0x7FF8_0000_0000_0000), SimdOps.F64x2Max(F64(-0.0, 1.0), F64(0.0, BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0000))));
    }

    [Fact]
    public void PseudoMinMaxReturnFirstOperandUnlessSecondIsStrictlyBeyond()
    {
        var a = F32(-0f, float.NaN, 1f, 3f);
        var b = F32(0f, 1f, float.NaN, 2f);
        Assert.Equal(F32Bits(0x8000_0000, BitConverter.SingleToUInt32Bits(float.NaN), 0x3F80_0000, 0x4000_0000), SimdOps.F32x4Pmin(a, b));
        Assert.Equal(F32Bits(0x8000_0000, BitConverter.SingleToUInt32Bits(float.NaN), 0x3F80_0000, 0x4040_0000), SimdOps.F32x4Pmax(a, b));
        Assert.Equal(F64(0.0, 1.0), SimdOps.F64x2Pmin(F64(0.0, 1.0), F64(-0.0, 2.0)));
        Assert.Equal(F64(0.0, 2.0), SimdOps.F64x2Pmax(F64(0.0, 1.0), F64(-0.0, 2.0)));
    }

    [Fact]
    public void AbsAndNegAreBitOperations()
    {
        Assert.Equal(F32Bits(0x7F80_0001, 0, 0x7FC0_0000, 1), SimdOps.F32x4Abs(F32Bits(0xFF80_0001, 0x8000_0000, 0x7FC0_0000, 0x8000_0001)));
        Assert.Equal(F32Bits(0xFF80_0001, 0x8000_0000, 0, 0x8000_0001), SimdOps.F32x4Neg(F32Bits(0x7F80_0001, 0, 0x8000_0000, 1)));
        Assert.Equal(F64Bits(0x7FF0_0000_0000_0001, 0x8000_0000_0000_0000), SimdOps.F64x2Neg(F64Bits(0xFFF0_0000_0000_0001, 0)));
        Assert.Equal(F64Bits(0x7FF0_0000_0000_0001, 0), SimdOps.F64x2Abs(F64Bits(0xFFF0_0000_0000_0001, 0x8000_0000_0000_0000)));
    }

    [Fact]
    public void LaneRoundingMatchesScalarRules()
    {
        Assert.Equal(F32Bits(0x8000_0000, 0x4000_0000, 0x4000_0000, 0xC080_0000), SimdOps.F32x4Nearest(F32(-0.5f, 1.5f, 2.5f, -3.5f)));
        Assert.Equal(F32Bits(0x8000_0000, 0x4000_0000, 0x4040_0000, 0xC040_0000), SimdOps.F32x4Ceil(F32(-0.5f, 1.5f, 2.5f, -3.5f)));
        Assert.Equal(F32Bits(0xBF80_0000, 0x3F80_0000, 0x4000_0000, 0xC080_0000), SimdOps.F32x4Floor(F32(-0.5f, 1.5f, 2.5f, -3.5f)));
        Assert.Equal(F32Bits(0x8000_0000, 0x3F80_0000, 0x4000_0000, 0xC040_0000), SimdOps.F32x4Trunc(F32(-0.5f, 1.5f, 2.5f, -3.5f)));
        Assert.Equal(F64(-0.0, 4503599627370497.0), SimdOps.F64x2Nearest(F64(-0.5, 4503599627370497.0)));
        Assert.Equal(F64(-0.0, 2.0), SimdOps.F64x2Ceil(F64(-0.5, 1.5)));
        Assert.Equal(F64(-1.0, 1.0), SimdOps.F64x2Floor(F64(-0.5, 1.5)));
        Assert.Equal(F64(-0.0, 1.0), SimdOps.F64x2Trunc(F64(-0.5, 1.5)));
        var quiet = F32Lanes(SimdOps.F32x4Ceil(F32Bits(0x7F80_0001, 0, 0, 0)));
        Assert.True((quiet[0] & 0x7FC0_0000) == 0x7FC0_0000);
    }

    [Fact]
    public void TruncSatPerLaneSaturatesAndMapsNaNToZero()
    {
        var v = F32(float.NaN, 2147483648f, -2147483904f, -1.5f);
        Assert.Equal(I32(0, int.MaxValue, int.MinValue, -1), SimdOps.I32x4TruncSatF32x4S(v));
        Assert.Equal(I32(0, int.MinValue, 0, 0), SimdOps.I32x4TruncSatF32x4U(v));
        Assert.Equal(I32(-1, -256, 0, 1), SimdOps.I32x4TruncSatF32x4U(F32(float.PositiveInfinity, 4294967040f, -0f, 1.9f)));
        Assert.Equal(I32(int.MinValue, int.MaxValue, 0, 0), SimdOps.I32x4TruncSatF64x2SZero(F64(-1e300, 2147483647.9)));
        Assert.Equal(I32(0, -1, 0, 0), SimdOps.I32x4TruncSatF64x2UZero(F64(double.NaN, 4294967296.0)));
    }

    [Fact]
    public void UnsignedLaneConversionRoundsOnce()
    {
        var v = I32(-1, unchecked((int)0x8000_0081), unchecked((int)0x8000_0080), 16777217);
        Assert.Equal(F32(4294967296f, 2147483904f, 2147483648f, 16777216f), SimdOps.F32x4ConvertI32x4U(v));
        Assert.Equal(F32(-1f, -2147483520f, -2147483520f, 16777216f), SimdOps.F32x4ConvertI32x4S(v));
        Assert.Equal(F64(4294967295.0, 2147483777.0), SimdOps.F64x2ConvertLowI32x4U(v));
        Assert.Equal(F64(-1.0, -2147483519.0), SimdOps.F64x2ConvertLowI32x4S(v));
    }

    [Fact]
    public void DemoteZeroesUpperLanesAndPromoteTakesLowerLanes()
    {
        var demoted = F32Lanes(SimdOps.F32x4DemoteF64x2Zero(F64Bits(0x7FF0_0000_0000_0001, BitConverter.DoubleToUInt64Bits(1e300))));
        Assert.True((demoted[0] & 0x7FC0_0000) == 0x7FC0_0000);
        Assert.Equal(0x7F80_0000u, demoted[1]);
        Assert.Equal(0u, demoted[2]);
        Assert.Equal(0u, demoted[3]);
        var promoted = F64Lanes(SimdOps.F64x2PromoteLowF32x4(F32Bits(0x7FC0_0000, 0x3F80_0000, 0x7F80_0001, 0)));
        Assert.Equal(0x7FF8_0000_0000_0000ul, promoted[0]);
        Assert.Equal(BitConverter.DoubleToUInt64Bits(1.0), promoted[1]);
    }

    // ---- Memory ----

    [Fact]
    public void LoadsExtendSplatAndZeroFromUnalignedAddresses()
    {
        byte* buffer = stackalloc byte[40];
        for (int i = 0; i < 40; i++) buffer[i] = (byte)(0x80 + i);
        byte* p = buffer + 3;
        Assert.Equal(Vector128.Create((byte)0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91, 0x92), SimdOps.V128Load(p));
        Assert.Equal(I16(-125, -124, -123, -122, -121, -120, -119, -118), SimdOps.V128Load8x8S(p));
        Assert.Equal(I16(0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A), SimdOps.V128Load8x8U(p));
        Assert.Equal(I32(unchecked((short)0x8483), unchecked((short)0x8685), unchecked((short)0x8887), unchecked((short)0x8A89)), SimdOps.V128Load16x4S(p));
        Assert.Equal(I32(0x8483, 0x8685, 0x8887, 0x8A89), SimdOps.V128Load16x4U(p));
        Assert.Equal(I64(unchecked((int)0x8685_8483), unchecked((int)0x8A89_8887)), SimdOps.V128Load32x2S(p));
        Assert.Equal(I64(0x8685_8483, 0x8A89_8887), SimdOps.V128Load32x2U(p));
        Assert.Equal(Vector128.Create((byte)0x83), SimdOps.V128Load8Splat(p));
        Assert.Equal(Vector128.Create((ushort)0x8483).AsByte(), SimdOps.V128Load16Splat(p));
        Assert.Equal(Vector128.Create(0x8685_8483u).AsByte(), SimdOps.V128Load32Splat(p));
        Assert.Equal(Vector128.Create(0x8A89_8887_8685_8483ul).AsByte(), SimdOps.V128Load64Splat(p));
        Assert.Equal(Vector128.Create(0x8685_8483u, 0, 0, 0).AsByte(), SimdOps.V128Load32Zero(p));
        Assert.Equal(Vector128.Create(0x8A89_8887_8685_8483ul, 0).AsByte(), SimdOps.V128Load64Zero(p));
    }

    [Fact]
    public void LaneLoadsReplaceOneLaneAndLaneStoresWriteOnlyThatLane()
    {
        byte* buffer = stackalloc byte[24];
        for (int i = 0; i < 24; i++) buffer[i] = (byte)i;
        var v = Vector128.Create((byte)0xEE);
        Assert.Equal(v.WithElement(5, (byte)1), SimdOps.V128Load8Lane(buffer + 1, v, 5));
        Assert.Equal(v.AsUInt16().WithElement(7, (ushort)0x0201).AsByte(), SimdOps.V128Load16Lane(buffer + 1, v, 7));
        Assert.Equal(v.AsUInt32().WithElement(2, 0x0403_0201u).AsByte(), SimdOps.V128Load32Lane(buffer + 1, v, 2));
        Assert.Equal(v.AsUInt64().WithElement(1, 0x0807_0605_0403_0201ul).AsByte(), SimdOps.V128Load64Lane(buffer + 1, v, 1));

        var source = Sequence() + Vector128.Create((byte)0x40);
        SimdOps.V128Store8Lane(buffer + 1, source, 15);
        SimdOps.V128Store16Lane(buffer + 3, source, 1);
        SimdOps.V128Store32Lane(buffer + 5, source, 3);
        SimdOps.V128Store64Lane(buffer + 9, source, 0);
        byte[] expected = [0, 0x4F, 2, 0x42, 0x43, 0x4C, 0x4D, 0x4E, 0x4F, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 17];
        Assert.Equal(expected, new ReadOnlySpan<byte>(buffer, 18).ToArray());
        SimdOps.V128Store(buffer + 0, Vector128<byte>.Zero);
        Assert.All(new ReadOnlySpan<byte>(buffer, 16).ToArray(), b => Assert.Equal(0, b));
    }
}
