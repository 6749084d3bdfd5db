using IronWasm.Binary;
using IronWasm.Text;

namespace IronWasm.Tests.Text;

public sealed class FloatLiteralTests
{
    private static uint F32(string literal)
    {
        Assert.Equal(WatNumbers.Result.Ok, WatNumbers.ParseFloat(literal, WatNumbers.Single, out ulong bits));
        return (uint)bits;
    }

    private static ulong F64(string literal)
    {
        Assert.Equal(WatNumbers.Result.Ok, WatNumbers.ParseFloat(literal, WatNumbers.Double, out ulong bits));
        return bits;
    }

    [Theory]
    [InlineData("0x1p0", 0x3F800000u)]
    [InlineData("0x1.000002p0", 0x3F800001u)]          // exactly one ulp above 1
    [InlineData("0x1.000001p0", 0x3F800000u)]          // half an ulp: tie, to even (down)
    [InlineData("0x1.000003p0", 0x3F800002u)]          // one and a half ulps: tie, to even (up)
    [InlineData("0x1.0000010000000000001p0", 0x3F800001u)] // just above the tie, in a digit far beyond 64 bits
    [InlineData("0x1.0000008p0", 0x3F800000u)]         // a quarter ulp: down
    [InlineData("0x8000_0000p-31", 0x3F800000u)]
    [InlineData("0x.8p1", 0x3F800000u)]
    [InlineData("-0x1p0", 0xBF800000u)]
    public void HexadecimalF32RoundsToNearestTiesToEven(string literal, uint bits) =>
        Assert.Equal(bits, F32(literal));

    [Theory]
    [InlineData("0x1p-149", 0x00000001u)]               // smallest subnormal
    [InlineData("0x1p-150", 0x00000000u)]               // half of it: tie, to even zero
    [InlineData("0x1.000002p-150", 0x00000001u)]        // above the tie
    [InlineData("0x1.8p-149", 0x00000002u)]             // 1.5 subnormal ulps: tie, to even
    [InlineData("0x1.fffffcp-127", 0x007FFFFFu)]        // largest subnormal
    [InlineData("0x1.fffffep-127", 0x00800000u)]        // rounds up into the smallest normal
    [InlineData("0x1p-126", 0x00800000u)]
    [InlineData("-0x1p-1000", 0x80000000u)]             // far below: signed zero
    public void HexadecimalF32HandlesSubnormalsAndUnderflow(string literal, uint bits) =>
        Assert.Equal(bits, F32(literal));

    [Theory]
    [InlineData("0x1.fffffep127", 0x7F7FFFFFu)]
    [InlineData("0x1.fffffefffffffffffp127", 0x7F7FFFFFu)] // below the tie with infinity
    [InlineData("340282356779733661637539395458142568447", 0x7F7FFFFFu)]
    public void LargestF32ValuesStayFinite(string literal, uint bits) =>
        Assert.Equal(bits, F32(literal));

    [Theory]
    [InlineData("0x1p128")]
    [InlineData("0x1.ffffffp127")]                      // tie with 2^128 rounds to even, which is infinite
    [InlineData("1e39")]
    [InlineData("340282356779733661637539395458142568448")]
    [InlineData("nan:0x0")]
    [InlineData("nan:0x80_0000")]
    public void F32LiteralsThatRoundToInfinityOrHaveBadPayloadsAreOutOfRange(string literal) =>
        Assert.Equal(WatNumbers.Result.OutOfRange, WatNumbers.ParseFloat(literal, WatNumbers.Single, out _));

    [Theory]
    [InlineData("1.000000059604644775390625", 0x3F800000u)]  // exactly 1 + 2^-24: tie, to even
    [InlineData("1.000000059604644775390625000000000000000000000000000000000000000000000001", 0x3F800001u)]
    [InlineData("1.000000178813934326171875", 0x3F800002u)]  // exactly 1 + 3*2^-24: tie, to even (up)
    [InlineData("1e-45", 0x00000001u)]
    [InlineData("1_000.000_1", 0x447A0002u)]   // 1.64 ulps above 1000
    [InlineData("1.", 0x3F800000u)]
    [InlineData("1.e1", 0x41200000u)]
    [InlineData("-0.0", 0x80000000u)]
    [InlineData("+1E+1", 0x41200000u)]
    public void DecimalF32RoundsToNearestTiesToEven(string literal, uint bits) =>
        Assert.Equal(bits, F32(literal));

    [Theory]
    [InlineData("0x1p-1074", 0x0000000000000001UL)]
    [InlineData("0x1p-1075", 0x0000000000000000UL)]
    [InlineData("0x1.8p-1075", 0x0000000000000001UL)]
    [InlineData("0x1.fffffffffffff7ffffp1023", 0x7FEFFFFFFFFFFFFFUL)]
    [InlineData("0x1.00000000000008p0", 0x3FF0000000000000UL)]
    [InlineData("0x1.00000000000018p0", 0x3FF0000000000002UL)]
    [InlineData("0x1.000000000000080000000001p0", 0x3FF0000000000001UL)]
    [InlineData("1.00000000000000011102230246251565404236316680908203125", 0x3FF0000000000000UL)]
    [InlineData("1.00000000000000011102230246251565404236316680908203125000000001", 0x3FF0000000000001UL)]
    [InlineData("4.9406564584124654e-324", 0x0000000000000001UL)]
    public void F64RoundsToNearestTiesToEven(string literal, ulong bits) =>
        Assert.Equal(bits, F64(literal));

    [Theory]
    [InlineData("0x1.fffffffffffff8p1023")]             // tie with 2^1024 rounds to even, which is infinite
    [InlineData("0x1p1024")]
    [InlineData("1e309")]
    [InlineData("nan:0x10_0000_0000_0000")]
    public void F64LiteralsThatRoundToInfinityOrHaveBadPayloadsAreOutOfRange(string literal) =>
        Assert.Equal(WatNumbers.Result.OutOfRange, WatNumbers.ParseFloat(literal, WatNumbers.Double, out _));

    [Theory]
    [InlineData("nan", 0x7FC00000u)]
    [InlineData("+nan", 0x7FC00000u)]
    [InlineData("-nan", 0xFFC00000u)]
    [InlineData("nan:0x1", 0x7F800001u)]
    [InlineData("-nan:0x7f_ffff", 0xFFFFFFFFu)]
    [InlineData("inf", 0x7F800000u)]
    [InlineData("-inf", 0xFF800000u)]
    public void F32SpecialValuesKeepSignAndPayload(string literal, uint bits) =>
        Assert.Equal(bits, F32(literal));

    [Theory]
    [InlineData("nan", 0x7FF8000000000000UL)]
    [InlineData("-nan:0x4000000000000", 0xFFF4000000000000UL)]
    [InlineData("nan:0xf_ffff_ffff_ffff", 0x7FFFFFFFFFFFFFFFUL)]
    [InlineData("-inf", 0xFFF0000000000000UL)]
    public void F64SpecialValuesKeepSignAndPayload(string literal, ulong bits) =>
        Assert.Equal(bits, F64(literal));

    /// <summary>const.wast pairs a module returning a literal with the literal's exact value written another
    /// way (usually in hexadecimal): the two must give the same bits.</summary>
    [SpecSuiteFact]
    public void ConstScriptLiteralsAgreeWithTheirExpectedValues()
    {
        var script = WastParser.Parse(SpecSuite.ReadScript("const.wast"), "const.wast");
        int compared = 0;
        for (int i = 0; i + 1 < script.Commands.Count; i++)
        {
            if (script.Commands[i] is not WastModuleCommand { Module.Binary: { } binary }) continue;
            if (script.Commands[i + 1] is not WastAssertReturn { Expected: [{ Kind: ValueKind.F32 or ValueKind.F64 } expected] } assert) continue;
            var module = ModuleDecoder.Decode(binary);
            var body = module.Bodies[0];
            var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
            var instruction = reader.Read();
            Assert.True(expected.Bits == instruction.FloatBits, $"line {script.Commands[i].Line}: 0x{instruction.FloatBits:X} != 0x{expected.Bits:X}");
            compared++;
        }
        Assert.True(compared > 200, $"only {compared} literals compared");
    }
}
