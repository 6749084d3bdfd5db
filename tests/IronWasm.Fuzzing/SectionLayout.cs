namespace IronWasm.Fuzzing;

/// <summary>One section of a binary module: where its header starts, where its payload starts, and
/// how long the payload is.</summary>
internal readonly record struct SectionSpan(byte Id, int Start, int PayloadStart, int PayloadLength)
{
    public int End => PayloadStart + PayloadLength;
    public int Length => End - Start;
    public int SizeFieldStart => Start + 1;
    public int SizeFieldLength => PayloadStart - SizeFieldStart;
}

/// <summary>Reads the section headers of a module, just enough to move whole sections between
/// modules. Deliberately independent of the engine's decoder, so a decoder bug cannot hide here.</summary>
internal static class SectionLayout
{
    public const int HeaderLength = 8; // "\0asm" and the version
    public const byte CodeSectionId = 10;

    /// <summary>The sections of <paramref name="module"/> in order, or null when its framing is broken
    /// (bad header, truncated section, size field too long).</summary>
    public static List<SectionSpan>? TryParse(ReadOnlySpan<byte> module)
    {
        if (module.Length < HeaderLength || !module[..4].SequenceEqual("\0asm"u8)) return null;
        var sections = new List<SectionSpan>();
        int position = HeaderLength;
        while (position < module.Length)
        {
            int start = position;
            byte id = module[position++];
            if (!TryReadUInt32(module, ref position, out uint size)) return null;
            if (size > (uint)(module.Length - position)) return null;
            sections.Add(new SectionSpan(id, start, position, (int)size));
            position += (int)size;
        }
        return sections;
    }

    /// <summary>Reads an unsigned LEB128 of at most 5 bytes.</summary>
    public static bool TryReadUInt32(ReadOnlySpan<byte> bytes, ref int position, out uint value)
    {
        value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (position >= bytes.Length) return false;
            byte b = bytes[position++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    /// <summary>Appends the unsigned LEB128 of <paramref name="value"/>, padded with continuation bytes
    /// to <paramref name="minimumLength"/> bytes (a non-minimal but valid encoding when at most 5).</summary>
    public static void WriteUInt32(List<byte> output, uint value, int minimumLength = 1)
    {
        int written = 0;
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            written++;
            if (value != 0 || written < minimumLength) b |= 0x80;
            output.Add(b);
        } while (value != 0 || written < minimumLength);
    }
}
