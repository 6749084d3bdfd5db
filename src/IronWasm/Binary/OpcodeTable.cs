using IronWasm.Model;

namespace IronWasm.Binary;

/// <summary>What follows an opcode in the binary format.</summary>
internal enum ImmediateKind : byte
{
    None,
    BlockType,      // blocktype: 0x40, a value type, or a signed LEB128 type index
    LabelIndex,     // u32
    BrTable,        // vec(u32) u32
    FunctionIndex,  // u32
    CallIndirect,   // typeidx u32, tableidx u32
    SelectTypes,    // vec(valtype)
    LocalIndex,     // u32
    GlobalIndex,    // u32
    TableIndex,     // u32
    MemArg,         // align u32, offset u32
    MemoryIndex,    // a single memory index (must be 0x00 in 2.0)
    I32,            // signed LEB128 i32
    I64,            // signed LEB128 i64
    F32,            // 4 bytes little endian
    F64,            // 8 bytes little endian
    HeapType,       // reftype byte (0x70 funcref, 0x6F externref)
    MemoryInit,     // dataidx u32, memidx byte
    DataIndex,      // u32
    MemoryCopy,     // memidx byte, memidx byte
    TableInit,      // elemidx u32, tableidx u32
    ElementIndex,   // u32
    TableCopy,      // dst tableidx u32, src tableidx u32
    V128,           // 16 bytes
    Shuffle,        // 16 lane index bytes
    Lane,           // one lane index byte
    MemArgLane,     // memarg then one lane index byte
}

/// <summary>Static facts about each opcode: its text mnemonic, immediates, and, for instructions whose
/// typing is a fixed operand-to-result signature, that signature. Shared by decoder, validator, text
/// format and compiler so there is one list of instructions in the engine.</summary>
internal static partial class OpcodeTable
{
    internal sealed record Info(Opcode Opcode, string Mnemonic, ImmediateKind Immediate, ValueKind[]? Operands, ValueKind[]? Results);

    private static readonly Dictionary<Opcode, Info> ByOpcode = new();
    private static readonly Dictionary<string, Info> ByMnemonic = new(StringComparer.Ordinal);

    static OpcodeTable() => AddAll();

    static partial void AddAll();

    private static void Add(Opcode opcode, string mnemonic, ImmediateKind immediate, ValueKind[]? operands, ValueKind[]? results)
    {
        var info = new Info(opcode, mnemonic, immediate, operands, results);
        ByOpcode.Add(opcode, info);
        // "select_typed" is the binary form of `select (result t)`; the text format spells it "select".
        if (opcode != Opcode.SelectTyped) ByMnemonic.Add(mnemonic, info);
    }

    public static IEnumerable<Info> All => ByOpcode.Values;

    public static bool TryGet(Opcode opcode, out Info info) => ByOpcode.TryGetValue(opcode, out info!);

    public static Info Get(Opcode opcode) => ByOpcode[opcode];

    public static bool TryGetByMnemonic(string mnemonic, out Info info) => ByMnemonic.TryGetValue(mnemonic, out info!);

    /// <summary>The prefix byte of an opcode (0 for single-byte opcodes) and its sub-opcode.</summary>
    public static (byte Prefix, uint Code) Split(Opcode opcode)
    {
        uint v = (uint)opcode;
        if (v >= 0xFD0000) return (0xFD, v & 0xFFFF);
        if (v >= 0xFC00) return (0xFC, v & 0xFF);
        return (0, v);
    }
}
