using IronWasm.Text;

namespace IronWasm.Tests.Text;

public sealed class IntegerLiteralTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("4294967295", 0xFFFFFFFFUL)]
    [InlineData("-2147483648", 0x80000000UL)]
    [InlineData("-1", 0xFFFFFFFFUL)]
    [InlineData("+0x7fff_ffff", 0x7FFFFFFFUL)]
    [InlineData("0xFFFF_FFFF", 0xFFFFFFFFUL)]
    [InlineData("1_000_000", 1000000UL)]
    [InlineData("-0x8000_0000", 0x80000000UL)]
    public void I32LiteralsGiveTheirTwosComplementBits(string literal, ulong bits)
    {
        Assert.Equal(WatNumbers.Result.Ok, WatNumbers.ParseInteger(literal, 32, out ulong value));
        Assert.Equal(bits, value);
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("-2147483649")]
    [InlineData("0x1_0000_0000")]
    [InlineData("-0x80000001")]
    public void I32LiteralsOutsideSignedAndUnsignedRangeAreRejected(string literal) =>
        Assert.Equal(WatNumbers.Result.OutOfRange, WatNumbers.ParseInteger(literal, 32, out _));

    [Theory]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("-9223372036854775808", 0x8000000000000000UL)]
    [InlineData("0x7fffffffffffffff", 0x7FFFFFFFFFFFFFFFUL)]
    public void I64LiteralsCoverTheFullRange(string literal, ulong bits)
    {
        Assert.Equal(WatNumbers.Result.Ok, WatNumbers.ParseInteger(literal, 64, out ulong value));
        Assert.Equal(bits, value);
    }

    [Theory]
    [InlineData("18446744073709551616")]
    [InlineData("-9223372036854775809")]
    [InlineData("0x10000000000000000")]
    [InlineData("99999999999999999999999999")]
    public void I64LiteralsBeyondSixtyFourBitsAreRejected(string literal) =>
        Assert.Equal(WatNumbers.Result.OutOfRange, WatNumbers.ParseInteger(literal, 64, out _));

    [Theory]
    [InlineData("12", nameof(WatTokenKind.Natural))]
    [InlineData("0x1_F", nameof(WatTokenKind.Natural))]
    [InlineData("+12", nameof(WatTokenKind.Integer))]
    [InlineData("-0x1", nameof(WatTokenKind.Integer))]
    [InlineData("1.5", nameof(WatTokenKind.Float))]
    [InlineData("1e5", nameof(WatTokenKind.Float))]
    [InlineData("-0x1.8p-3", nameof(WatTokenKind.Float))]
    [InlineData("0x1p+3", nameof(WatTokenKind.Float))]
    [InlineData("+inf", nameof(WatTokenKind.Float))]
    [InlineData("-nan:0x1", nameof(WatTokenKind.Float))]
    [InlineData("0x", nameof(WatTokenKind.Reserved))]
    [InlineData("1x", nameof(WatTokenKind.Reserved))]
    [InlineData("_1", nameof(WatTokenKind.Reserved))]
    [InlineData("1__0", nameof(WatTokenKind.Reserved))]
    [InlineData("1_", nameof(WatTokenKind.Reserved))]
    [InlineData("0x_1", nameof(WatTokenKind.Reserved))]
    [InlineData(".5", nameof(WatTokenKind.Reserved))]
    [InlineData("1e", nameof(WatTokenKind.Reserved))]
    [InlineData("1e+_1", nameof(WatTokenKind.Reserved))]
    [InlineData("0x1p", nameof(WatTokenKind.Reserved))]
    [InlineData("0x1pA", nameof(WatTokenKind.Reserved))]
    [InlineData("-nan:1", nameof(WatTokenKind.Reserved))]
    public void NumberTokensAreClassifiedByTheGrammar(string literal, string kind) =>
        Assert.Equal(Enum.Parse<WatTokenKind>(kind), WatNumbers.Classify(literal));
}
