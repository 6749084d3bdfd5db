using IronWasm.Binary;

namespace IronWasm.Text;

/// <summary>
/// The keywords of the text format: instruction mnemonics (from <see cref="OpcodeTable"/>, the engine's one
/// instruction list) and the structural words. Knowing every keyword lets errors say what the reference
/// interpreter says: a known word in the wrong place is an "unexpected token", any other word an "unknown operator".
/// </summary>
internal static class WatKeywords
{
    private static readonly Dictionary<string, OpcodeTable.Info> Instructions = BuildInstructions();
    private static readonly Dictionary<string, OpcodeTable.Info>.AlternateLookup<ReadOnlySpan<char>> InstructionLookup =
        Instructions.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string> Structural =
    [
        "module", "type", "func", "param", "result", "local", "import", "export", "table", "memory", "global",
        "elem", "data", "start", "offset", "item", "declare", "then", "mut", "funcref", "externref", "extern",
        "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
        "binary", "quote", "register", "invoke", "get", "assert_return", "assert_trap", "assert_exhaustion",
        "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_uninstantiable", "ref.extern",
        "nan:canonical", "nan:arithmetic",
    ];
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StructuralLookup =
        Structural.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, OpcodeTable.Info> BuildInstructions()
    {
        var map = new Dictionary<string, OpcodeTable.Info>(StringComparer.Ordinal);
        foreach (var info in OpcodeTable.All)
        {
            // select_typed is the binary form of `select (result t*)`; the text format spells both "select".
            if (info.Opcode == Opcode.SelectTyped) continue;
            map[info.Mnemonic] = info;
        }
        return map;
    }

    public static bool TryGetInstruction(ReadOnlySpan<char> keyword, out OpcodeTable.Info info) =>
        InstructionLookup.TryGetValue(keyword, out info!);

    public static bool IsKnown(ReadOnlySpan<char> keyword)
    {
        if (InstructionLookup.ContainsKey(keyword) || StructuralLookup.Contains(keyword)) return true;
        if (keyword.StartsWith("offset=")) return WatNumbers.Classify(keyword.Slice(7)) == WatTokenKind.Natural;
        if (keyword.StartsWith("align=")) return WatNumbers.Classify(keyword.Slice(6)) == WatTokenKind.Natural;
        return false;
    }
}
