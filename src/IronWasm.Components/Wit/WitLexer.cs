using System.Text;

namespace IronWasm.Components.Wit;

/// <summary>Splits WIT text into tokens (the "Lexical structure" section of WIT.md). Comments are
/// dropped, except doc comments (`///` lines and `/** */` blocks), which ride on the next token.</summary>
internal sealed class WitLexer
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "as", "async", "bool", "borrow", "char", "constructor", "enum", "export", "f32", "f64",
        "flags", "from", "func", "future", "import", "include", "interface", "list", "map", "option",
        "own", "package", "record", "resource", "result", "s16", "s32", "s64", "s8", "static",
        "stream", "string", "tuple", "type", "u16", "u32", "u64", "u8", "use", "variant", "with", "world",
    };

    private readonly string _text;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private readonly StringBuilder _docs = new();

    private WitLexer(string text, string file)
    {
        _text = text;
        _file = file;
    }

    public static List<WitToken> Tokenize(string text, string file)
    {
        var lexer = new WitLexer(text, file);
        var tokens = new List<WitToken>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == WitTokenKind.EndOfFile) return tokens;
        }
    }

    public static bool IsKeyword(string name) => Keywords.Contains(name);

    private WitSourcePosition Here => new(_file, _line, _pos - _lineStart + 1);

    private WitToken Next()
    {
        SkipTrivia();
        var start = _pos;
        var position = Here;
        string? docs = _docs.Length > 0 ? _docs.ToString() : null;
        _docs.Clear();
        if (_pos >= _text.Length) return new WitToken(WitTokenKind.EndOfFile, "", start, 0, position, docs);

        var c = _text[_pos];
        WitToken Simple(WitTokenKind kind, int length)
        {
            _pos += length;
            return new WitToken(kind, _text.Substring(start, length), start, length, position, docs);
        }

        switch (c)
        {
            case '=': return Simple(WitTokenKind.Equals, 1);
            case ',': return Simple(WitTokenKind.Comma, 1);
            case ':': return Simple(WitTokenKind.Colon, 1);
            case ';': return Simple(WitTokenKind.Semicolon, 1);
            case '(': return Simple(WitTokenKind.LeftParen, 1);
            case ')': return Simple(WitTokenKind.RightParen, 1);
            case '{': return Simple(WitTokenKind.LeftBrace, 1);
            case '}': return Simple(WitTokenKind.RightBrace, 1);
            case '<': return Simple(WitTokenKind.LessThan, 1);
            case '>': return Simple(WitTokenKind.GreaterThan, 1);
            case '*': return Simple(WitTokenKind.Star, 1);
            case '/': return Simple(WitTokenKind.Slash, 1);
            case '.': return Simple(WitTokenKind.Period, 1);
            case '@': return Simple(WitTokenKind.At, 1);
            case '-' when Peek(1) == '>': return Simple(WitTokenKind.Arrow, 2);
            case '_' when !IsIdentifierChar(Peek(1)): return Simple(WitTokenKind.Underscore, 1);
            case '"': return ReadString(start, position, docs);
            case '%':
            {
                _pos++;
                if (!IsLetter(Peek(0))) throw position.Error("expected an identifier after `%`");
                var name = ReadIdentifierText(position);
                return new WitToken(WitTokenKind.Identifier, name, start, _pos - start, position, docs);
            }
        }
        if (IsLetter(c))
        {
            var name = ReadIdentifierText(position);
            var kind = Keywords.Contains(name) ? WitTokenKind.Keyword : WitTokenKind.Identifier;
            return new WitToken(kind, name, start, _pos - start, position, docs);
        }
        if (char.IsAsciiDigit(c))
        {
            // Versions follow `@` or `version =`; integers are fixed list lengths. Both start with a
            // digit, so take everything a semantic version may contain and let the parser check it.
            // A '.' belongs to it only when a version part follows (`@1.0.0.{a}` ends before `.{`).
            _pos++;
            while (_pos < _text.Length)
            {
                var d = _text[_pos];
                if (char.IsAsciiLetterOrDigit(d) || d == '-' || d == '+') _pos++;
                else if (d == '.' && (char.IsAsciiLetterOrDigit(Peek(1)) || Peek(1) == '-')) _pos++;
                else break;
            }
            return new WitToken(WitTokenKind.Number, _text[start.._pos], start, _pos - start, position, docs);
        }
        throw position.Error($"unexpected character {DescribeChar(c)}");
    }

    private string ReadIdentifierText(WitSourcePosition position)
    {
        var start = _pos;
        while (_pos < _text.Length && IsIdentifierChar(_text[_pos])) _pos++;
        var name = _text[start.._pos];
        if (!IsValidLabel(name, out var problem))
            throw position.Error($"invalid identifier `{name}`: {problem}");
        return name;
    }

    /// <summary>A kebab-case label: words separated by '-', each either lowercase letters and
    /// digits or uppercase letters and digits, starting with a letter (Explainer.md, `label`).</summary>
    public static bool IsValidLabel(string name, out string problem)
    {
        problem = "";
        if (name.Length == 0) { problem = "it is empty"; return false; }
        foreach (var word in name.Split('-'))
        {
            if (word.Length == 0) { problem = "words are separated by single `-` and may not be empty"; return false; }
            if (!char.IsAsciiLetter(word[0])) { problem = $"word `{word}` does not start with a letter"; return false; }
            var upper = char.IsAsciiLetterUpper(word[0]);
            foreach (var ch in word)
            {
                if (char.IsAsciiDigit(ch)) continue;
                if (upper ? char.IsAsciiLetterUpper(ch) : char.IsAsciiLetterLower(ch)) continue;
                problem = $"word `{word}` mixes upper and lower case or has a character other than letters and digits";
                return false;
            }
        }
        return true;
    }

    private WitToken ReadString(int start, WitSourcePosition position, string? docs)
    {
        _pos++;
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n') throw position.Error("unterminated string literal");
            var c = _text[_pos];
            if (c == '"') { _pos++; break; }
            if (c != '\\') { CheckAllowed(c); value.Append(c); _pos++; continue; }
            var escape = Here;
            _pos++;
            var e = Peek(0);
            _pos++;
            switch (e)
            {
                case 't': value.Append('\t'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case '"': value.Append('"'); break;
                case '\'': value.Append('\''); break;
                case '\\': value.Append('\\'); break;
                case 'u':
                {
                    if (Peek(0) != '{') throw escape.Error("expected `{` in a \\u escape");
                    _pos++;
                    var digits = _pos;
                    while (char.IsAsciiHexDigit(Peek(0))) _pos++;
                    if (_pos == digits || Peek(0) != '}' || _pos - digits > 6) throw escape.Error("malformed \\u{...} escape");
                    var code = Convert.ToInt32(_text[digits.._pos], 16);
                    _pos++;
                    if (code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF) throw escape.Error("\\u escape is not a Unicode scalar value");
                    value.Append(char.ConvertFromUtf32(code));
                    break;
                }
                default:
                    if (char.IsAsciiHexDigit(e) && char.IsAsciiHexDigit(Peek(0)))
                    {
                        // Core WebAssembly name literals allow \hh; a name is UTF-8, so only ASCII is meaningful here.
                        var b = Convert.ToInt32(_text.Substring(_pos - 1, 2), 16);
                        _pos++;
                        if (b > 0x7F) throw escape.Error("\\hh escapes above 7f do not form valid UTF-8 on their own");
                        value.Append((char)b);
                        break;
                    }
                    throw escape.Error("unknown escape in string literal");
            }
        }
        return new WitToken(WitTokenKind.String, value.ToString(), start, _pos - start, position, docs);
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n') { _pos++; _line++; _lineStart = _pos; }
            else if (c is ' ' or '\t' or '\r') _pos++;
            else if (c == '/' && Peek(1) == '/') SkipLineComment();
            else if (c == '/' && Peek(1) == '*') SkipBlockComment();
            else { CheckAllowed(c); return; }
        }
    }

    private void SkipLineComment()
    {
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] != '\n') { CheckAllowed(_text[_pos]); _pos++; }
        var text = _text[start.._pos].TrimEnd('\r');
        // `///` is a doc comment, `////...` is an ordinary comment (as in Rust and wit-parser).
        if (text.StartsWith("///", StringComparison.Ordinal) && !text.StartsWith("////", StringComparison.Ordinal))
        {
            var line = text[3..];
            if (line.StartsWith(' ')) line = line[1..];
            AppendDoc(line);
        }
    }

    private void SkipBlockComment()
    {
        var position = Here;
        var start = _pos;
        _pos += 2;
        var depth = 1;
        while (depth > 0)
        {
            if (_pos >= _text.Length) throw position.Error("unterminated block comment");
            var c = _text[_pos];
            if (c == '/' && Peek(1) == '*') { depth++; _pos += 2; }
            else if (c == '*' && Peek(1) == '/') { depth--; _pos += 2; }
            else if (c == '\n') { _pos++; _line++; _lineStart = _pos; }
            else { CheckAllowed(c); _pos++; }
        }
        var text = _text[start.._pos];
        // `/** ... */` is a doc comment; `/**/` and `/*** ...` are not.
        if (text.Length > 4 && text.StartsWith("/**", StringComparison.Ordinal) && text[3] != '*')
        {
            var lines = text[3..^2].Replace("\r", "").Split('\n').Select(l => l.Trim()).ToList();
            while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            foreach (var line in lines) AppendDoc(line);
        }
    }

    private void AppendDoc(string line)
    {
        if (_docs.Length > 0) _docs.Append('\n');
        _docs.Append(line);
    }

    /// <summary>WIT.md forbids control codes other than tab, newline and carriage return, and the
    /// bidirectional override characters (they can make source read differently than it parses).</summary>
    private void CheckAllowed(char c)
    {
        var forbidden = (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
        if (forbidden) throw Here.Error($"character {DescribeChar(c)} is not allowed in WIT text");
    }

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private static bool IsLetter(char c) => char.IsAsciiLetter(c);

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_';

    private static string DescribeChar(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"`{c}`";
}
