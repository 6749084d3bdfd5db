using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Wit;

public class WitLexerTests
{
    private static List<WitToken> Lex(string text) => WitLexer.Tokenize(text, "t.wit");

    [Fact]
    public void LineDocCommentsRideOnTheNextToken()
    {
        var tokens = Lex("/// first\n/// second\nrecord");
        Assert.Equal("first\nsecond", tokens[0].Docs);
        Assert.True(tokens[0].IsKeyword("record"));
    }

    [Fact]
    public void BlockDocCommentIsTrimmedPerLine()
    {
        var tokens = Lex("/**\n   Two\n   lines\n*/ enum");
        Assert.Equal("Two\nlines", tokens[0].Docs);
    }

    [Fact]
    public void OrdinaryCommentsAreNotDocs()
    {
        var tokens = Lex("// plain\n//// four slashes\n/* block */ /**/ u8");
        Assert.Null(tokens[0].Docs);
        Assert.True(tokens[0].IsKeyword("u8"));
    }

    [Fact]
    public void BlockCommentsNest()
    {
        var tokens = Lex("/* outer /* inner */ still comment */ u32");
        Assert.True(tokens[0].IsKeyword("u32"));
    }

    [Fact]
    public void PercentEscapesKeywordsIntoIdentifiers()
    {
        var tokens = Lex("%flags flags");
        Assert.Equal((WitTokenKind.Identifier, "flags"), (tokens[0].Kind, tokens[0].Text));
        Assert.Equal(WitTokenKind.Keyword, tokens[1].Kind);
    }

    [Fact]
    public void VersionIsOneTokenAndStopsBeforePeriodBrace()
    {
        var tokens = Lex("a@0.2.0-draft+build.7.{x}");
        Assert.Equal([WitTokenKind.Identifier, WitTokenKind.At, WitTokenKind.Number, WitTokenKind.Period, WitTokenKind.LeftBrace],
            tokens.Take(5).Select(t => t.Kind));
        Assert.Equal("0.2.0-draft+build.7", tokens[2].Text);
    }

    [Fact]
    public void ArrowAndUnderscoreAreOperators()
    {
        var tokens = Lex("-> _");
        Assert.Equal([WitTokenKind.Arrow, WitTokenKind.Underscore, WitTokenKind.EndOfFile], tokens.Select(t => t.Kind));
    }

    [Fact]
    public void TokensCarryLineAndColumn()
    {
        var tokens = Lex("interface\n  foo");
        Assert.Equal((2, 3), (tokens[1].Position.Line, tokens[1].Position.Column));
    }

    [Theory]
    [InlineData("fooBar", 1, 1)]
    [InlineData("  foo--bar", 1, 3)]
    [InlineData("x\n a_b", 2, 2)]
    [InlineData("foo-1x", 1, 1)]
    public void InvalidIdentifiersAreRejectedAtTheirStart(string text, int line, int column)
    {
        var error = Assert.Throws<WitException>(() => Lex(text));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains("invalid identifier", error.Reason);
    }

    [Fact]
    public void AcronymWordsAreValidIdentifiers()
    {
        Assert.Equal("super-plus-X2", Lex("super-plus-X2")[0].Text);
    }

    [Fact]
    public void UnterminatedBlockCommentPointsAtItsStart()
    {
        var error = Assert.Throws<WitException>(() => Lex("u8\n  /* /* */"));
        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.Equal("t.wit:2:3: unterminated block comment", error.Message);
    }

    [Fact]
    public void BidirectionalOverrideIsRejected()
    {
        var error = Assert.Throws<WitException>(() => Lex("// a \u202E b\n"));
        Assert.Contains("not allowed", error.Reason);
    }

    [Fact]
    public void StringLiteralsDecodeEscapes()
    {
        var token = Lex("\"a\\t\\u{2603}\\41\"")[0];
        Assert.Equal((WitTokenKind.String, "a\t\u2603A"), (token.Kind, token.Text));
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("0.2.0-draft", true)]
    [InlineData("1.0.0-rc.1+build.5", true)]
    [InlineData("1.0", false)]
    [InlineData("01.0.0", false)]
    [InlineData("1.0.0-01", false)]
    [InlineData("1.0.0+", false)]
    public void SemverValidation(string version, bool valid) => Assert.Equal(valid, WitSemver.IsValid(version));
}
