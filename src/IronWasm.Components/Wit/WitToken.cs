namespace IronWasm.Components.Wit;

internal enum WitTokenKind
{
    EndOfFile,
    /// <summary>A kebab-case label; for a %-escaped identifier, the text without the '%'.</summary>
    Identifier,
    Keyword,
    /// <summary>Digits and what may follow them in a semantic version ("0.2.0-draft+build"); the
    /// parser decides whether it wants an integer or a version.</summary>
    Number,
    String,
    Equals, Comma, Colon, Semicolon, LeftParen, RightParen, LeftBrace, RightBrace,
    LessThan, GreaterThan, Star, Arrow, Slash, Period, At, Underscore,
}

/// <summary>One token. <see cref="Docs"/> holds the doc comments (/// and /** */) written
/// between the previous token and this one, so the parser can give them to the item this
/// token starts.</summary>
internal readonly record struct WitToken(WitTokenKind Kind, string Text, int Offset, int Length, WitSourcePosition Position, string? Docs)
{
    public int End => Offset + Length;

    public bool IsKeyword(string keyword) => Kind == WitTokenKind.Keyword && Text == keyword;

    public string Describe() => Kind switch
    {
        WitTokenKind.EndOfFile => "end of file",
        WitTokenKind.Identifier => $"identifier `{Text}`",
        WitTokenKind.Keyword => $"keyword `{Text}`",
        WitTokenKind.Number => $"number `{Text}`",
        WitTokenKind.String => "string literal",
        _ => $"`{Text}`",
    };
}
