using System.Runtime.Intrinsics;
using IronWasm.Binary;

namespace IronWasm.Tests.Binary;

public class InstructionReaderTests
{
    private static Instruction ReadOne(params byte[] code)
    {
        var reader = new InstructionReader(code, 0);
        var instruction = reader.Read();
        Assert.False(reader.HasMore);
        return instruction;
    }

    private static string Error(params byte[] code) =>
        Assert.Throws<WasmFormatException>(() => ReadOne(code)).Reason;

    [Fact]
    public void ReadsASequenceWithModuleOffsets()
    {
        var reader = new InstructionReader([0x41, 0x2A, 0x1A, 0x0B], 1000);
        Assert.Equal(1000, reader.Offset);
        var first = reader.Read();
        Assert.Equal((Opcode.I32Const, 1000, 42L), (first.Opcode, first.Offset, first.Integer));
        Assert.Equal(1002, reader.Offset);
        Assert.Equal(Opcode.Drop, reader.Read().Opcode);
        var end = reader.Read();
        Assert.Equal((Opcode.End, 1003), (end.Opcode, end.Offset));
        Assert.False(reader.HasMore);
    }

    [Fact]
    public void I32ConstIsSignExtended() => Assert.Equal(-1L, ReadOne(0x41, 0x7F).Integer);

    [Fact]
    public void I64ConstReadsSixtyFourBits() =>
        Assert.Equal(long.MinValue, ReadOne(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F).Integer);

    [Fact]
    public void F32ConstKeepsRawBitsIncludingNaNPayload() =>
        Assert.Equal(0x7FA00001UL, ReadOne(0x43, 0x01, 0x00, 0xA0, 0x7F).FloatBits);

    [Fact]
    public void F64ConstKeepsRawBits() =>
        Assert.Equal(0xFFF0000000000001UL, ReadOne(0x44, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0xFF).FloatBits);

    [Fact]
    public void EmptyBlockType() =>
        Assert.Equal(new BlockType(BlockTypeKind.Empty, default, 0), ReadOne(0x02, 0x40).Block);

    [Fact]
    public void ValueBlockType() =>
        Assert.Equal(new BlockType(BlockTypeKind.Value, ValueKind.F64, 0), ReadOne(0x03, 0x7C).Block);

    [Fact]
    public void TypeIndexBlockTypeIsS33() =>
        Assert.Equal(new BlockType(BlockTypeKind.TypeIndex, default, 200), ReadOne(0x04, 0xC8, 0x01).Block);

    [Fact]
    public void NegativeTypeIndexBlockTypeBecomesAnImpossibleIndex() =>
        Assert.Equal(uint.MaxValue, ReadOne(0x02, 0x80, 0x7F).Block.TypeIndex);

    [Fact]
    public void BlockTypeWithUnknownValueTypeIsMalformed() => Assert.StartsWith("malformed", Error(0x02, 0x7A));

    [Fact]
    public void BrTableTargetsAreReadBack()
    {
        byte[] code = [0x01, 0x0E, 0x03, 0x00, 0x81, 0x01, 0x02, 0x05, 0x0B];
        var reader = new InstructionReader(code, 0);
        reader.Read();
        var brTable = reader.Read();
        Assert.Equal((Opcode.BrTable, 3, 5u), (brTable.Opcode, brTable.TargetCount, brTable.Index));
        Span<uint> targets = stackalloc uint[brTable.TargetCount];
        reader.ReadBranchTargets(brTable, targets);
        Assert.Equal([0u, 129u, 2u], targets.ToArray());
        Assert.Equal(Opcode.End, reader.Read().Opcode);
    }

    [Fact]
    public void BrTableCountBeyondTheCodeIsOutOfBounds() => Assert.Equal("length out of bounds", Error(0x0E, 0x7F, 0x00));

    [Fact]
    public void CallIndirectHasTypeThenTable()
    {
        var instruction = ReadOne(0x11, 0x05, 0x02);
        Assert.Equal((5u, 2u), (instruction.Index, instruction.Index2));
    }

    [Fact]
    public void CallIndirectTableIndexIsALeb128() => Assert.Equal(130u, ReadOne(0x11, 0x00, 0x82, 0x01).Index2);

    [Fact]
    public void TypedSelectRecordsCountAndFirstType()
    {
        var instruction = ReadOne(0x1C, 0x01, 0x7E);
        Assert.Equal((Opcode.SelectTyped, 1u, ValueKind.I64), (instruction.Opcode, instruction.Index, instruction.Type));
    }

    [Fact]
    public void TypedSelectWithSeveralTypesIsWellFormed() => Assert.Equal(2u, ReadOne(0x1C, 0x02, 0x7F, 0x7F).Index);

    [Fact]
    public void LoadHasAlignmentAndOffset() =>
        Assert.Equal(new MemoryArgument(2, 0xFFFFFFFF, 0), ReadOne(0x28, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F).Memory);

    [Theory]
    [InlineData(new byte[] { 0x3F, 0x00 }, (int)Opcode.MemorySize)]
    [InlineData(new byte[] { 0x40, 0x00 }, (int)Opcode.MemoryGrow)]
    [InlineData(new byte[] { 0xFC, 0x0B, 0x00 }, (int)Opcode.MemoryFill)]
    public void MemoryIndexImmediateIsAZeroByte(byte[] code, int opcode)
    {
        var instruction = ReadOne(code);
        Assert.Equal(((Opcode)opcode, 0u), (instruction.Opcode, instruction.Index));
    }

    [Theory]
    [InlineData(new byte[] { 0x3F, 0x01 })]
    [InlineData(new byte[] { 0x40, 0x80, 0x00 })]
    [InlineData(new byte[] { 0xFC, 0x08, 0x00, 0x01 })]
    [InlineData(new byte[] { 0xFC, 0x0A, 0x00, 0x01 })]
    [InlineData(new byte[] { 0xFC, 0x0B, 0x80, 0x00 })]
    public void NonZeroMemoryIndexByteIsMalformed(byte[] code) => Assert.Equal("zero byte expected", Error(code));

    [Fact]
    public void MemoryInitHasSegmentThenMemory()
    {
        var instruction = ReadOne(0xFC, 0x08, 0x07, 0x00);
        Assert.Equal((Opcode.MemoryInit, 7u, 0u), (instruction.Opcode, instruction.Index, instruction.Index2));
    }

    [Fact]
    public void TableInitHasSegmentThenTable()
    {
        var instruction = ReadOne(0xFC, 0x0C, 0x03, 0x01);
        Assert.Equal((Opcode.TableInit, 3u, 1u), (instruction.Opcode, instruction.Index, instruction.Index2));
    }

    [Fact]
    public void TableCopyHasDestinationThenSource()
    {
        var instruction = ReadOne(0xFC, 0x0E, 0x04, 0x05);
        Assert.Equal((Opcode.TableCopy, 4u, 5u), (instruction.Opcode, instruction.Index, instruction.Index2));
    }

    [Fact]
    public void PrefixedSubOpcodeIsALeb128() => Assert.Equal(Opcode.I32TruncSatF32S, ReadOne(0xFC, 0x80, 0x00).Opcode);

    [Fact]
    public void RefNullHasAReferenceType() => Assert.Equal(ValueKind.ExternRef, ReadOne(0xD0, 0x6F).Type);

    [Fact]
    public void RefNullOfANumberTypeIsMalformed() => Assert.StartsWith("malformed reference type", Error(0xD0, 0x7F));

    [Fact]
    public void V128ConstHasSixteenBytes()
    {
        byte[] code = [0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        Assert.Equal(Vector128.Create((byte)1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), ReadOne(code).Vector);
    }

    [Fact]
    public void ShuffleHasSixteenLaneIndices()
    {
        byte[] code = [0xFD, 0x0D, 0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31];
        var instruction = ReadOne(code);
        Assert.Equal((Opcode.I8x16Shuffle, (byte)17), (instruction.Opcode, instruction.Vector.GetElement(1)));
    }

    [Fact]
    public void ExtractLaneHasALaneByte()
    {
        var instruction = ReadOne(0xFD, 0x15, 0x0F);
        Assert.Equal((Opcode.I8x16ExtractLaneS, (byte)15), (instruction.Opcode, instruction.Lane));
    }

    [Fact]
    public void LoadLaneHasMemoryArgumentThenLane()
    {
        var instruction = ReadOne(0xFD, 0x54, 0x00, 0x10, 0x0C);
        Assert.Equal((Opcode.V128Load8Lane, new MemoryArgument(0, 16, 0), (byte)12), (instruction.Opcode, instruction.Memory, instruction.Lane));
    }

    [Fact]
    public void SimdSubOpcodeAbove127UsesTwoBytes() => Assert.Equal(Opcode.F64x2ConvertLowI32x4U, ReadOne(0xFD, 0xFF, 0x01).Opcode);

    [Theory]
    [InlineData(new byte[] { 0x06 })]
    [InlineData(new byte[] { 0x27 })]
    [InlineData(new byte[] { 0xC5 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xFC, 0x12 })]
    [InlineData(new byte[] { 0xFD, 0x9A, 0x01 })]
    [InlineData(new byte[] { 0xFD, 0x80, 0x02 })]
    public void UnknownOpcodeIsIllegal(byte[] code) => Assert.StartsWith("illegal opcode", Error(code));

    [Fact]
    public void TruncatedImmediateIsUnexpectedEnd() => Assert.Equal(WasmReader.UnexpectedEnd, Error(0x44, 0x00, 0x00));

    [Fact]
    public void EveryOpcodeInTheTableDecodes()
    {
        // Each opcode with minimal immediates must come back as itself.
        foreach (var info in OpcodeTable.All)
        {
            var (prefix, code) = OpcodeTable.Split(info.Opcode);
            var bytes = new List<byte>();
            if (prefix != 0) bytes.AddRange([prefix, .. Bytes.U32(code)]);
            else bytes.Add((byte)code);
            bytes.AddRange(info.Immediate switch
            {
                ImmediateKind.None => [],
                ImmediateKind.BlockType => [0x40],
                ImmediateKind.BrTable => [0x00, 0x00],
                ImmediateKind.CallIndirect or ImmediateKind.TableInit or ImmediateKind.TableCopy
                    or ImmediateKind.MemoryCopy or ImmediateKind.MemoryInit => [0x00, 0x00],
                ImmediateKind.SelectTypes => [0x01, 0x7F],
                ImmediateKind.MemArg => [0x00, 0x00],
                ImmediateKind.MemArgLane => [0x00, 0x00, 0x00],
                ImmediateKind.F32 => new byte[4],
                ImmediateKind.F64 => new byte[8],
                ImmediateKind.HeapType => [0x70],
                ImmediateKind.V128 or ImmediateKind.Shuffle => new byte[16],
                _ => [0x00],
            });
            var reader = new InstructionReader(bytes.ToArray(), 0);
            Assert.Equal(info.Opcode, reader.Read().Opcode);
            Assert.False(reader.HasMore, info.Mnemonic);
        }
    }
}
