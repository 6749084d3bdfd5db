using IronWasm.Binary;

namespace IronWasm.Fuzzing;

/// <summary>Encodes instructions for code mutations: any opcode with plausible immediates (to probe the
/// decoder and validator), and well-typed, stack-neutral snippets with edge-case operands (to reach the
/// compiler and the runtime with values that trap, overflow, or carry NaN payloads).</summary>
internal static class InstructionEncoder
{
    private static readonly OpcodeTable.Info[] AllInstructions = OpcodeTable.All.OrderBy(i => (uint)i.Opcode).ToArray();

    /// <summary>Instructions whose typing is a fixed operand-to-result signature.</summary>
    private static readonly OpcodeTable.Info[] Typed = AllInstructions.Where(i => i.Operands is not null && i.Results is not null).ToArray();

    private static readonly Dictionary<string, OpcodeTable.Info[]> BySignature = Typed
        .GroupBy(Signature)
        .ToDictionary(g => g.Key, g => g.ToArray());

    private static readonly int[] InterestingInt32 =
        [0, 1, -1, 2, 7, 31, 32, 63, 64, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 65535, int.MaxValue, int.MinValue, int.MinValue + 1, -65536];

    private static readonly long[] InterestingInt64 =
        [0, 1, -1, 63, 64, 0xFFFFFFFF, 0x100000000, int.MinValue, int.MaxValue, long.MaxValue, long.MinValue, long.MinValue + 1];

    private static readonly uint[] InterestingFloat32 =
        [0, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FA00000, 0x7F800001, 0x00000001,
         0x007FFFFF, 0x7F7FFFFF, 0x4F000000, 0xCF000000, 0x5F000000, 0xDF000000, 0x4F800000, 0x3F000000, 0x3FC00000];

    private static readonly ulong[] InterestingFloat64 =
        [0, 0x8000000000000000, 0x3FF0000000000000, 0xBFF0000000000000, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
         0xFFF8000000000000, 0x7FF4000000000000, 0x7FF0000000000001, 0x0000000000000001, 0x000FFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF,
         0x41E0000000000000, 0xC1E0000000000000, 0x43E0000000000000, 0xC3E0000000000000, 0x41F0000000000000, 0x3FE0000000000000, 0x3FF8000000000000];

    private static readonly uint[] InterestingOffsets = [0, 1, 2, 3, 4, 8, 16, 0x7FFF, 0xFFFF, 0x10000, 0xFFF8, 0x7FFFFFFF, 0xFFFFFFF0, 0xFFFFFFFF];

    /// <summary>Encodings of instructions without a fixed signature that a snippet can still use safely:
    /// (bytes, operand count, whether it leaves an i32). All operands are i32.</summary>
    private static readonly (byte[] Bytes, int Operands, bool Result)[] UntypedExtras =
    [
        ([0x3F, 0x00], 0, true),             // memory.size
        ([0x40, 0x00], 1, true),             // memory.grow
        ([0xFC, 0x0B, 0x00], 3, false),      // memory.fill
        ([0xFC, 0x0A, 0x00, 0x00], 3, false), // memory.copy
        ([0xFC, 0x10, 0x00], 0, true),       // table.size 0
    ];

    public static void AppendOpcode(List<byte> output, Opcode opcode)
    {
        var (prefix, code) = OpcodeTable.Split(opcode);
        if (prefix == 0) { output.Add((byte)code); return; }
        output.Add(prefix);
        SectionLayout.WriteUInt32(output, code);
    }

    /// <summary>Any instruction of the table with immediates of roughly the right shape.</summary>
    public static byte[] RandomInstruction(ref FuzzRandom random)
    {
        var info = random.Pick(AllInstructions);
        var output = new List<byte>();
        AppendOpcode(output, info.Opcode);
        AppendImmediates(output, info.Immediate, ref random);
        return output.ToArray();
    }

    /// <summary>Operands pushed as constants, one instruction, its results dropped: valid wherever an
    /// instruction may start (given the memory or table it touches exists).</summary>
    public static byte[] StackNeutralSnippet(ref FuzzRandom random)
    {
        var output = new List<byte>();
        if (random.Chance(10))
        {
            var extra = UntypedExtras[random.Next(UntypedExtras.Length)];
            for (int i = 0; i < extra.Operands; i++) AppendConstant(output, ValueKind.I32, ref random);
            output.AddRange(extra.Bytes);
            if (extra.Result) output.Add((byte)Opcode.Drop);
            return output.ToArray();
        }
        var info = random.Pick(Typed);
        foreach (var operand in info.Operands!) AppendConstant(output, operand, ref random);
        AppendOpcode(output, info.Opcode);
        AppendImmediates(output, info.Immediate, ref random);
        foreach (var _ in info.Results!) output.Add((byte)Opcode.Drop);
        return output.ToArray();
    }

    /// <summary>Another instruction with the same operand and result types as <paramref name="opcode"/>
    /// (with fresh immediates), or null when it has no fixed signature.</summary>
    public static byte[]? SameSignature(Opcode opcode, ref FuzzRandom random)
    {
        if (!OpcodeTable.TryGet(opcode, out var info) || info.Operands is null || info.Results is null) return null;
        var replacement = random.Pick(BySignature[Signature(info)]);
        var output = new List<byte>();
        AppendOpcode(output, replacement.Opcode);
        AppendImmediates(output, replacement.Immediate, ref random);
        return output.ToArray();
    }

    public static void AppendConstant(List<byte> output, ValueKind kind, ref FuzzRandom random)
    {
        switch (kind)
        {
            case ValueKind.I32:
                output.Add((byte)Opcode.I32Const);
                WriteSigned(output, random.Chance(80) ? random.Pick(InterestingInt32) : (int)random.NextUInt64());
                break;
            case ValueKind.I64:
                output.Add((byte)Opcode.I64Const);
                WriteSigned(output, random.Chance(80) ? random.Pick(InterestingInt64) : (long)random.NextUInt64());
                break;
            case ValueKind.F32:
                output.Add((byte)Opcode.F32Const);
                output.AddRange(BitConverter.GetBytes(random.Chance(80) ? random.Pick(InterestingFloat32) : (uint)random.NextUInt64()));
                break;
            case ValueKind.F64:
                output.Add((byte)Opcode.F64Const);
                output.AddRange(BitConverter.GetBytes(random.Chance(80) ? random.Pick(InterestingFloat64) : random.NextUInt64()));
                break;
            case ValueKind.V128:
                AppendOpcode(output, Opcode.V128Const);
                AppendVector(output, ref random);
                break;
            default:
                output.Add((byte)Opcode.RefNull);
                output.Add((byte)kind);
                break;
        }
    }

    /// <summary>A constant instruction of the same type as the one given, with a new (edge-case) value.</summary>
    public static byte[]? ReplacementConstant(Opcode opcode, ref FuzzRandom random)
    {
        ValueKind? kind = opcode switch
        {
            Opcode.I32Const => ValueKind.I32,
            Opcode.I64Const => ValueKind.I64,
            Opcode.F32Const => ValueKind.F32,
            Opcode.F64Const => ValueKind.F64,
            Opcode.V128Const => ValueKind.V128,
            _ => null,
        };
        if (kind is null) return null;
        var output = new List<byte>();
        AppendConstant(output, kind.Value, ref random);
        return output.ToArray();
    }

    public static bool IsConstant(Opcode opcode) =>
        opcode is Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const or Opcode.V128Const;

    private static void AppendImmediates(List<byte> output, ImmediateKind kind, ref FuzzRandom random)
    {
        switch (kind)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.BlockType:
                output.Add(random.Chance(50) ? (byte)0x40 : random.Pick(ValueTypes));
                break;
            case ImmediateKind.BrTable:
                int targets = random.Next(4);
                SectionLayout.WriteUInt32(output, (uint)targets);
                for (int i = 0; i <= targets; i++) SectionLayout.WriteUInt32(output, (uint)random.Next(3));
                break;
            case ImmediateKind.CallIndirect:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                SectionLayout.WriteUInt32(output, (uint)random.Next(3));
                SectionLayout.WriteUInt32(output, (uint)random.Next(2));
                break;
            case ImmediateKind.SelectTypes:
                output.Add(1);
                output.Add(random.Pick(ValueTypes));
                break;
            case ImmediateKind.MemArg:
                AppendMemArg(output, ref random);
                break;
            case ImmediateKind.MemArgLane:
                AppendMemArg(output, ref random);
                output.Add(Lane(ref random));
                break;
            case ImmediateKind.MemoryIndex:
                output.Add(0);
                break;
            case ImmediateKind.MemoryInit:
                SectionLayout.WriteUInt32(output, (uint)random.Next(3));
                output.Add(0);
                break;
            case ImmediateKind.MemoryCopy:
                output.Add(0);
                output.Add(0);
                break;
            case ImmediateKind.I32:
                WriteSigned(output, random.Pick(InterestingInt32));
                break;
            case ImmediateKind.I64:
                WriteSigned(output, random.Pick(InterestingInt64));
                break;
            case ImmediateKind.F32:
                output.AddRange(BitConverter.GetBytes(random.Pick(InterestingFloat32)));
                break;
            case ImmediateKind.F64:
                output.AddRange(BitConverter.GetBytes(random.Pick(InterestingFloat64)));
                break;
            case ImmediateKind.HeapType:
                output.Add(random.Chance(50) ? (byte)ValueKind.FuncRef : (byte)ValueKind.ExternRef);
                break;
            case ImmediateKind.V128:
                AppendVector(output, ref random);
                break;
            case ImmediateKind.Shuffle:
                for (int i = 0; i < 16; i++) output.Add((byte)(random.Chance(95) ? random.Next(32) : random.Next(256)));
                break;
            case ImmediateKind.Lane:
                output.Add(Lane(ref random));
                break;
            default:
                // Indices of every kind: small, so they are often in range.
                SectionLayout.WriteUInt32(output, random.Chance(90) ? (uint)random.Next(4) : (uint)random.NextUInt64());
                break;
        }
    }

    private static readonly byte[] ValueTypes =
        [(byte)ValueKind.I32, (byte)ValueKind.I64, (byte)ValueKind.F32, (byte)ValueKind.F64, (byte)ValueKind.V128, (byte)ValueKind.FuncRef, (byte)ValueKind.ExternRef];

    private static void AppendMemArg(List<byte> output, ref FuzzRandom random)
    {
        SectionLayout.WriteUInt32(output, (uint)(random.Chance(95) ? random.Next(5) : random.Next(64)));
        SectionLayout.WriteUInt32(output, random.Chance(60) ? (uint)random.Next(64) : random.Pick(InterestingOffsets));
    }

    private static byte Lane(ref FuzzRandom random) => (byte)(random.Chance(90) ? random.Next(2) : random.Next(18));

    private static void AppendVector(List<byte> output, ref FuzzRandom random)
    {
        switch (random.Next(4))
        {
            case 0:
                for (int i = 0; i < 16; i++) output.Add(random.NextByte());
                break;
            case 1:
                byte fill = random.Pick(new byte[] { 0x00, 0xFF, 0x80, 0x7F, 0x01 });
                for (int i = 0; i < 16; i++) output.Add(fill);
                break;
            case 2:
                for (int i = 0; i < 4; i++) output.AddRange(BitConverter.GetBytes(random.Pick(InterestingFloat32)));
                break;
            default:
                for (int i = 0; i < 2; i++) output.AddRange(BitConverter.GetBytes(random.Pick(InterestingFloat64)));
                break;
        }
    }

    private static void WriteSigned(List<byte> output, long value)
    {
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            output.Add(done ? b : (byte)(b | 0x80));
            if (done) return;
        }
    }

    private static string Signature(OpcodeTable.Info info) =>
        $"{string.Join(",", info.Operands!)}->{string.Join(",", info.Results!)}";
}
