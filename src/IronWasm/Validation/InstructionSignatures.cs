using IronWasm.Binary;

namespace IronWasm.Validation;

/// <summary>How the validator checks an instruction that has a fixed operand-to-result signature,
/// beyond popping and pushing that signature.</summary>
internal enum SignatureClass : byte
{
    /// <summary>Not a fixed-signature instruction: the validator types it case by case.</summary>
    Special,
    Plain,
    /// <summary>A load or store: the memory must exist and the alignment must not exceed natural.</summary>
    MemoryAccess,
    /// <summary>extract_lane / replace_lane: the lane index must be below the lane count.</summary>
    Lane,
    /// <summary>v128.loadN_lane / v128.storeN_lane: both memory and lane checks.</summary>
    MemoryAccessLane,
    /// <summary>i8x16.shuffle: every lane index must select one of the 32 input lanes.</summary>
    Shuffle,
}

/// <summary>A fixed signature, flattened so that typing the common instructions costs a table load and
/// a few compares. Every fixed-signature instruction of Wasm 2.0 has at most three operands and at most
/// one result.</summary>
internal readonly struct InstructionSignature
{
    public readonly SignatureClass Class;
    public readonly byte OperandCount;
    public readonly ValueKind Operand0, Operand1, Operand2;
    /// <summary>The result type, or 0 when the instruction produces no value.</summary>
    public readonly ValueKind Result;
    /// <summary>log2 of the natural access size in bytes (memory accesses only): the largest valid alignment.</summary>
    public readonly byte MaxAlignment;
    public readonly byte LaneCount;

    public InstructionSignature(SignatureClass @class, ValueKind[] operands, ValueKind[] results, byte maxAlignment, byte laneCount)
    {
        if (operands.Length > 3 || results.Length > 1)
            throw new InvalidOperationException("fixed signatures have at most three operands and one result");
        Class = @class;
        OperandCount = (byte)operands.Length;
        Operand0 = operands.Length > 0 ? operands[0] : 0;
        Operand1 = operands.Length > 1 ? operands[1] : 0;
        Operand2 = operands.Length > 2 ? operands[2] : 0;
        Result = results.Length > 0 ? results[0] : 0;
        MaxAlignment = maxAlignment;
        LaneCount = laneCount;
    }
}

/// <summary>Dense per-opcode table of <see cref="InstructionSignature"/>s, built once from
/// <see cref="OpcodeTable"/>.</summary>
internal static class InstructionSignatures
{
    // Single-byte opcodes occupy [0, 0x100), 0xFC-prefixed [0x100, 0x200), 0xFD-prefixed [0x200, 0x400).
    private const int TableSize = 0x400;
    private static readonly InstructionSignature[] Table = Build();

    /// <summary>The signature of <paramref name="opcode"/>; <see cref="SignatureClass.Special"/> when it has none.</summary>
    public static ref readonly InstructionSignature Get(Opcode opcode)
    {
        int index = DenseIndex(opcode);
        if ((uint)index >= TableSize) return ref Table[0]; // unreachable is Special
        return ref Table[index];
    }

    private static int DenseIndex(Opcode opcode)
    {
        uint value = (uint)opcode;
        if (value < 0x100) return (int)value;
        if (value >> 8 == 0xFC) return 0x100 + (int)(value & 0xFF);
        if (value >> 16 == 0xFD && (value & 0xFFFF) < 0x200) return 0x200 + (int)(value & 0xFFFF);
        return -1;
    }

    private static InstructionSignature[] Build()
    {
        var table = new InstructionSignature[TableSize];
        foreach (var info in OpcodeTable.All)
        {
            if (info.Operands is null || info.Results is null) continue;
            int index = DenseIndex(info.Opcode);
            if (index < 0) throw new InvalidOperationException($"opcode {info.Mnemonic} outside the signature table");
            byte alignment = NaturalAlignment(info.Opcode);
            byte lanes = LaneCount(info.Mnemonic);
            var @class = info.Immediate switch
            {
                ImmediateKind.MemArg => SignatureClass.MemoryAccess,
                ImmediateKind.MemArgLane => SignatureClass.MemoryAccessLane,
                ImmediateKind.Lane => SignatureClass.Lane,
                ImmediateKind.Shuffle => SignatureClass.Shuffle,
                ImmediateKind.None => SignatureClass.Plain,
                _ => throw new InvalidOperationException($"unexpected immediate on fixed-signature {info.Mnemonic}"),
            };
            bool accessesMemory = @class is SignatureClass.MemoryAccess or SignatureClass.MemoryAccessLane;
            if (accessesMemory != (alignment != NotMemoryAccess))
                throw new InvalidOperationException($"natural alignment of {info.Mnemonic} is not known");
            if (!accessesMemory) alignment = 0;
            if (@class == SignatureClass.MemoryAccessLane) lanes = (byte)(16 >> alignment);
            table[index] = new InstructionSignature(@class, info.Operands, info.Results, alignment, lanes);
        }
        return table;
    }

    private static byte LaneCount(string mnemonic) =>
        mnemonic.StartsWith("i8x16.", StringComparison.Ordinal) ? (byte)16
        : mnemonic.StartsWith("i16x8.", StringComparison.Ordinal) ? (byte)8
        : mnemonic.StartsWith("i32x4.", StringComparison.Ordinal) || mnemonic.StartsWith("f32x4.", StringComparison.Ordinal) ? (byte)4
        : mnemonic.StartsWith("i64x2.", StringComparison.Ordinal) || mnemonic.StartsWith("f64x2.", StringComparison.Ordinal) ? (byte)2
        : (byte)0;

    /// <summary>log2 of the number of bytes a memory instruction accesses.</summary>
    private const byte NotMemoryAccess = byte.MaxValue;

    private static byte NaturalAlignment(Opcode opcode) => opcode switch
    {
        Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I64Load8S or Opcode.I64Load8U
            or Opcode.I32Store8 or Opcode.I64Store8
            or Opcode.V128Load8Splat or Opcode.V128Load8Lane or Opcode.V128Store8Lane => 0,
        Opcode.I32Load16S or Opcode.I32Load16U or Opcode.I64Load16S or Opcode.I64Load16U
            or Opcode.I32Store16 or Opcode.I64Store16
            or Opcode.V128Load16Splat or Opcode.V128Load16Lane or Opcode.V128Store16Lane => 1,
        Opcode.I32Load or Opcode.F32Load or Opcode.I64Load32S or Opcode.I64Load32U
            or Opcode.I32Store or Opcode.F32Store or Opcode.I64Store32
            or Opcode.V128Load32Splat or Opcode.V128Load32Zero or Opcode.V128Load32Lane or Opcode.V128Store32Lane => 2,
        Opcode.I64Load or Opcode.F64Load or Opcode.I64Store or Opcode.F64Store
            or Opcode.V128Load8x8S or Opcode.V128Load8x8U or Opcode.V128Load16x4S or Opcode.V128Load16x4U
            or Opcode.V128Load32x2S or Opcode.V128Load32x2U
            or Opcode.V128Load64Splat or Opcode.V128Load64Zero or Opcode.V128Load64Lane or Opcode.V128Store64Lane => 3,
        Opcode.V128Load or Opcode.V128Store => 4,
        _ => NotMemoryAccess,
    };
}
