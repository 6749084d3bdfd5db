using IronWasm.Text;

namespace IronWasm.Tests.Text;

public sealed class LexerTests
{
    private static List<(WatTokenKind Kind, string Text)> Tokens(string source)
    {
        var tokens = new List<(WatTokenKind, string)>();
        var lexer = new WatLexer(source, 0);
        while (true)
        {
            var token = lexer.Read();
            if (token.Kind == WatTokenKind.EndOfInput) return tokens;
            tokens.Add((token.Kind, source.Substring(token.Start, token.Length)));
        }
    }

    [Fact]
    public void ParenthesesDelimitTokensWithoutWhiteSpace()
    {
        Assert.Equal(
            [(WatTokenKind.LeftParen, "("), (WatTokenKind.Keyword, "func"), (WatTokenKind.Identifier, "$f"),
             (WatTokenKind.LeftParen, "("), (WatTokenKind.Keyword, "nop"), (WatTokenKind.RightParen, ")"),
             (WatTokenKind.RightParen, ")")],
            Tokens("(func $f(nop))"));
    }

    [Fact]
    public void LineAndNestedBlockCommentsAreSkipped()
    {
        Assert.Equal(
            [(WatTokenKind.Keyword, "a"), (WatTokenKind.Keyword, "b"), (WatTokenKind.Keyword, "c")],
            Tokens("a ;; comment ) (\n(; outer (; inner ;) still \"comment ;)b(;;)c;;"));
    }

    [Fact]
    public void AnUnclosedBlockCommentIsAnError()
    {
        Assert.Throws<WasmFormatException>(() => Tokens("(; open (; nested ;)"));
    }

    [Fact]
    public void AnUnclosedStringIsAnError()
    {
        Assert.Throws<WasmFormatException>(() => Tokens("\"abc\\\""));
    }

    [Theory]
    [InlineData("0drop")]
    [InlineData("$l\"a\"")]
    [InlineData("\"a\"\"b\"")]
    [InlineData("\"a\"x")]
    [InlineData("$")]
    [InlineData("0$l")]
    public void RunsOfIdentifierCharactersAndStringsThatFormNoTokenAreReserved(string text)
    {
        var tokens = Tokens(text);
        Assert.Equal([(WatTokenKind.Reserved, text)], tokens);
    }

    [Theory]
    [InlineData("$l$l", nameof(WatTokenKind.Identifier))]
    [InlineData("$a.b-c!#%&'*+/:<=>?@\\^_`|~", nameof(WatTokenKind.Identifier))]
    [InlineData("i32.const0", nameof(WatTokenKind.Keyword))]
    [InlineData("offset=4", nameof(WatTokenKind.Keyword))]
    [InlineData("nan:canonical", nameof(WatTokenKind.Keyword))]
    [InlineData("nan:0x1f", nameof(WatTokenKind.Float))]
    [InlineData("inf", nameof(WatTokenKind.Float))]
    [InlineData("\"a b\"", nameof(WatTokenKind.String))]
    public void WordsAreClassified(string text, string kind)
    {
        Assert.Equal([(Enum.Parse<WatTokenKind>(kind), text)], Tokens(text));
    }

    [Theory]
    [InlineData("a ;; comment\nb")]
    [InlineData("a ;; comment\rb")]
    [InlineData("a ;; comment\r\nb")]
    public void LineCommentsEndAtAnyNewline(string text)
    {
        Assert.Equal([(WatTokenKind.Keyword, "a"), (WatTokenKind.Keyword, "b")], Tokens(text));
    }

    [Fact]
    public void AnnotationsAreSkippedLikeComments()
    {
        Assert.Equal(
            [(WatTokenKind.Keyword, "a"), (WatTokenKind.Keyword, "b")],
            Tokens("a (@custom \"name\" (after func) \")\") b"));
    }
}
