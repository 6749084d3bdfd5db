using System.Buffers.Binary;

namespace IronWasm.Loading;

/// <summary>Walks a CIL method body instruction by instruction to find its metadata-token operands.
/// The operand layout of every opcode (ECMA-335, Partition III) is written out here rather than read
/// from <see cref="System.Reflection.Emit.OpCodes"/> by reflection, which a trimmed build may not keep
/// whole; a test checks the two agree.</summary>
internal static class ILOperands
{
    /// <summary>What follows an opcode.</summary>
    internal enum Operand : byte
    {
        /// <summary>Not an opcode.</summary>
        Invalid,
        None,
        Int8,
        Int16,
        Int32,
        Int64,
        /// <summary>A 4-byte metadata token.</summary>
        Token,
        /// <summary>A 4-byte count n, then n 4-byte branch offsets.</summary>
        Switch,
    }

    private static readonly Operand[] OneByte = BuildOneByte();
    private static readonly Operand[] TwoByte = BuildTwoByte();

    /// <summary>The operand of one-byte opcode <paramref name="opcode"/>, or of 0xFE-prefixed
    /// <paramref name="opcode"/> when <paramref name="prefixed"/>.</summary>
    internal static Operand Of(byte opcode, bool prefixed) => prefixed ? TwoByte[opcode] : OneByte[opcode];

    /// <summary>The offset of every metadata-token operand in <paramref name="il"/>, in order.
    /// Throws <see cref="BadImageFormatException"/> for an unknown opcode or an operand past the end.</summary>
    public static List<int> TokenPositions(ReadOnlySpan<byte> il)
    {
        var positions = new List<int>();
        int position = 0;
        while (position < il.Length)
        {
            int start = position;
            byte opcode = il[position++];
            bool prefixed = opcode == 0xFE;
            if (prefixed)
            {
                if (position >= il.Length) throw Truncated(start);
                opcode = il[position++];
            }
            int size;
            switch (Of(opcode, prefixed))
            {
                case Operand.None: size = 0; break;
                case Operand.Int8: size = 1; break;
                case Operand.Int16: size = 2; break;
                case Operand.Int32: size = 4; break;
                case Operand.Int64: size = 8; break;
                case Operand.Token:
                    size = 4;
                    positions.Add(position);
                    break;
                case Operand.Switch:
                    if (position + 4 > il.Length) throw Truncated(start);
                    uint count = BinaryPrimitives.ReadUInt32LittleEndian(il[position..]);
                    if (count > (uint)(il.Length - position - 4) / 4) throw Truncated(start);
                    size = 4 + 4 * (int)count;
                    break;
                default:
                    throw new BadImageFormatException($"unknown opcode {(prefixed ? "FE " : "")}{opcode:X2} at IL offset {start}");
            }
            if (position + size > il.Length) throw Truncated(start);
            position += size;
        }
        return positions;
    }

    private static BadImageFormatException Truncated(int offset) => new($"the instruction at IL offset {offset} runs past the end of the method body");

    private static Operand[] BuildOneByte()
    {
        var table = new Operand[256];
        Set(table, 0x00, 0x0D, Operand.None);      // nop, break, ldarg.0-3, ldloc.0-3, stloc.0-3
        Set(table, 0x0E, 0x13, Operand.Int8);      // ldarg.s, ldarga.s, starg.s, ldloc.s, ldloca.s, stloc.s
        Set(table, 0x14, 0x1E, Operand.None);      // ldnull, ldc.i4.m1-8
        table[0x1F] = Operand.Int8;                // ldc.i4.s
        table[0x20] = Operand.Int32;               // ldc.i4
        table[0x21] = Operand.Int64;               // ldc.i8
        table[0x22] = Operand.Int32;               // ldc.r4
        table[0x23] = Operand.Int64;               // ldc.r8
        Set(table, 0x25, 0x26, Operand.None);      // dup, pop
        Set(table, 0x27, 0x29, Operand.Token);     // jmp, call, calli
        table[0x2A] = Operand.None;                // ret
        Set(table, 0x2B, 0x37, Operand.Int8);      // short branches
        Set(table, 0x38, 0x44, Operand.Int32);     // branches
        table[0x45] = Operand.Switch;
        Set(table, 0x46, 0x6E, Operand.None);      // ldind.*, stind.*, arithmetic, conv.*
        Set(table, 0x6F, 0x75, Operand.Token);     // callvirt, cpobj, ldobj, ldstr, newobj, castclass, isinst
        table[0x76] = Operand.None;                // conv.r.un
        table[0x79] = Operand.Token;               // unbox
        table[0x7A] = Operand.None;                // throw
        Set(table, 0x7B, 0x81, Operand.Token);     // ldfld, ldflda, stfld, ldsfld, ldsflda, stsfld, stobj
        Set(table, 0x82, 0x8B, Operand.None);      // conv.ovf.*.un
        Set(table, 0x8C, 0x8D, Operand.Token);     // box, newarr
        table[0x8E] = Operand.None;                // ldlen
        table[0x8F] = Operand.Token;               // ldelema
        Set(table, 0x90, 0xA2, Operand.None);      // ldelem.*, stelem.*
        Set(table, 0xA3, 0xA5, Operand.Token);     // ldelem, stelem, unbox.any
        Set(table, 0xB3, 0xBA, Operand.None);      // conv.ovf.*
        table[0xC2] = Operand.Token;               // refanyval
        table[0xC3] = Operand.None;                // ckfinite
        table[0xC6] = Operand.Token;               // mkrefany
        table[0xD0] = Operand.Token;               // ldtoken
        Set(table, 0xD1, 0xDC, Operand.None);      // conv.u2 ... endfinally
        table[0xDD] = Operand.Int32;               // leave
        table[0xDE] = Operand.Int8;                // leave.s
        Set(table, 0xDF, 0xE0, Operand.None);      // stind.i, conv.u
        return table;
    }

    private static Operand[] BuildTwoByte()
    {
        var table = new Operand[256];
        Set(table, 0x00, 0x05, Operand.None);      // arglist, ceq, cgt, cgt.un, clt, clt.un
        Set(table, 0x06, 0x07, Operand.Token);     // ldftn, ldvirtftn
        Set(table, 0x09, 0x0E, Operand.Int16);     // ldarg, ldarga, starg, ldloc, ldloca, stloc
        table[0x0F] = Operand.None;                // localloc
        table[0x11] = Operand.None;                // endfilter
        table[0x12] = Operand.Int8;                // unaligned.
        Set(table, 0x13, 0x14, Operand.None);      // volatile., tail.
        Set(table, 0x15, 0x16, Operand.Token);     // initobj, constrained.
        Set(table, 0x17, 0x18, Operand.None);      // cpblk, initblk
        table[0x19] = Operand.Int8;                // no.
        table[0x1A] = Operand.None;                // rethrow
        table[0x1C] = Operand.Token;               // sizeof
        Set(table, 0x1D, 0x1E, Operand.None);      // refanytype, readonly.
        return table;
    }

    private static void Set(Operand[] table, int first, int last, Operand operand)
    {
        for (int i = first; i <= last; i++) table[i] = operand;
    }
}
