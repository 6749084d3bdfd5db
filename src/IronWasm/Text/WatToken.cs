namespace IronWasm.Text;

/// <summary>The token classes of the WebAssembly text format (the spec's lexical format).</summary>
internal enum WatTokenKind : byte
{
    EndOfInput,
    LeftParen,
    RightParen,
    /// <summary>Starts with a lower-case letter: instruction names, field keywords, <c>offset=4</c>, <c>nan:0x1</c> ...</summary>
    Keyword,
    /// <summary><c>$name</c>.</summary>
    Identifier,
    String,
    /// <summary>An unsigned integer literal (uN): <c>12</c>, <c>0x1_F</c>.</summary>
    Natural,
    /// <summary>A signed integer literal (sN): <c>+1</c>, <c>-0x10</c>.</summary>
    Integer,
    /// <summary>A float literal that is not also an integer literal: <c>1.5</c>, <c>-0x1p3</c>, <c>inf</c>, <c>nan:0x7</c>.</summary>
    Float,
    /// <summary>Characters that form no valid token (<c>0x</c>, <c>1x</c>, <c>$a"b"</c>): always an error when read.</summary>
    Reserved,
}

/// <summary>A token as a span of the source text; its value is decoded only when the parser asks for it.</summary>
internal readonly record struct WatToken(WatTokenKind Kind, int Start, int Length)
{
    public int End => Start + Length;

    /// <summary>Any literal that a float immediate accepts (the spec lets integer literals stand for floats).</summary>
    public bool IsNumber => Kind is WatTokenKind.Natural or WatTokenKind.Integer or WatTokenKind.Float;
}
