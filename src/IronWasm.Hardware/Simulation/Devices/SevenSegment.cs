namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>Seven-segment patterns (bit 0 = a, 1 = b, 2 = c, 3 = d, 4 = e, 5 = f, 6 = g) and
/// the characters they are conventionally read as.</summary>
internal static class SevenSegment
{
    // Where two characters share a pattern (0/O, 5/S, 1/I is not shared: I is 'e f'), digits win.
    private static readonly (byte Pattern, char Char)[] Table =
    [
        (0x3F, '0'), (0x06, '1'), (0x5B, '2'), (0x4F, '3'), (0x66, '4'),
        (0x6D, '5'), (0x7D, '6'), (0x07, '7'), (0x27, '7'), (0x7F, '8'), (0x6F, '9'),
        (0x77, 'A'), (0x7C, 'b'), (0x39, 'C'), (0x58, 'c'), (0x5E, 'd'), (0x79, 'E'),
        (0x71, 'F'), (0x3D, 'G'), (0x76, 'H'), (0x74, 'h'), (0x30, 'I'), (0x1E, 'J'), (0x0E, 'J'),
        (0x38, 'L'), (0x54, 'n'), (0x37, 'N'), (0x5C, 'o'), (0x73, 'P'), (0x67, 'q'),
        (0x50, 'r'), (0x78, 't'), (0x3E, 'U'), (0x1C, 'u'), (0x6E, 'y'),
        (0x40, '-'), (0x08, '_'), (0x01, '‾'), (0x63, '°'), (0x48, '='), (0x00, ' '),
    ];

    /// <summary>The character for the segments of <paramref name="segments"/> (DP ignored), '?' if none.</summary>
    public static char Decode(byte segments)
    {
        byte pattern = (byte)(segments & 0x7F);
        foreach (var (p, c) in Table)
            if (p == pattern) return c;
        return '?';
    }

    /// <summary>The pattern for <paramref name="c"/>, or null if it has none.</summary>
    public static byte? Encode(char c)
    {
        foreach (var (p, ch) in Table)
            if (ch == c) return p;
        foreach (var (p, ch) in Table)
            if (char.ToUpperInvariant(ch) == char.ToUpperInvariant(c)) return p;
        return null;
    }
}
