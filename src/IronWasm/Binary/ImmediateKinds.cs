namespace IronWasm.Binary;

/// <summary>Flat lookup tables from encoded opcode to <see cref="ImmediateKind"/>, built once from
/// <see cref="OpcodeTable"/> so decoding an instruction costs an array index, not a dictionary probe.
/// Entries hold the kind plus one; zero marks an opcode that does not exist.</summary>
internal static class ImmediateKinds
{
    /// <summary>The immediates of a single-byte opcode, or false if the byte is no opcode (the
    /// prefixes 0xFC and 0xFD are not opcodes themselves).</summary>
    public static bool TryGetSingle(byte opcode, out ImmediateKind kind)
    {
        // The opcodes of constant expressions, answered without the tables: a module loaded from the
        // compilation cache decodes nothing else, and building the tables builds the whole
        // OpcodeTable, several milliseconds of a cached start (tests check these agree with it).
        switch (opcode)
        {
            case 0x0B: // end
            case 0x6A or 0x6B or 0x6C or 0x7C or 0x7D or 0x7E: // i32/i64 add, sub, mul (extended constants)
                kind = ImmediateKind.None;
                return true;
            case 0x23: kind = ImmediateKind.GlobalIndex; return true;
            case 0x41: kind = ImmediateKind.I32; return true;
            case 0x42: kind = ImmediateKind.I64; return true;
            case 0x43: kind = ImmediateKind.F32; return true;
            case 0x44: kind = ImmediateKind.F64; return true;
            case 0xD0: kind = ImmediateKind.HeapType; return true;
            case 0xD2: kind = ImmediateKind.FunctionIndex; return true;
        }
        byte entry = Tables.Single[opcode];
        kind = (ImmediateKind)(entry - 1);
        return entry != 0;
    }

    public static bool TryGetPrefixed(byte prefix, uint code, out ImmediateKind kind)
    {
        kind = default;
        if (code > 0xFF) return false;
        byte entry = (prefix == 0xFC ? Tables.PrefixFC : Tables.PrefixFD)[code];
        kind = (ImmediateKind)(entry - 1);
        return entry != 0;
    }

    /// <summary>Built on first use, from <see cref="OpcodeTable"/>. Field initialisers only, no static
    /// constructor: the class stays beforefieldinit, so optimised code reads the tables without an
    /// initialisation check on every instruction.</summary>
    internal static class Tables
    {
        public static readonly byte[] Single = Build(0);
        public static readonly byte[] PrefixFC = Build(0xFC);
        public static readonly byte[] PrefixFD = Build(0xFD);

        private static byte[] Build(int wantedPrefix)
        {
            var table = new byte[256];
            foreach (var info in OpcodeTable.All)
            {
                var (prefix, code) = OpcodeTable.Split(info.Opcode);
                if ((prefix is 0xFC or 0xFD ? prefix : 0) == wantedPrefix) table[code] = (byte)(info.Immediate + 1);
            }
            return table;
        }
    }
}
