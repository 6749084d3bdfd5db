using System.Text;
using System.Text.Unicode;

namespace IronWasm.Text;

/// <summary>String literals: the bytes a string token denotes, and names, which must be valid UTF-8.</summary>
internal static class WatStrings
{
    /// <summary>Appends the bytes of the string token at <paramref name="token"/> (quotes included) to <paramref name="output"/>.</summary>
    public static void Decode(ReadOnlySpan<char> text, WatToken token, ByteBuffer output)
    {
        int end = token.End - 1; // the closing quote
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = token.Start + 1; i < end; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                int escape = i;
                char e = text[++i];
                switch (e)
                {
                    case 't': output.WriteByte((byte)'\t'); break;
                    case 'n': output.WriteByte((byte)'\n'); break;
                    case 'r': output.WriteByte((byte)'\r'); break;
                    case '"': output.WriteByte((byte)'"'); break;
                    case '\'': output.WriteByte((byte)'\''); break;
                    case '\\': output.WriteByte((byte)'\\'); break;
                    case 'u':
                    {
                        if (i + 1 >= end || text[i + 1] != '{') throw WatErrors.At(text, escape, "illegal escape");
                        int close = text.Slice(i + 2, end - (i + 2)).IndexOf('}');
                        if (close <= 0) throw WatErrors.At(text, escape, "illegal escape");
                        if (!TryParseCodePoint(text.Slice(i + 2, close), out int code))
                            throw WatErrors.At(text, escape, "malformed UTF-8 encoding");
                        int n = new Rune(code).EncodeToUtf8(utf8);
                        output.WriteBytes(utf8.Slice(0, n));
                        i += 2 + close;
                        break;
                    }
                    default:
                        if (i + 1 < end && IsHex(e) && IsHex(text[i + 1]))
                        {
                            output.WriteByte((byte)(HexValue(e) * 16 + HexValue(text[i + 1])));
                            i++;
                            break;
                        }
                        throw WatErrors.At(text, escape, "illegal escape");
                }
            }
            else if (c < 0x20 || c == 0x7F)
            {
                throw WatErrors.At(text, i, "illegal control character in string");
            }
            else if (c < 0x80)
            {
                output.WriteByte((byte)c);
            }
            else
            {
                if (Rune.DecodeFromUtf16(text.Slice(i, end - i), out var rune, out int used) != System.Buffers.OperationStatus.Done)
                    throw WatErrors.At(text, i, "malformed UTF-8 encoding");
                int n = rune.EncodeToUtf8(utf8);
                output.WriteBytes(utf8.Slice(0, n));
                i += used - 1;
            }
        }
    }

    /// <summary>A name (import, export, invoke target): the string's bytes, required to be valid UTF-8.</summary>
    public static byte[] DecodeName(ReadOnlySpan<char> text, WatToken token, ByteBuffer scratch)
    {
        scratch.Clear();
        Decode(text, token, scratch);
        if (!Utf8.IsValid(scratch.Span)) throw WatErrors.At(text, token.Start, "malformed UTF-8 encoding");
        return scratch.ToArray();
    }

    public static string NameToString(byte[] name) => Encoding.UTF8.GetString(name);

    // \u{...} holds hexadecimal digits (underscores allowed between them) naming a Unicode scalar value.
    private static bool TryParseCodePoint(ReadOnlySpan<char> digits, out int code)
    {
        code = 0;
        if (digits.IsEmpty || digits[0] == '_' || digits[^1] == '_' || digits.IndexOf("__") >= 0) return false;
        foreach (char c in digits)
        {
            if (c == '_') continue;
            if (!IsHex(c)) return false;
            code = code * 16 + HexValue(c);
            if (code > 0x10FFFF) return false;
        }
        return code is < 0xD800 or >= 0xE000;
    }

    private static bool IsHex(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
