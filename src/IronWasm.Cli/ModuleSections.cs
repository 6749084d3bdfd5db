namespace IronWasm.Cli;

/// <summary>One section of a binary module as it lies in the file: <see cref="Offset"/> is where its id
/// byte is, <see cref="Size"/> the size of its contents (after the id and the size's LEB128).</summary>
internal readonly record struct SectionInfo(byte Id, string Name, long Offset, long Size, long? Items);

/// <summary>Lists the sections of a binary module: the engine's decoder keeps no offsets or sizes of
/// sections, and <c>inspect</c> shows them, so this reads just the section headers (and the item count
/// that opens each vector section). Call it on a module that decoded, so the headers are sound.</summary>
internal static class ModuleSections
{
    public static List<SectionInfo> Read(ReadOnlySpan<byte> module)
    {
        var sections = new List<SectionInfo>();
        int position = 8;  // magic and version
        while (position < module.Length)
        {
            int start = position;
            byte id = module[position++];
            if (!TryReadU32(module, ref position, out uint size) || size > module.Length - position) break;
            int payload = position;
            var body = module.Slice(payload, (int)size);
            string name = NameOf(id);
            long? items = null;
            int inner = 0;
            if (id == 0)
            {
                if (TryReadU32(body, ref inner, out uint length) && length <= body.Length - inner)
                    name = $"custom \"{System.Text.Encoding.UTF8.GetString(body.Slice(inner, (int)length))}\"";
            }
            else if (id is >= 1 and <= 11 and not 8 or 12 && TryReadU32(body, ref inner, out uint count))
            {
                items = count;
            }
            sections.Add(new SectionInfo(id, name, start, size, items));
            position = payload + (int)size;
        }
        return sections;
    }

    private static string NameOf(byte id) => id switch
    {
        0 => "custom",
        1 => "type",
        2 => "import",
        3 => "function",
        4 => "table",
        5 => "memory",
        6 => "global",
        7 => "export",
        8 => "start",
        9 => "element",
        10 => "code",
        11 => "data",
        12 => "data count",
        _ => $"unknown ({id})",
    };

    private static bool TryReadU32(ReadOnlySpan<byte> bytes, ref int position, out uint value)
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
}
