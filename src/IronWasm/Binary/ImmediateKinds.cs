namespace IronWasm.Binary;

/// <summary>Flat lookup tables from encoded opcode to <see cref="ImmediateKind"/>, built once from
/// <see cref="OpcodeTable"/> so decoding an instruction costs an array index, not a dictionary probe.
/// Entries hold the kind plus one; zero marks an opcode that does not exist.</summary>
internal static class ImmediateKinds
{
    private static readonly byte[] Single = new byte[256];
    private static readonly byte[] PrefixFC = new byte[256];
    private static readonly byte[] PrefixFD = new byte[256];

    static ImmediateKinds()
    {
        foreach (var info in OpcodeTable.All)
        {
            var (prefix, code) = OpcodeTable.Split(info.Opcode);
            var table = prefix switch { 0xFC => PrefixFC, 0xFD => PrefixFD, _ => Single };
            table[code] = (byte)(info.Immediate + 1);
        }
    }

    /// <summary>The immediates of a single-byte opcode, or false if the byte is no opcode (the
    /// prefixes 0xFC and 0xFD are not opcodes themselves).</summary>
    public static bool TryGetSingle(byte opcode, out ImmediateKind kind)
    {
        byte entry = Single[opcode];
        kind = (ImmediateKind)(entry - 1);
        return entry != 0;
    }

    public static bool TryGetPrefixed(byte prefix, uint code, out ImmediateKind kind)
    {
        kind = default;
        if (code > 0xFF) return false;
        byte entry = (prefix == 0xFC ? PrefixFC : PrefixFD)[code];
        kind = (ImmediateKind)(entry - 1);
        return entry != 0;
    }
}
