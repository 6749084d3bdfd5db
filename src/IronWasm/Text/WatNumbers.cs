using System.Buffers;
using System.Globalization;
using System.Numerics;

namespace IronWasm.Text;

/// <summary>
/// Number literals of the text format: classification of a token's characters by the
/// grammar, and conversion to integers and to IEEE bits. Float conversion rounds to nearest, ties to
/// even, exactly: hexadecimal literals by integer arithmetic here, decimal ones by the runtime's
/// parser, which is correctly rounded for inputs of any length.
/// </summary>
internal static class WatNumbers
{
    internal enum Result : byte { Ok, OutOfRange }

    internal readonly record struct FloatFormat(int MantissaBits, int ExponentBits)
    {
        public int Bias => (1 << (ExponentBits - 1)) - 1;
        public ulong InfinityBits => ((1UL << ExponentBits) - 1) << MantissaBits;
        public ulong SignBit => 1UL << (MantissaBits + ExponentBits);
    }

    public static readonly FloatFormat Single = new(23, 8);
    public static readonly FloatFormat Double = new(52, 11);

    /// <summary><c>inf</c>, <c>nan</c> and <c>nan:0xH</c> start with a letter but are float literals.</summary>
    public static bool IsFloatKeyword(ReadOnlySpan<char> s) =>
        s.SequenceEqual("inf") || s.SequenceEqual("nan") ||
        (s.StartsWith("nan:0x") && ScanDigits(s, 6, hex: true) == s.Length);

    /// <summary>Which number token the characters form, or <see cref="WatTokenKind.Reserved"/> if none.</summary>
    public static WatTokenKind Classify(ReadOnlySpan<char> s)
    {
        int i = 0;
        bool signed = s.Length > 0 && s[0] is '+' or '-';
        if (signed) i = 1;
        var rest = s.Slice(i);
        if (rest.Length > 0 && rest[0] is >= 'a' and <= 'z')
            return IsFloatKeyword(rest) ? WatTokenKind.Float : WatTokenKind.Reserved;
        bool hex = rest.StartsWith("0x");
        if (hex) i += 2;
        int j = ScanDigits(s, i, hex);
        if (j < 0) return WatTokenKind.Reserved;
        if (j == s.Length) return signed ? WatTokenKind.Integer : WatTokenKind.Natural;
        if (s[j] == '.')
        {
            j++;
            if (j < s.Length && IsDigit(s[j], hex))
            {
                j = ScanDigits(s, j, hex);
                if (j < 0) return WatTokenKind.Reserved;
            }
        }
        if (j < s.Length && (hex ? s[j] is 'p' or 'P' : s[j] is 'e' or 'E'))
        {
            j++;
            if (j < s.Length && s[j] is '+' or '-') j++;
            j = ScanDigits(s, j, hex: false);
            if (j < 0) return WatTokenKind.Reserved;
        }
        return j == s.Length ? WatTokenKind.Float : WatTokenKind.Reserved;
    }

    /// <summary>Scans <c>digit ('_'? digit)*</c> from <paramref name="i"/>; the index after it, or -1 if there is none or an underscore is misplaced.</summary>
    private static int ScanDigits(ReadOnlySpan<char> s, int i, bool hex)
    {
        if (i >= s.Length || !IsDigit(s[i], hex)) return -1;
        i++;
        while (i < s.Length)
        {
            if (IsDigit(s[i], hex)) i++;
            else if (s[i] == '_')
            {
                if (i + 1 >= s.Length || !IsDigit(s[i + 1], hex)) return -1;
                i += 2;
            }
            else break;
        }
        return i;
    }

    private static bool IsDigit(char c, bool hex) =>
        c is >= '0' and <= '9' || (hex && c is >= 'a' and <= 'f' or >= 'A' and <= 'F');

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };

    /// <summary>The magnitude of an integer literal (sign already removed); false if it exceeds 64 bits.</summary>
    private static bool TryMagnitude(ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        bool hex = s.StartsWith("0x");
        ulong radix = hex ? 16UL : 10UL;
        foreach (char c in hex ? s.Slice(2) : s)
        {
            if (c == '_') continue;
            ulong d = (ulong)DigitValue(c);
            if (value > (ulong.MaxValue - d) / radix) return false;
            value = value * radix + d;
        }
        return true;
    }

    /// <summary>An unsigned literal (a <see cref="WatTokenKind.Natural"/> token) that must fit in <paramref name="max"/>.</summary>
    public static bool TryParseUnsigned(ReadOnlySpan<char> s, ulong max, out ulong value) =>
        TryMagnitude(s, out value) && value <= max;

    /// <summary>
    /// An <c>iN</c> literal (natural or signed token) as its N-bit two's complement pattern. Accepts the range
    /// <c>-2^(N-1) .. 2^N-1</c>, as the spec does (a literal may be written signed or unsigned).
    /// </summary>
    public static Result ParseInteger(ReadOnlySpan<char> s, int bits, out ulong value)
    {
        value = 0;
        bool negative = s[0] == '-';
        if (s[0] is '+' or '-') s = s.Slice(1);
        if (!TryMagnitude(s, out ulong magnitude)) return Result.OutOfRange;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if (negative)
        {
            if (magnitude > 1UL << (bits - 1)) return Result.OutOfRange;
            value = unchecked(0UL - magnitude) & mask;
        }
        else
        {
            if (magnitude > mask) return Result.OutOfRange;
            value = magnitude;
        }
        return Result.Ok;
    }

    /// <summary>A float literal (any number token) as the IEEE bits of <paramref name="format"/>.</summary>
    public static Result ParseFloat(ReadOnlySpan<char> s, FloatFormat format, out ulong bits)
    {
        bits = 0;
        bool negative = s[0] == '-';
        var magnitude = s[0] is '+' or '-' ? s.Slice(1) : s;
        ulong sign = negative ? format.SignBit : 0;
        if (magnitude.SequenceEqual("inf")) { bits = sign | format.InfinityBits; return Result.Ok; }
        if (magnitude.SequenceEqual("nan")) { bits = sign | format.InfinityBits | (1UL << (format.MantissaBits - 1)); return Result.Ok; }
        if (magnitude.StartsWith("nan:0x"))
        {
            if (!TryMagnitude(magnitude.Slice(4), out ulong payload) || payload == 0 || payload >= 1UL << format.MantissaBits)
                return Result.OutOfRange;
            bits = sign | format.InfinityBits | payload;
            return Result.Ok;
        }
        var result = magnitude.StartsWith("0x")
            ? ParseHexFloat(magnitude.Slice(2), format, out bits)
            : ParseDecimalFloat(magnitude, format, out bits);
        bits |= sign;
        return result;
    }

    private static Result ParseHexFloat(ReadOnlySpan<char> s, FloatFormat format, out ulong bits)
    {
        bits = 0;
        // Significand digits are gathered into 60 bits; digits beyond only matter as a "sticky" non-zero tail.
        ulong significand = 0;
        long exponent = 0;
        bool sticky = false, fraction = false;
        int i = 0;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '_') continue;
            if (c == '.') { fraction = true; continue; }
            if (c is 'p' or 'P') break;
            int d = DigitValue(c);
            if (significand < 1UL << 60)
            {
                significand = significand * 16 + (ulong)d;
                if (fraction) exponent -= 4;
            }
            else
            {
                sticky |= d != 0;
                if (!fraction) exponent += 4;
            }
        }
        if (i < s.Length)
        {
            i++;
            bool negativeExponent = s[i] == '-';
            if (s[i] is '+' or '-') i++;
            long e = 0;
            for (; i < s.Length; i++)
                if (s[i] != '_' && e < 1_000_000_000) e = e * 10 + (s[i] - '0');
            exponent += negativeExponent ? -e : e;
        }
        if (significand == 0) return Result.Ok;

        int p = format.MantissaBits;
        int bias = format.Bias;
        int msb = 63 - BitOperations.LeadingZeroCount(significand);
        long e2 = msb + exponent;                    // value lies in [2^e2, 2^(e2+1))
        if (e2 > bias + 1) return Result.OutOfRange; // even rounding down leaves it infinite
        long emin = 1 - bias;
        long ulpExponent = Math.Max(e2, emin) - p;
        long shift = ulpExponent - exponent;         // low bits of the significand below one ulp
        ulong q;
        if (shift <= 0)
        {
            q = significand << (int)-shift;
        }
        else if (shift > 65)
        {
            q = 0;
        }
        else
        {
            UInt128 wide = significand;
            q = (ulong)(wide >> (int)shift);
            UInt128 remainder = wide & ((UInt128.One << (int)shift) - 1);
            UInt128 half = UInt128.One << (int)(shift - 1);
            if (remainder > half || (remainder == half && (sticky || (q & 1) != 0))) q++;
        }
        // For subnormals the biased exponent field is 0 and q < 2^p (or exactly 2^p, the smallest normal);
        // otherwise q in [2^p, 2^(p+1)] carries the implicit bit into the exponent field.
        bits = e2 < emin ? q : ((ulong)(e2 + bias - 1) << p) + q;
        return bits >= format.InfinityBits ? Result.OutOfRange : Result.Ok;
    }

    private static Result ParseDecimalFloat(ReadOnlySpan<char> s, FloatFormat format, out ulong bits)
    {
        char[]? rented = null;
        Span<char> buffer = s.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(s.Length));
        int n = 0;
        foreach (char c in s)
            if (c != '_') buffer[n++] = c;
        var digits = buffer.Slice(0, n);
        try
        {
            if (format.MantissaBits == Single.MantissaBits)
            {
                float value = float.Parse(digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
                bits = BitConverter.SingleToUInt32Bits(value);
                return float.IsInfinity(value) ? Result.OutOfRange : Result.Ok;
            }
            else
            {
                double value = double.Parse(digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
                bits = BitConverter.DoubleToUInt64Bits(value);
                return double.IsInfinity(value) ? Result.OutOfRange : Result.Ok;
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }
}
