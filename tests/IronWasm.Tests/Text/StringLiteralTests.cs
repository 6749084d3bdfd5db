using IronWasm.Text;

namespace IronWasm.Tests.Text;

public sealed class StringLiteralTests
{
    private static byte[] Decode(string literal)
    {
        var buffer = new ByteBuffer();
        WatStrings.Decode(literal, new WatToken(WatTokenKind.String, 0, literal.Length), buffer);
        return buffer.ToArray();
    }

    [Fact]
    public void SimpleEscapesGiveTheirCharacters()
    {
        Assert.Equal("\t\n\r\"'\\"u8.ToArray(), Decode("\"\\t\\n\\r\\\"\\'\\\\\""));
    }

    [Fact]
    public void HexadecimalEscapesGiveArbitraryBytes()
    {
        Assert.Equal(new byte[] { 0x00, 0xFF, 0xAb, 0x7F }, Decode("\"\\00\\ff\\Ab\\7f\""));
    }

    [Fact]
    public void UnicodeEscapesAreEncodedAsUtf8()
    {
        Assert.Equal("A\u00E9\u20AC\U0001F600"u8.ToArray(), Decode("\"\\u{41}\\u{e9}\\u{20_AC}\\u{1F600}\""));
    }

    [Fact]
    public void CharactersOutsideAsciiAreEncodedAsUtf8()
    {
        Assert.Equal("h\u00E9\U0001F600"u8.ToArray(), Decode("\"h\u00E9\U0001F600\""));
    }

    [Theory]
    [InlineData("\"\\u{D800}\"")]
    [InlineData("\"\\u{110000}\"")]
    [InlineData("\"\\u{}\"")]
    [InlineData("\"\\u41\"")]
    [InlineData("\"\\x41\"")]
    [InlineData("\"\\4\"")]
    [InlineData("\"tab\there\"")]
    public void InvalidEscapesAndControlCharactersAreRejected(string literal)
    {
        Assert.Throws<WasmFormatException>(() => Decode(literal));
    }

    [Fact]
    public void NamesMustBeValidUtf8()
    {
        var text = "\"\\80\"";
        var error = Assert.Throws<WasmFormatException>(() =>
            WatStrings.DecodeName(text, new WatToken(WatTokenKind.String, 0, text.Length), new ByteBuffer()));
        Assert.StartsWith("malformed UTF-8 encoding", error.Reason);
    }
}
