namespace IronWasm.Tests.Validation;

/// <summary>Instruction bytes for hand-assembled function bodies.</summary>
internal static class Op
{
    public const byte Unreachable = 0x00, Nop = 0x01, Block = 0x02, Loop = 0x03, If = 0x04, Else = 0x05, End = 0x0B;
    public const byte Br = 0x0C, BrIf = 0x0D, BrTable = 0x0E, Return = 0x0F, Call = 0x10, CallIndirect = 0x11;
    public const byte Drop = 0x1A, Select = 0x1B, SelectTyped = 0x1C;
    public const byte LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22, GlobalGet = 0x23, GlobalSet = 0x24;
    public const byte TableGet = 0x25, TableSet = 0x26;
    public const byte I32Load = 0x28, I64Load = 0x29, I32Load8U = 0x2D, I32Store = 0x36, I64Store8 = 0x3C;
    public const byte MemorySize = 0x3F, MemoryGrow = 0x40;
    public const byte I32Const = 0x41, I64Const = 0x42, F32Const = 0x43, F64Const = 0x44;
    public const byte I32Eqz = 0x45, I32Add = 0x6A, I64Add = 0x7C, F32Add = 0x92, I32Extend8S = 0xC0;
    public const byte RefNull = 0xD0, RefIsNull = 0xD1, RefFunc = 0xD2;
    public const byte Prefix = 0xFC, Simd = 0xFD;
    public const byte Empty = 0x40;
    public const byte I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, V128 = 0x7B, FuncRef = 0x70, ExternRef = 0x6F;

    // 0xFC sub-opcodes
    public const byte I32TruncSatF32S = 0x00, MemoryInit = 0x08, DataDrop = 0x09, MemoryCopy = 0x0A, MemoryFill = 0x0B;
    public const byte TableInit = 0x0C, ElemDrop = 0x0D, TableCopy = 0x0E, TableGrow = 0x0F, TableSize = 0x10, TableFill = 0x11;

    /// <summary>v128.const with all bytes zero.</summary>
    public static readonly byte[] V128Zero = [Simd, 0x0C, .. new byte[16]];

    /// <summary>Concatenates instruction fragments.</summary>
    public static byte[] Code(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case byte b: bytes.Add(b); break;
                case int i: bytes.Add(checked((byte)i)); break;
                case byte[] array: bytes.AddRange(array); break;
                default: throw new ArgumentException($"cannot assemble {part}");
            }
        }
        return bytes.ToArray();
    }

    /// <summary>Unsigned LEB128.</summary>
    public static byte[] U32(uint value) => Binary.Bytes.U32(value);
}
