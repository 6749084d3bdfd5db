using IronWasm.Model;

namespace IronWasm.Binary;

/// <summary>Decodes the "name" custom section (module, function and local names). Custom sections
/// never make a module malformed, so a bad name section yields no names rather than an error.</summary>
internal static class NameSectionDecoder
{
    private const byte ModuleSubsection = 0;
    private const byte FunctionSubsection = 1;
    private const byte LocalSubsection = 2;

    /// <param name="content">The section's content after its name.</param>
    /// <param name="baseOffset">Module offset of <c>content[0]</c>.</param>
    /// <returns>The names, or null if the section is not well-formed.</returns>
    public static NameSection? TryDecode(ReadOnlySpan<byte> content, int baseOffset)
    {
        try
        {
            return Decode(content, baseOffset);
        }
        catch (WasmFormatException)
        {
            return null;
        }
    }

    private static NameSection? Decode(ReadOnlySpan<byte> content, int baseOffset)
    {
        var reader = new WasmReader(content, baseOffset);
        var names = new NameSection();
        int previousId = -1;
        while (!reader.IsAtEnd)
        {
            byte id = reader.ReadByte();
            // Subsections appear at most once each, in order of increasing id.
            if (id <= previousId) return null;
            previousId = id;
            int size = reader.ReadLength();
            int subsectionOffset = reader.Offset;
            var subsection = new WasmReader(reader.ReadBytes(size), subsectionOffset);
            switch (id)
            {
                case ModuleSubsection:
                    names.ModuleName = subsection.ReadName();
                    break;
                case FunctionSubsection:
                    if (!TryReadNameMap(ref subsection, names.FunctionNames)) return null;
                    break;
                case LocalSubsection:
                    if (!TryReadIndirectNameMap(ref subsection, names.LocalNames)) return null;
                    break;
                default:
                    // Later additions (labels, types, tables, ...): not used by the engine.
                    continue;
            }
            if (!subsection.IsAtEnd) return null;
        }
        return names;
    }

    /// <summary>A namemap: (index, name) pairs with strictly increasing indices.</summary>
    private static bool TryReadNameMap(ref WasmReader reader, Dictionary<uint, string> map)
    {
        int count = reader.ReadLength();
        long previous = -1;
        for (int i = 0; i < count; i++)
        {
            uint index = reader.ReadVarUInt32();
            string name = reader.ReadName();
            if (index <= previous) return false;
            previous = index;
            map[index] = name;
        }
        return true;
    }

    private static bool TryReadIndirectNameMap(ref WasmReader reader, Dictionary<uint, Dictionary<uint, string>> map)
    {
        int count = reader.ReadLength();
        long previous = -1;
        for (int i = 0; i < count; i++)
        {
            uint index = reader.ReadVarUInt32();
            if (index <= previous) return false;
            previous = index;
            var inner = new Dictionary<uint, string>();
            if (!TryReadNameMap(ref reader, inner)) return false;
            map[index] = inner;
        }
        return true;
    }
}
