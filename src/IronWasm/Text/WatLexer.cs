namespace IronWasm.Text;

/// <summary>
/// Splits WebAssembly text into tokens without allocating: a token is a kind and a span of the source,
/// and its value is decoded later by whoever needs it. White space, comments (line comments and nested
/// block comments) and annotations (<c>(@name ...)</c>) are skipped. Following the spec, a token is a maximal run of identifier
/// characters and strings; a run that is neither a keyword, an identifier, a number nor a single string
/// is <see cref="WatTokenKind.Reserved"/>, so <c>0drop</c> or <c>$l"a"</c> never split into two tokens.
/// </summary>
internal ref struct WatLexer
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;

    public WatLexer(ReadOnlySpan<char> text, int position)
    {
        _text = text;
        _position = position;
    }

    /// <summary>Offset just past the last token read.</summary>
    public readonly int Position => _position;

    public WatToken Read()
    {
        SkipTrivia();
        int start = _position;
        if (start >= _text.Length) return new WatToken(WatTokenKind.EndOfInput, start, 0);
        char c = _text[start];
        if (c == '(') { _position++; return new WatToken(WatTokenKind.LeftParen, start, 1); }
        if (c == ')') { _position++; return new WatToken(WatTokenKind.RightParen, start, 1); }

        int strings = 0;
        bool other = false;
        while (_position < _text.Length)
        {
            char d = _text[_position];
            if (d == '"') { SkipString(); strings++; }
            else if (IsIdChar(d)) { _position++; other = true; }
            else break;
        }
        if (_position == start)
        {
            // Not white space, not a parenthesis, not an identifier character: a token of its own that is never valid.
            _position += char.IsHighSurrogate(c) && start + 1 < _text.Length && char.IsLowSurrogate(_text[start + 1]) ? 2 : 1;
            return new WatToken(WatTokenKind.Reserved, start, _position - start);
        }
        int length = _position - start;
        if (strings > 0)
            return new WatToken(strings == 1 && !other ? WatTokenKind.String : WatTokenKind.Reserved, start, length);
        var span = _text.Slice(start, length);
        if (c == '$') return new WatToken(length > 1 ? WatTokenKind.Identifier : WatTokenKind.Reserved, start, length);
        if (c is >= 'a' and <= 'z')
            return new WatToken(WatNumbers.IsFloatKeyword(span) ? WatTokenKind.Float : WatTokenKind.Keyword, start, length);
        return new WatToken(WatNumbers.Classify(span), start, length);
    }

    /// <summary>Skips to just past the parenthesis that closes one already read, without judging the tokens in between.</summary>
    public void SkipToClose()
    {
        int depth = 1;
        while (true)
        {
            var token = Read();
            switch (token.Kind)
            {
                case WatTokenKind.LeftParen: depth++; break;
                case WatTokenKind.RightParen: if (--depth == 0) return; break;
                case WatTokenKind.EndOfInput: throw WatErrors.At(_text, token.Start, "unexpected end of input");
            }
        }
    }

    public static bool IsIdChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
          or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '/' or ':' or '<' or '='
          or '>' or '?' or '@' or '\\' or '^' or '_' or '`' or '|' or '~';

    private void SkipTrivia()
    {
        var text = _text;
        int p = _position;
        while (p < text.Length)
        {
            char c = text[p];
            if (c is ' ' or '\t' or '\n' or '\r') { p++; continue; }
            if (c == ';' && p + 1 < text.Length && text[p + 1] == ';')
            {
                // A line comment ends at a newline: LF, CR or CR LF.
                int nl = text.Slice(p).IndexOfAny('\n', '\r');
                p = nl < 0 ? text.Length : p + nl + 1;
                continue;
            }
            if (c == '(' && p + 1 < text.Length && text[p + 1] == ';')
            {
                p = SkipBlockComment(p);
                continue;
            }
            if (c == '(' && p + 2 < text.Length && text[p + 1] == '@' && IsIdChar(text[p + 2]))
            {
                p = SkipAnnotation(p);
                continue;
            }
            break;
        }
        _position = p;
    }

    private readonly int SkipBlockComment(int start)
    {
        var text = _text;
        int depth = 0;
        int p = start;
        while (p + 1 < text.Length)
        {
            if (text[p] == '(' && text[p + 1] == ';') { depth++; p += 2; }
            else if (text[p] == ';' && text[p + 1] == ')') { p += 2; if (--depth == 0) return p; }
            else p++;
        }
        throw WatErrors.At(text, start, "unclosed comment");
    }

    /// <summary>An annotation, such as <c>(@custom "name" "bytes")</c>: ignored, like a comment, up to its balancing parenthesis.</summary>
    private readonly int SkipAnnotation(int start)
    {
        var text = _text;
        int depth = 0;
        int p = start;
        while (p < text.Length)
        {
            char c = text[p];
            char next = p + 1 < text.Length ? text[p + 1] : '\0';
            if (c == '"')
            {
                for (p++; p < text.Length && text[p] != '"'; p++)
                    if (text[p] == '\\') p++;
                p++;
            }
            else if (c == ';' && next == ';')
            {
                int nl = text.Slice(p).IndexOfAny('\n', '\r');
                p = nl < 0 ? text.Length : p + nl + 1;
            }
            else if (c == '(' && next == ';') p = SkipBlockComment(p);
            else if (c == '(') { depth++; p++; }
            else if (c == ')') { p++; if (--depth == 0) return p; }
            else p++;
        }
        throw WatErrors.At(text, start, "unclosed annotation");
    }

    private void SkipString()
    {
        var text = _text;
        int start = _position;
        int p = start + 1;
        while (p < text.Length)
        {
            char c = text[p];
            if (c == '"') { _position = p + 1; return; }
            if (c == '\\') p++;
            p++;
        }
        throw WatErrors.At(text, start, "unclosed string");
    }
}
