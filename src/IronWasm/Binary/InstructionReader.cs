using System.Runtime.Intrinsics;

namespace IronWasm.Binary;

/// <summary>Decodes instructions one at a time from encoded code (a function body's expression or a
/// constant expression), allocating nothing. Malformed bytes raise <see cref="WasmFormatException"/>
/// with the module offset; typing is the validator's business, so e.g. lane indices and alignments
/// are returned unchecked.</summary>
internal ref struct InstructionReader
{
    private WasmReader _reader;

    /// <param name="code">The encoded instructions.</param>
    /// <param name="baseOffset">Module offset of <c>code[0]</c>.</param>
    public InstructionReader(ReadOnlySpan<byte> code, int baseOffset)
    {
        _reader = new WasmReader(code, baseOffset);
    }

    public readonly bool HasMore => !_reader.IsAtEnd;

    /// <summary>Module offset of the next instruction.</summary>
    public readonly int Offset => _reader.Offset;

    /// <summary>Position of the next instruction within the code span.</summary>
    public readonly int Position => _reader.Position;

    public Instruction Read()
    {
        int offset = _reader.Offset;
        byte first = _reader.ReadByte();
        Opcode opcode;
        ImmediateKind kind;
        if (first is 0xFC or 0xFD)
        {
            uint code = _reader.ReadVarUInt32();
            if (!ImmediateKinds.TryGetPrefixed(first, code, out kind))
                throw new WasmFormatException($"illegal opcode 0x{first:X2} 0x{code:X2}", offset);
            opcode = (Opcode)(first == 0xFC ? 0xFC00u | code : 0xFD0000u | code);
        }
        else
        {
            if (!ImmediateKinds.TryGetSingle(first, out kind))
                throw new WasmFormatException($"illegal opcode 0x{first:X2}", offset);
            opcode = (Opcode)first;
        }

        var instruction = new Instruction { Opcode = opcode, Offset = offset };
        switch (kind)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.BlockType:
                instruction.Block = ReadBlockType();
                break;
            case ImmediateKind.LabelIndex:
            case ImmediateKind.FunctionIndex:
            case ImmediateKind.LocalIndex:
            case ImmediateKind.GlobalIndex:
            case ImmediateKind.TableIndex:
            case ImmediateKind.DataIndex:
            case ImmediateKind.ElementIndex:
                instruction.Index = _reader.ReadVarUInt32();
                break;
            case ImmediateKind.BrTable:
            {
                int count = _reader.ReadLength();
                instruction.TargetCount = count;
                instruction.TargetsPosition = _reader.Position;
                for (int i = 0; i < count; i++) _reader.ReadVarUInt32();
                instruction.Index = _reader.ReadVarUInt32();
                break;
            }
            case ImmediateKind.CallIndirect:
                instruction.Index = _reader.ReadVarUInt32();
                instruction.Index2 = _reader.ReadVarUInt32();
                break;
            case ImmediateKind.SelectTypes:
            {
                int count = _reader.ReadLength();
                instruction.Index = (uint)count;
                for (int i = 0; i < count; i++)
                {
                    var type = _reader.ReadValueType();
                    if (i == 0) instruction.Type = type;
                }
                break;
            }
            case ImmediateKind.MemArg:
                instruction.Memory = ReadMemoryArgument();
                break;
            case ImmediateKind.MemArgLane:
                instruction.Memory = ReadMemoryArgument();
                instruction.Lane = _reader.ReadByte();
                break;
            case ImmediateKind.MemoryIndex:
                instruction.Index = ReadZeroByte();
                break;
            case ImmediateKind.I32:
                instruction.Integer = _reader.ReadVarInt32();
                break;
            case ImmediateKind.I64:
                instruction.Integer = _reader.ReadVarInt64();
                break;
            case ImmediateKind.F32:
                instruction.FloatBits = _reader.ReadUInt32();
                break;
            case ImmediateKind.F64:
                instruction.FloatBits = _reader.ReadUInt64();
                break;
            case ImmediateKind.HeapType:
                instruction.Type = _reader.ReadReferenceType();
                break;
            case ImmediateKind.MemoryInit:
                instruction.Index = _reader.ReadVarUInt32();
                instruction.Index2 = ReadZeroByte();
                break;
            case ImmediateKind.MemoryCopy:
                instruction.Index = ReadZeroByte();
                instruction.Index2 = ReadZeroByte();
                break;
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                instruction.Index = _reader.ReadVarUInt32();
                instruction.Index2 = _reader.ReadVarUInt32();
                break;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
                instruction.Vector = Vector128.Create(_reader.ReadBytes(16));
                break;
            case ImmediateKind.Lane:
                instruction.Lane = _reader.ReadByte();
                break;
            default:
                throw new InvalidOperationException($"OpcodeTable gives {opcode} an immediate kind the reader does not know: {kind}");
        }
        return instruction;
    }

    /// <summary>Fills <paramref name="targets"/> (at least <see cref="Instruction.TargetCount"/> long)
    /// with the label indices of a br_table returned by this reader.</summary>
    public readonly void ReadBranchTargets(in Instruction brTable, Span<uint> targets)
    {
        var reader = new WasmReader(_reader.Data, _reader.BaseOffset) { Position = brTable.TargetsPosition };
        for (int i = 0; i < brTable.TargetCount; i++) targets[i] = reader.ReadVarUInt32();
    }

    private BlockType ReadBlockType()
    {
        byte b = _reader.PeekByte();
        if (b == 0x40)
        {
            _reader.ReadByte();
            return new BlockType(BlockTypeKind.Empty, default, 0);
        }
        // A single byte in 0x40..0x7F is a (negative) value type; anything else is an s33 type index.
        if ((b & 0xC0) == 0x40) return new BlockType(BlockTypeKind.Value, _reader.ReadValueType(), 0);
        long index = _reader.ReadVarInt33();
        return new BlockType(BlockTypeKind.TypeIndex, default, index < 0 ? uint.MaxValue : (uint)index);
    }

    private MemoryArgument ReadMemoryArgument()
    {
        uint align = _reader.ReadVarUInt32();
        uint offset = _reader.ReadVarUInt32();
        return new MemoryArgument(align, offset, 0);
    }

    /// <summary>The reserved memory index byte of WebAssembly 2.0: exactly one 0x00 byte (a longer
    /// LEB128 zero is malformed too).</summary>
    private uint ReadZeroByte()
    {
        int offset = _reader.Offset;
        if (_reader.ReadByte() != 0) throw new WasmFormatException("zero byte expected", offset);
        return 0;
    }
}
