using System.Reflection;
using System.Reflection.Emit;
using IronWasm.Loading;

namespace IronWasm.Tests.Loading;

/// <summary>The operand table the DynamicMethod loader walks IL with is ECMA-335's, as the runtime's
/// own <see cref="OpCodes"/> describe it, for every opcode; and a walk finds exactly the token operands.</summary>
public sealed class ILOperandsTests
{
    public static TheoryData<string> AllOpCodes()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            if (((OpCode)field.GetValue(null)!).OpCodeType != OpCodeType.Nternal) data.Add(field.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllOpCodes))]
    public void EveryOpcodeHasTheOperandTheRuntimeDescribes(string name)
    {
        var opcode = (OpCode)typeof(OpCodes).GetField(name)!.GetValue(null)!;
        var expected = opcode.OperandType switch
        {
            OperandType.InlineNone => ILOperands.Operand.None,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => ILOperands.Operand.Int8,
            OperandType.InlineVar => ILOperands.Operand.Int16,
            OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR => ILOperands.Operand.Int32,
            OperandType.InlineI8 or OperandType.InlineR => ILOperands.Operand.Int64,
            OperandType.InlineSwitch => ILOperands.Operand.Switch,
            _ => ILOperands.Operand.Token, // InlineField, InlineMethod, InlineSig, InlineString, InlineTok, InlineType
        };
        bool prefixed = opcode.Size == 2;
        Assert.Equal(expected, ILOperands.Of((byte)opcode.Value, prefixed));
    }

    [Fact]
    public void BytesThatAreNoOpcodeAreUnknown()
    {
        var known = new HashSet<(byte, bool)>();
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opcode = (OpCode)field.GetValue(null)!;
            // The reserved prefixes (Prefix1-7, Prefixref) are not for use in IL bodies.
            if (opcode.OpCodeType != OpCodeType.Nternal) known.Add(((byte)opcode.Value, opcode.Size == 2));
        }
        for (int value = 0; value < 256; value++)
        {
            foreach (bool prefixed in (bool[])[false, true])
            {
                if (known.Contains(((byte)value, prefixed)) || (!prefixed && value == 0xFE)) continue;
                // "no." (FE 19, ECMA-335 Partition III 2.2) has no field in OpCodes but is an opcode.
                if (prefixed && value == 0x19) continue;
                Assert.True(ILOperands.Of((byte)value, prefixed) == ILOperands.Operand.Invalid, $"{(prefixed ? "FE " : "")}{value:X2} is no opcode, yet has an operand");
            }
        }
    }

    [Fact]
    public void AWalkFindsEveryTokenOperandAndNothingElse()
    {
        byte[] il =
        [
            0x20, 0x28, 0x00, 0x00, 0x0A,        // ldc.i4 0x0A000028 (an int that looks like a token)
            0x28, 0x01, 0x00, 0x00, 0x0A,        // call 0x0A000001
            0x45, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, // switch (2 targets)
            0xFE, 0x15, 0x02, 0x00, 0x00, 0x01,  // initobj 0x01000002
            0xFE, 0x0C, 0x03, 0x00,              // ldloc 3
            0x7B, 0x05, 0x00, 0x00, 0x0A,        // ldfld 0x0A000005
            0x2A,                                // ret
        ];
        Assert.Equal([6, 25, 34], ILOperands.TokenPositions(il));
    }

    [Theory]
    [InlineData(new byte[] { 0x28, 0x01, 0x00 })]                  // call, token cut short
    [InlineData(new byte[] { 0xFE })]                              // a prefix and nothing after it
    [InlineData(new byte[] { 0x45, 0xFF, 0xFF, 0xFF, 0x7F, 0x00 })] // switch claiming 2^31 targets
    [InlineData(new byte[] { 0x24 })]                              // not an opcode
    public void MalformedBodiesAreRefusedNotOverrun(byte[] il)
    {
        Assert.Throws<BadImageFormatException>(() => ILOperands.TokenPositions(il));
    }
}
