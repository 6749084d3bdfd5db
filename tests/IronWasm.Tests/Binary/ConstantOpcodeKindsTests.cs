using IronWasm.Binary;

namespace IronWasm.Tests.Binary;

/// <summary>ImmediateKinds answers the opcodes of constant expressions without building its tables
/// (what a module loaded from the compilation cache decodes); its answers are OpcodeTable's.</summary>
public sealed class ConstantOpcodeKindsTests
{
    [Fact]
    public void EverySingleByteOpcodeHasTheImmediatesOpcodeTableGivesIt()
    {
        for (int value = 0; value < 256; value++)
        {
            byte opcode = (byte)value;
            bool known = ImmediateKinds.TryGetSingle(opcode, out var kind);
            bool expected = opcode is not (0xFC or 0xFD) && OpcodeTable.TryGet((Opcode)opcode, out _);
            Assert.True(known == expected, $"opcode 0x{opcode:X2}: known {known}, OpcodeTable {expected}");
            if (expected) Assert.True(OpcodeTable.Get((Opcode)opcode).Immediate == kind, $"opcode 0x{opcode:X2}: {kind}");
        }
    }
}
