using System.Runtime.Intrinsics;

namespace IronWasm.Binary;

/// <summary>The memarg immediate of loads and stores. <see cref="MemoryIndex"/> is always 0 in
/// WebAssembly 2.0; it is here so that the validator and compiler need not change for multi-memory.</summary>
internal readonly record struct MemoryArgument(uint AlignExponent, ulong Offset, uint MemoryIndex);

internal enum BlockTypeKind : byte { Empty, Value, TypeIndex }

/// <summary>The blocktype immediate of block, loop and if: no type, a single result type, or a type
/// index. A type index encoded as a negative s33 becomes <see cref="uint.MaxValue"/>, which is never
/// a valid index (the validator reports it as an unknown type, as the spec does).</summary>
internal readonly record struct BlockType(BlockTypeKind Kind, ValueKind Value, uint TypeIndex);

/// <summary>One decoded instruction: its opcode, where it is, and its immediates. Which fields are
/// meaningful depends on the opcode's <see cref="ImmediateKind"/>; the others are zero.</summary>
internal struct Instruction
{
    public Opcode Opcode;

    /// <summary>Module byte offset of the opcode.</summary>
    public int Offset;

    /// <summary>Label, function, local, global, table, type, data or element index; the memory index of
    /// memory.size/grow/fill; br_table: the default label; select_typed: the number of types;
    /// call_indirect: the type index; table.copy: the destination table; table.init/memory.init: the
    /// segment index; memory.copy: the destination memory.</summary>
    public uint Index;

    /// <summary>call_indirect: the table; table.copy: the source table; table.init: the table;
    /// memory.init: the memory; memory.copy: the source memory.</summary>
    public uint Index2;

    /// <summary>i32.const (sign-extended to 64 bits) or i64.const.</summary>
    public long Integer;

    /// <summary>f32.const (in the low 32 bits) or f64.const, as raw IEEE 754 bits.</summary>
    public ulong FloatBits;

    /// <summary>Loads and stores, including the SIMD ones.</summary>
    public MemoryArgument Memory;

    /// <summary>The lane index of lane instructions (not range-checked here; that is validation).</summary>
    public byte Lane;

    /// <summary>block, loop, if.</summary>
    public BlockType Block;

    /// <summary>ref.null's reference type; select_typed's first type.</summary>
    public ValueKind Type;

    /// <summary>v128.const's bytes; i8x16.shuffle's lane indices.</summary>
    public Vector128<byte> Vector;

    /// <summary>br_table: the number of targets, not counting the default.</summary>
    public int TargetCount;

    /// <summary>br_table: position of the first target within the code span the reader was given
    /// (read them with <see cref="InstructionReader.ReadBranchTargets"/>).</summary>
    public int TargetsPosition;
}
