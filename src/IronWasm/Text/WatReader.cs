namespace IronWasm.Text;

/// <summary>
/// A cursor over the tokens of a source text with two tokens of look-ahead, shared by the module and
/// script parsers. Tokens are lexed on demand by <see cref="WatLexer"/>; the cursor's state is one offset,
/// so a parser can remember a place and come back to it (the module parser reads fields more than once).
/// A reserved token or an unknown keyword is an error as soon as the parser looks at it, as in the spec's
/// reference lexer.
/// </summary>
internal sealed class WatReader
{
    private int _position;        // offset just past the last consumed token
    private WatToken _next, _second;
    private int _cached;          // how many of _next, _second are valid

    public WatReader(string source, int position = 0)
    {
        Source = source;
        _position = position;
    }

    public string Source { get; }

    public ReadOnlySpan<char> SourceSpan => Source.AsSpan();

    /// <summary>The offset just past the last token consumed: a place to <see cref="Reset"/> to.</summary>
    public int Position => _position;

    public void Reset(int position)
    {
        _position = position;
        _cached = 0;
    }

    public ReadOnlySpan<char> Text(WatToken token) => Source.AsSpan(token.Start, token.Length);

    public WatToken Peek()
    {
        if (_cached == 0)
        {
            _next = Lex(_position, out _);
            _cached = 1;
        }
        return Checked(_next);
    }

    public WatToken PeekSecond()
    {
        Peek();
        if (_cached == 1)
        {
            _second = Lex(_next.End, out _);
            _cached = 2;
        }
        return Checked(_second);
    }

    public WatToken Next()
    {
        var token = Peek();
        _position = token.End;
        _next = _second;
        _cached = Math.Max(0, _cached - 1);
        return token;
    }

    public bool IsKeyword(WatToken token, string keyword) =>
        token.Kind == WatTokenKind.Keyword && Text(token).SequenceEqual(keyword);

    public bool PeekKeyword(string keyword) => IsKeyword(Peek(), keyword);

    /// <summary>Whether the next tokens are <c>(</c> and <paramref name="keyword"/>.</summary>
    public bool PeekField(string keyword) =>
        Peek().Kind == WatTokenKind.LeftParen && IsKeyword(PeekSecond(), keyword);

    /// <summary>The keyword after the next <c>(</c>, or an empty span when the next tokens are not <c>( keyword</c>.</summary>
    public ReadOnlySpan<char> PeekFieldKeyword()
    {
        if (Peek().Kind != WatTokenKind.LeftParen) return default;
        var second = PeekSecond();
        return second.Kind == WatTokenKind.Keyword ? Text(second) : default;
    }

    public WatToken Expect(WatTokenKind kind)
    {
        var token = Peek();
        if (token.Kind != kind) throw Unexpected(token);
        return Next();
    }

    public void ExpectLeftParen() => Expect(WatTokenKind.LeftParen);

    public void ExpectRightParen() => Expect(WatTokenKind.RightParen);

    public void ExpectKeyword(string keyword)
    {
        var token = Peek();
        if (!IsKeyword(token, keyword)) throw Unexpected(token);
        Next();
    }

    /// <summary>Consumes <c>( keyword</c> if that is what comes next.</summary>
    public bool TryField(string keyword)
    {
        if (!PeekField(keyword)) return false;
        Next();
        Next();
        return true;
    }

    public bool TryRightParen()
    {
        if (Peek().Kind != WatTokenKind.RightParen) return false;
        Next();
        return true;
    }

    /// <summary>Skips past the parenthesis closing one already consumed, without judging what is in between.</summary>
    public void SkipToClose()
    {
        var lexer = new WatLexer(SourceSpan, _position);
        lexer.SkipToClose();
        Reset(lexer.Position);
    }

    public WasmFormatException Error(WatToken at, string reason) => WatErrors.At(SourceSpan, at.Start, reason);

    public WasmFormatException Error(int offset, string reason) => WatErrors.At(SourceSpan, offset, reason);

    /// <summary>The error for a token the grammar does not allow here, worded as the reference interpreter words it.</summary>
    public WasmFormatException Unexpected(WatToken token)
    {
        var text = Text(token);
        return token.Kind switch
        {
            WatTokenKind.EndOfInput => Error(token, "unexpected end of input"),
            WatTokenKind.Reserved => Error(token, $"unknown operator {text}"),
            WatTokenKind.Keyword when !WatKeywords.IsKnown(text) => Error(token, $"unknown operator {text}"),
            _ => Error(token, $"unexpected token {text}"),
        };
    }

    private WatToken Lex(int position, out int end)
    {
        var lexer = new WatLexer(SourceSpan, position);
        var token = lexer.Read();
        end = lexer.Position;
        return token;
    }

    // The reference lexer rejects a word it does not know wherever it stands; so does this reader.
    private WatToken Checked(WatToken token) =>
        token.Kind == WatTokenKind.Reserved || (token.Kind == WatTokenKind.Keyword && !WatKeywords.IsKnown(Text(token)))
            ? throw Unexpected(token)
            : token;
}
